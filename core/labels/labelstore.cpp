#include "labelstore.h"
#include "common/boundedjson.h"

#include "cellid.h"
#include "judge/currentcriteria.h"
#include "store/database.h"
#include "store/projectstore.h"
#include "store/projectwriter.h"

#include <QFile>
#include <QSaveFile>

#include <nlohmann/json.hpp>

#include <map>
#include <unordered_map>

namespace rs::labels {
namespace {

using nlohmann::json;

Expected<void> upsert(store::Database &db, const HumanLabel &l) {
    auto st = db.prepare(
        "INSERT INTO labels(response_id, stable_id, criterion, annotator, label)"
        " VALUES(?1, ?2, ?3, ?4, ?5) ON CONFLICT(response_id, stable_id, criterion, annotator)"
        " DO UPDATE SET label = excluded.label,"
        " labelled_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')");
    if (!st)
        return st.error();
    st->bind(1, std::int64_t(l.responseId));
    st->bind(2, l.stableId);
    st->bind(3, l.criterion);
    st->bind(4, l.annotator);
    st->bind(5, labelValueName(l.value));
    return st->run();
}

QString stringField(const json &j, const char *key) {
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? QString::fromStdString(it->get<std::string>())
                                            : QString();
}

} // namespace

Expected<std::vector<HumanLabel>> readLabels(store::Database &db) {
    std::vector<HumanLabel> out;
    auto st = db.prepare("SELECT response_id, stable_id, criterion, annotator, label, labelled_at"
                         " FROM labels ORDER BY id");
    if (!st)
        return st.error();
    auto read = st->forEach([&] {
        out.push_back(HumanLabel{st->columnInt(0), st->columnText(1), st->columnText(2),
                                 st->columnText(3),
                                 labelValueFromName(st->columnText(4)).value_or(LabelValue::Skip),
                                 st->columnText(5)});
    });
    if (!read)
        return read.error();
    return out;
}

Expected<void> writeLabel(store::ProjectStore &store, const HumanLabel &label) {
    return store.writer().write([label](store::Database &db) { return upsert(db, label); });
}

Expected<void> removeLabel(store::ProjectStore &store, const HumanLabel &label) {
    return store.writer().write([label](store::Database &db) -> Expected<void> {
        auto st = db.prepare("DELETE FROM labels WHERE response_id = ?1 AND stable_id = ?2"
                             " AND criterion = ?3 AND annotator = ?4");
        if (!st)
            return st.error();
        st->bind(1, std::int64_t(label.responseId));
        st->bind(2, label.stableId);
        st->bind(3, label.criterion);
        st->bind(4, label.annotator);
        return st->run();
    });
}

Expected<LabelImport> importLabels(store::ProjectStore &store, const QString &path,
                                   const QString &annotator) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(QStringLiteral("cannot read: %1").arg(f.errorString()), path);

    // The current criteria, by prompt and id, and each response's prompt: a label must name
    // a cell the project has now.
    auto opened = store::Database::open(store.writer().path(), store::Database::Mode::ReadOnly);
    if (!opened)
        return opened.error();
    store::Database &db = opened.value();
    std::map<std::pair<qint64, QString>, QString> criterionText;
    auto crit = judge::forEachCurrentCriterion(db, [&](const judge::CurrentCriterion &c) {
        criterionText.emplace(std::make_pair(c.promptId, c.stableId), c.text);
    });
    if (!crit)
        return crit.error();
    std::unordered_map<qint64, qint64> promptOf;
    {
        auto st = db.prepare("SELECT id, prompt_id FROM responses");
        if (!st)
            return st.error();
        if (auto r = st->forEach([&] { promptOf.emplace(st->columnInt(0), st->columnInt(1)); }); !r)
            return r.error();
    }

    std::vector<HumanLabel> labels;
    LabelImport result;
    qint64 lineNo = 0;
    while (!f.atEnd()) {
        const QByteArray raw = f.readLine();
        ++lineNo;
        const QByteArray line = raw.trimmed();
        if (line.isEmpty())
            continue;
        const auto bad = [&](const QString &why) { return makeError(why, path, lineNo); };
        const json j = parseBoundedJson(std::string_view(line.constData(), size_t(line.size())));
        if (j.is_discarded() || !j.is_object())
            return bad(QStringLiteral("not a JSON object"));
        const auto cellField = j.find("cell");
        if (cellField == j.end() || !cellField->is_string())
            return bad(QStringLiteral("\"cell\" must be a string RESPONSE_ID/CRITERION_ID"));
        const QString cellText = QString::fromStdString(cellField->get<std::string>());
        const auto cell = parseCellId(cellText);
        if (!cell)
            return bad(QStringLiteral("\"%1\" is not a cell id RESPONSE_ID/CRITERION_ID").arg(cellText));
        const auto value = labelValueFromName(stringField(j, "label"));
        if (!value)
            return bad(QStringLiteral("\"label\" must be \"yes\", \"no\" or \"skip\", not %1")
                           .arg(QString::fromStdString(j.value("label", json()).dump())));
        const QString who = annotator.isEmpty() ? stringField(j, "annotator") : annotator;
        if (who.isEmpty())
            return bad(QStringLiteral("no annotator: give --annotator NAME or an \"annotator\" field"));
        const auto prompt = promptOf.find(cell->responseId);
        if (prompt == promptOf.end())
            return bad(QStringLiteral("no response %1 in the project").arg(cell->responseId));
        const auto text = criterionText.find({prompt->second, cell->stableId});
        if (text == criterionText.end())
            return bad(QStringLiteral("response %1's rubric has no criterion \"%2\"")
                           .arg(cell->responseId)
                           .arg(cell->stableId));
        // A label exported before its criterion was rewritten says nothing about the new text.
        const QString labelled = stringField(j, "criterion");
        if (!labelled.isEmpty() && labelled != text->second)
            return bad(QStringLiteral("criterion \"%1\" was rewritten since this label was given")
                           .arg(cell->stableId));
        labels.push_back(HumanLabel{cell->responseId, cell->stableId, text->second, who, *value, {}});
        ++result.labels;
        result.skipped += *value == LabelValue::Skip;
    }
    auto written = store.writer().write([&labels](store::Database &w) -> Expected<void> {
        for (const HumanLabel &l : labels)
            if (auto r = upsert(w, l); !r)
                return r;
        return {};
    });
    if (!written)
        return written.error();
    return result;
}

Expected<int> exportLabels(store::Database &db, const QString &path, const QString &annotator) {
    auto all = readLabels(db);
    if (!all)
        return all.error();
    QByteArray out;
    int lines = 0;
    for (const HumanLabel &l : all.value()) {
        if (!annotator.isEmpty() && l.annotator != annotator)
            continue;
        const json line{{"cell", cellId(l.responseId, l.stableId).toStdString()},
                        {"label", labelValueName(l.value).toStdString()},
                        {"annotator", l.annotator.toStdString()},
                        {"response_id", l.responseId},
                        {"criterion_id", l.stableId.toStdString()},
                        {"criterion", l.criterion.toStdString()},
                        {"labelled_at", l.labelledAt.toStdString()}};
        out += QByteArray::fromStdString(line.dump()) + '\n';
        ++lines;
    }
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(out) != out.size() || !f.commit())
        return makeError(QStringLiteral("cannot write: %1").arg(f.errorString()), path);
    return lines;
}

} // namespace rs::labels

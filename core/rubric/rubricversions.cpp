#include "rubricversions.h"

#include "domain/records.h"
#include "import/utf8.h"
#include "store/database.h"
#include "store/projectstore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>
#include <string>

namespace rs::rubric {
namespace {

QString compactJson(const QJsonObject &o) {
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

// The number in a "c<N>" stable id, 0 for ids of another form (imported ones may be named).
int idNumber(const QString &sid) {
    static const QRegularExpression re(QStringLiteral("^c(\\d+)$"));
    const auto m = re.match(sid);
    return m.hasMatch() ? m.captured(1).toInt() : 0;
}

struct RubricRow {
    qint64 id = 0;
    qint64 head = 0;
};

Expected<RubricRow> findRubric(store::Database &db, qint64 promptId) {
    // A prompt has one rubric in practice; the first one is the one every view shows.
    auto st = db.prepare("SELECT id, coalesce(head_version_id, 0) FROM rubrics WHERE prompt_id = ?1"
                         " ORDER BY id LIMIT 1");
    if (!st)
        return st.error();
    st->bind(1, std::int64_t(promptId));
    auto row = st->step();
    if (!row)
        return row.error();
    if (!row.value())
        return RubricRow{};
    return RubricRow{st->columnInt(0), st->columnInt(1)};
}

Expected<QList<CriterionRecord>> readCriteria(store::Database &db, qint64 versionId) {
    auto cs = db.prepare("SELECT id, stable_id, text, weight, coalesce(category, ''),"
                         " coalesce(tags, '[]'), coalesce(check_json, ''), veto FROM criteria"
                         " WHERE version_id = ?1 ORDER BY position");
    if (!cs)
        return cs.error();
    cs->bind(1, std::int64_t(versionId));
    QList<CriterionRecord> out;
    auto walked = cs->forEach([&] {
        out.push_back(CriterionRecord{cs->columnInt(0), cs->columnText(1), cs->columnText(2),
                                      cs->columnDouble(3), cs->columnText(4),
                                      tagsFromJson(cs->columnText(5)), cs->columnText(6),
                                      cs->columnInt(7) != 0});
    });
    if (!walked)
        return walked.error();
    return out;
}

// Inserts a version and its criteria and moves the head to it. Runs inside a writer job.
Expected<qint64> insertVersion(store::Database &db, qint64 rubricId, qint64 parent,
                               const VersionOrigin &origin, const QList<CriterionDraft> &criteria,
                               const std::optional<QString> &aggregation) {
    // Fresh ids continue after the highest ever used in the rubric, across all versions, so
    // an id that was removed never comes back meaning something else.
    auto maxSt = db.prepare("SELECT c.stable_id FROM criteria c JOIN rubric_versions v"
                            " ON v.id = c.version_id WHERE v.rubric_id = ?1");
    if (!maxSt)
        return maxSt.error();
    maxSt->bind(1, std::int64_t(rubricId));
    int next = 1;
    auto walked =
        maxSt->forEach([&] { next = std::max(next, idNumber(maxSt->columnText(0)) + 1); });
    if (!walked)
        return walked.error();
    for (const auto &c : criteria)
        next = std::max(next, idNumber(c.stableId) + 1);

    // A version without an aggregation of its own keeps its parent's: a rewrite of the
    // criteria does not change how they are added up.
    auto ver = db.prepare(
        "INSERT INTO rubric_versions(rubric_id, parent_id, origin, origin_detail, aggregation)"
        " VALUES(?1, ?2, ?3, ?4, CASE WHEN ?6 THEN ?5"
        " ELSE (SELECT aggregation FROM rubric_versions WHERE id = ?2) END)");
    if (!ver)
        return ver.error();
    ver->bind(1, std::int64_t(rubricId));
    if (parent)
        ver->bind(2, std::int64_t(parent));
    else
        ver->bindNull(2);
    ver->bind(3, origin.kind.isEmpty() ? QStringLiteral("manual") : origin.kind);
    if (origin.detail.isEmpty())
        ver->bindNull(4);
    else
        ver->bind(4, compactJson(origin.detail));
    if (aggregation && !aggregation->isEmpty())
        ver->bind(5, *aggregation);
    else
        ver->bindNull(5);
    ver->bind(6, std::int64_t(aggregation.has_value()));
    if (auto r = ver->run(); !r)
        return r.error();
    const qint64 versionId = db.lastInsertId();

    auto ins = db.prepare("INSERT INTO criteria(version_id, stable_id, position, text, weight,"
                          " category, tags, content_hash, check_json, veto)"
                          " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    if (!ins)
        return ins.error();
    QSet<QString> used;
    std::int64_t position = 0;
    for (const CriterionDraft &c : criteria) {
        // A repeated id (a duplicated row) keeps it on the first occurrence only.
        QString sid = c.stableId.trimmed();
        if (sid.isEmpty() || used.contains(sid))
            sid = QStringLiteral("c%1").arg(next++);
        used.insert(sid);
        ins->reset();
        ins->bind(1, std::int64_t(versionId));
        ins->bind(2, sid);
        ins->bind(3, position++);
        ins->bind(4, c.text);
        ins->bind(5, c.weight);
        if (c.category.isEmpty())
            ins->bindNull(6);
        else
            ins->bind(6, c.category);
        if (c.tags.isEmpty())
            ins->bindNull(7);
        else
            ins->bind(7, QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(c.tags))
                                               .toJson(QJsonDocument::Compact)));
        ins->bind(8, std::int64_t(
                         criterionContentHash(c.text, c.weight, c.category, c.checkJson, c.veto)));
        if (c.checkJson.isEmpty())
            ins->bindNull(9);
        else
            ins->bind(9, c.checkJson);
        ins->bind(10, std::int64_t(c.veto));
        if (auto r = ins->run(); !r)
            return r.error();
    }
    auto head = db.prepare("UPDATE rubrics SET head_version_id = ?2 WHERE id = ?1");
    if (!head)
        return head.error();
    head->bind(1, std::int64_t(rubricId));
    head->bind(2, std::int64_t(versionId));
    if (auto r = head->run(); !r)
        return r.error();
    return versionId;
}

Expected<qint64> versionRubric(store::Database &db, qint64 versionId) {
    auto st = db.prepare("SELECT rubric_id FROM rubric_versions WHERE id = ?1");
    if (!st)
        return st.error();
    st->bind(1, std::int64_t(versionId));
    auto row = st->step();
    if (!row)
        return row.error();
    if (!row.value())
        return makeError(QStringLiteral("no rubric version %1").arg(versionId));
    return qint64(st->columnInt(0));
}

} // namespace

qint64 criterionContentHash(const QString &text, double weight, const QString &category,
                            const QString &checkJson, bool veto) {
    return import::criterionContentHash(text.toStdString(), weight, category.toStdString(),
                                        checkJson.toStdString(), veto);
}

QList<CriterionDraft> toDrafts(const QList<CriterionRecord> &criteria) {
    QList<CriterionDraft> out;
    out.reserve(criteria.size());
    for (const auto &c : criteria)
        out.push_back(
            CriterionDraft{c.stableId, c.text, c.weight, c.category, c.tags, c.checkJson, c.veto});
    return out;
}

Expected<qint64> saveVersion(store::ProjectStore &store, qint64 promptId,
                             const VersionOrigin &origin, const QList<CriterionDraft> &criteria,
                             qint64 parentVersionId, const std::optional<QString> &aggregation) {
    qint64 versionId = 0;
    auto result = store.writer().write([&](store::Database &db) -> Expected<void> {
        auto prompt = db.prepare("SELECT count(*) FROM prompts WHERE id = ?1");
        if (!prompt)
            return prompt.error();
        prompt->bind(1, std::int64_t(promptId));
        if (auto r = prompt->step(); !r)
            return r.error();
        if (prompt->columnInt(0) == 0)
            return makeError(QStringLiteral("no prompt %1").arg(promptId));

        auto rubric = findRubric(db, promptId);
        if (!rubric)
            return rubric.error();
        qint64 rubricId = rubric->id;
        qint64 parent = parentVersionId ? parentVersionId : rubric->head;
        if (!rubricId) {
            if (parentVersionId)
                return makeError(QStringLiteral("prompt %1 has no rubric, so version %2 cannot be "
                                                "the parent")
                                     .arg(promptId)
                                     .arg(parentVersionId));
            auto ins = db.prepare("INSERT INTO rubrics(prompt_id) VALUES(?1)");
            if (!ins)
                return ins.error();
            ins->bind(1, std::int64_t(promptId));
            if (auto r = ins->run(); !r)
                return r;
            rubricId = db.lastInsertId();
            parent = 0;
        } else if (parentVersionId) {
            auto owner = versionRubric(db, parentVersionId);
            if (!owner)
                return owner.error();
            if (owner.value() != rubricId)
                return makeError(QStringLiteral("version %1 belongs to another prompt's rubric")
                                     .arg(parentVersionId));
        }
        auto v = insertVersion(db, rubricId, parent, origin, criteria, aggregation);
        if (!v)
            return v.error();
        versionId = v.value();
        return {};
    });
    if (!result)
        return result.error();
    return versionId;
}

Expected<QList<VersionInfo>> listVersions(store::Database &db, qint64 promptId) {
    auto rubric = findRubric(db, promptId);
    if (!rubric)
        return rubric.error();
    QList<VersionInfo> out;
    if (!rubric->id)
        return out;
    auto st = db.prepare("SELECT v.id, v.rubric_id, coalesce(v.parent_id, 0), v.origin,"
                         " coalesce(v.origin_detail, ''), coalesce(v.tag, ''), v.created_at,"
                         " (SELECT count(*) FROM criteria c WHERE c.version_id = v.id)"
                         " FROM rubric_versions v WHERE v.rubric_id = ?1 ORDER BY v.id");
    if (!st)
        return st.error();
    st->bind(1, std::int64_t(rubric->id));
    auto walked = st->forEach([&] {
        VersionInfo v;
        v.id = st->columnInt(0);
        v.rubricId = st->columnInt(1);
        v.parentId = st->columnInt(2);
        v.origin = st->columnText(3);
        v.detail = QJsonDocument::fromJson(st->columnText(4).toUtf8()).object();
        v.tag = st->columnText(5);
        v.createdAt = st->columnText(6);
        v.criteria = int(st->columnInt(7));
        out.push_back(std::move(v));
    });
    if (!walked)
        return walked.error();
    return out;
}

Expected<RubricRecord> loadVersion(store::Database &db, qint64 versionId) {
    auto st =
        db.prepare("SELECT b.id, b.name, b.scoring, v.origin,"
                   " (SELECT count(*) FROM rubric_versions x WHERE x.rubric_id = b.id),"
                   " coalesce(v.aggregation, '')"
                   " FROM rubric_versions v JOIN rubrics b ON b.id = v.rubric_id WHERE v.id = ?1");
    if (!st)
        return st.error();
    st->bind(1, std::int64_t(versionId));
    auto row = st->step();
    if (!row)
        return row.error();
    if (!row.value())
        return makeError(QStringLiteral("no rubric version %1").arg(versionId));
    RubricRecord r;
    r.rubricId = st->columnInt(0);
    r.versionId = versionId;
    r.name = st->columnText(1);
    r.scoring = st->columnText(2);
    r.origin = st->columnText(3);
    r.versionCount = int(st->columnInt(4));
    r.aggregation = st->columnText(5);
    auto criteria = readCriteria(db, versionId);
    if (!criteria)
        return criteria.error();
    r.criteria = std::move(criteria.value());
    return r;
}

Expected<RubricRecord> loadHead(store::Database &db, qint64 promptId) {
    auto rubric = findRubric(db, promptId);
    if (!rubric)
        return rubric.error();
    if (!rubric->head) {
        RubricRecord none;
        none.rubricId = rubric->id;
        none.scoring = QStringLiteral("weights");
        return none;
    }
    return loadVersion(db, rubric->head);
}

Expected<qint64> restoreVersion(store::ProjectStore &store, qint64 versionId) {
    qint64 newId = 0;
    auto result = store.writer().write([&](store::Database &db) -> Expected<void> {
        auto old = loadVersion(db, versionId);
        if (!old)
            return old.error();
        auto head = db.prepare("SELECT coalesce(head_version_id, 0) FROM rubrics WHERE id = ?1");
        if (!head)
            return head.error();
        head->bind(1, std::int64_t(old->rubricId));
        if (auto r = head->step(); !r)
            return r.error();
        const VersionOrigin origin{QStringLiteral("restore"),
                                   QJsonObject{{QStringLiteral("from"), versionId}}};
        auto v = insertVersion(db, old->rubricId, head->columnInt(0), origin,
                               toDrafts(old->criteria), old->aggregation);
        if (!v)
            return v.error();
        newId = v.value();
        return {};
    });
    if (!result)
        return result.error();
    return newId;
}

Expected<void> setVersionTag(store::ProjectStore &store, qint64 versionId, const QString &tag) {
    return store.writer().write([&](store::Database &db) -> Expected<void> {
        auto st = db.prepare("UPDATE rubric_versions SET tag = ?2 WHERE id = ?1");
        if (!st)
            return st.error();
        st->bind(1, std::int64_t(versionId));
        const QString t = tag.trimmed();
        if (t.isEmpty())
            st->bindNull(2);
        else
            st->bind(2, t);
        if (auto r = st->run(); !r)
            return r;
        if (db.changes() == 0)
            return makeError(QStringLiteral("no rubric version %1").arg(versionId));
        return {};
    });
}

} // namespace rs::rubric

#include "packimporter.h"
#include "common/boundedjson.h"

#include "import/importsink.h"
#include "packcodec.h"
#include "store/database.h"
#include "store/projectstore.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include <nlohmann/json.hpp>

using nlohmann::json;

namespace rs::pack {
namespace {

struct Parsed {
    PackRubric rubric;
    qint64 line = 0;
};

import::RecordItems toItems(const PackRubric &r, PackFormat format, qint64 line)
{
    import::RecordItems items;
    items.line = line;
    items.promptText = r.prompt.toStdString();
    items.dataset = r.dataset.toStdString();
    items.externalId = r.externalId.toStdString();
    items.conversationJson = r.conversationJson.toStdString();
    items.tagsJson = r.promptTagsJson.toStdString();
    import::RubricItem rubric;
    rubric.scoring = r.scoring.toStdString();
    rubric.aggregationJson = r.aggregation.toStdString();
    for (const PackCriterion &c : r.criteria) {
        import::CriterionItem ci;
        ci.text = c.text.toStdString();
        ci.weight = c.weight;
        ci.category = c.category.toStdString();
        if (!c.tags.isEmpty()) {
            json tags = json::array();
            for (const QString &t : c.tags)
                tags.push_back(t.toStdString());
            ci.tagsJson = tags.dump();
        }
        if (format == PackFormat::Native)
            ci.stableId = c.id.toStdString();
        ci.checkJson = c.checkJson.toStdString();
        ci.veto = c.veto;
        rubric.criteria.push_back(std::move(ci));
    }
    items.rubric = std::move(rubric);
    return items;
}

/// The records of a pack file: JSONL, or one JSON array of records.
Expected<std::vector<std::pair<json, qint64>>> readRecords(const QString &file)
{
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(QStringLiteral("cannot read: %1").arg(f.errorString()), file);
    const QByteArray bytes = f.readAll();
    std::vector<std::pair<json, qint64>> out;
    const qsizetype start = bytes.indexOf(QByteArrayView("["));
    const bool array = start >= 0 && bytes.left(start).trimmed().isEmpty();
    if (array) {
        json j = parseBoundedJson(std::string_view(bytes.constData(), size_t(bytes.size())));
        if (j.is_discarded() || !j.is_array())
            return makeError(QStringLiteral("not a JSON array of records"), file, 1);
        for (json &r : j)
            out.emplace_back(std::move(r), 1);
        return out;
    }
    qint64 lineNo = 0;
    for (const QByteArray &line : bytes.split('\n')) {
        ++lineNo;
        if (line.trimmed().isEmpty())
            continue;
        json j = parseBoundedJson(std::string_view(line.constData(), size_t(line.size())));
        if (j.is_discarded())
            return makeError(QStringLiteral("not valid JSON"), file, lineNo);
        out.emplace_back(std::move(j), lineNo);
    }
    return out;
}

} // namespace

Expected<PackImportResult> importPack(store::ProjectStore &store, const QString &path,
                                      std::optional<PackFormat> format,
                                      const std::function<bool(qint64, qint64)> &progress)
{
    PackImportResult result;
    QString file = path;
    if (QFileInfo(path).isDir()) {
        const QDir dir(path);
        file = dir.filePath(QStringLiteral("rubrics.jsonl"));
        QFile m(dir.filePath(QStringLiteral("manifest.json")));
        if (!format && m.open(QIODevice::ReadOnly)) {
            const QJsonObject manifest = QJsonDocument::fromJson(m.readAll()).object();
            format = formatFromName(manifest.value(QStringLiteral("format")).toString());
        }
        if (!QFileInfo::exists(file))
            return makeError(QStringLiteral("no rubrics.jsonl in the pack folder"), path);
    }
    auto records = readRecords(file);
    if (!records)
        return records.error();
    if (records->empty())
        return makeError(QStringLiteral("the pack holds no records"), file);
    if (!format)
        format = codec::detect(records->front().first);
    if (!format)
        return makeError(QStringLiteral("cannot tell the pack format from the first record"), file,
                         records->front().second);
    result.format = *format;

    std::vector<Parsed> parsed;
    parsed.reserve(records->size());
    for (const auto &[record, line] : records.value()) {
        auto r = codec::decode(record, *format);
        if (!r)
            return makeError(r.error().message, file, line);
        if (*format == PackFormat::Native) {
            const std::string want = record.value("rubric_hash", std::string());
            if (!want.empty() && codec::rubricHash(r.value()).toStdString() != want)
                result.hashMismatches << QStringLiteral("%1:%2: the rubric differs from its rubric_hash "
                                                        "(edited after export?)")
                                             .arg(file)
                                             .arg(line);
        }
        parsed.push_back({std::move(r.value()), line});
    }
    result.records = qint64(parsed.size());

    import::ImportResult counts;
    const PackFormat fmt = *format;
    auto written = store.writer().write([&](store::Database &db) -> Expected<void> {
        auto sink = import::ImportSink::create(db, counts);
        if (!sink)
            return sink.error();
        qint64 done = 0;
        for (const Parsed &p : parsed) {
            if (auto r = sink->add(toItems(p.rubric, fmt, p.line), file); !r)
                return r;
            if (progress && !progress(++done, qint64(parsed.size())))
                return makeError(QStringLiteral("import cancelled"));
        }
        auto log = db.prepare("INSERT INTO imports(files, format, summary) VALUES(?1, ?2, ?3)");
        if (!log)
            return log.error();
        log->bind(1, path);
        log->bind(2, QStringLiteral("pack:") + formatName(fmt));
        log->bind(3, QString::fromUtf8(QJsonDocument(QJsonObject{
                                                         {QStringLiteral("records"), result.records},
                                                         {QStringLiteral("rubric_versions"), counts.rubricVersionsAdded},
                                                         {QStringLiteral("criteria"), counts.criteriaAdded}})
                                           .toJson(QJsonDocument::Compact)));
        return log->run();
    });
    if (!written)
        return written.error();
    result.promptsAdded = counts.promptsAdded;
    result.rubricVersionsAdded = counts.rubricVersionsAdded;
    result.criteriaAdded = counts.criteriaAdded;
    for (const auto &w : counts.warnings) {
        if (w.message.contains(QLatin1String("identical")))
            ++result.unchanged;
        result.warnings << w.toString();
    }
    return result;
}

} // namespace rs::pack

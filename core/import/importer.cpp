#include "importer.h"

#include "batchqueue.h"
#include "common/logging.h"
#include "importsink.h"
#include "recordmapper.h"
#include "recordreader.h"
#include "store/projectstore.h"
#include "utf8.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include <nlohmann/json.hpp>

namespace rs::import {
namespace {

constexpr size_t kBatchRecords = 256;
constexpr size_t kQueueBatches = 8;
// The writer connection's page cache while an import runs (KiB, as PRAGMA cache_size takes
// negative values). The default 2 MB spills index pages to the WAL and reads them back
// constantly; 64 MB keeps the indexes of a few hundred thousand responses in memory.
constexpr int kImportCacheKiB = 64 * 1024;

/// Checks UTF-8 before parsing so the error names the line of the bad byte.
std::optional<Error> checkUtf8(const RawRecord &rec, const QString &file)
{
    const size_t bad = firstInvalidUtf8(rec.text);
    if (bad == std::string_view::npos)
        return std::nullopt;
    qint64 line = rec.line;
    for (size_t i = 0; i < bad; ++i)
        line += rec.text[i] == '\n';
    return makeError(QStringLiteral("invalid UTF-8 (byte 0x%1)")
                         .arg(static_cast<unsigned char>(rec.text[bad]), 2, 16, QLatin1Char('0')),
                     file, line);
}

/// The parsing side of one import: reads every file, maps records, feeds the queue.
class Producer final {
public:
    Producer(const ImportConfig &config, const ProgressFn &progress, BatchQueue &queue,
             ImportResult &result)
        : m_config(config), m_progress(progress), m_queue(queue), m_result(result)
    {
        for (const QString &f : config.files)
            m_totalBytes += QFileInfo(f).size();
    }

    /// Returns the error that must roll the import back, if any.
    std::optional<Error> run()
    {
        for (const QString &file : m_config.files) {
            if (auto err = runFile(file))
                return err;
        }
        return flush() ? std::nullopt : std::optional<Error>(stopped());
    }

private:
    std::optional<Error> runFile(const QString &file)
    {
        RecordReader reader(file, m_config.maxRecordBytes);
        auto shape = reader.open();
        if (!shape) {
            // A file that cannot be read at all is never skipped silently: the user named it.
            if (m_config.onError == OnError::Skip && shape.error().message == QLatin1String("file is empty")) {
                warn(shape.error());
                return std::nullopt;
            }
            return shape.error();
        }
        if (m_config.format == Format::Jsonl && shape.value() == FileShape::Array)
            return makeError(QStringLiteral("this is a JSON array, but JSONL (one JSON object per "
                                            "line) was expected; use --format auto to read arrays"),
                             file, 1);

        std::optional<RecordMapper> mapper;
        if (m_config.format != Format::Auto) {
            mapper.emplace(m_config.format, m_config, file);
            m_result.formats.insert(file, m_config.format);
        }
        RawRecord rec;
        const qint64 before = m_bytesDone;
        for (;;) {
            const auto status = reader.next(rec);
            if (status == RecordReader::Status::End)
                break;
            if (status == RecordReader::Status::Error) {
                if (auto err = bad(reader.error()))
                    return err;
                continue;
            }
            ++m_result.records;
            if (auto err = checkUtf8(rec, file)) {
                if (auto fatal = bad(*err))
                    return fatal;
                continue;
            }
            if (!mapper) {
                auto parsed = parseJson(rec.text, file, rec.line);
                if (!parsed) {
                    if (auto fatal = bad(parsed.error()))
                        return fatal;
                    continue;
                }
                auto fmt = RecordMapper::detect(parsed.value(), m_config, file, rec.line);
                if (!fmt)
                    return fmt.error(); // unknown layout: skipping every record helps nobody
                mapper.emplace(fmt.value(), m_config, file);
                m_result.formats.insert(file, fmt.value());
            }
            auto items = mapper->map(rec.text, rec.line);
            if (!items) {
                if (auto fatal = bad(items.error()))
                    return fatal;
                continue;
            }
            ImportSink::fillDerived(items.value()); // here, off the writer thread
            m_batch.records.push_back(std::move(items.value()));
            if (m_batch.records.size() >= kBatchRecords) {
                m_batch.file = file;
                if (!flush())
                    return stopped();
            }
            if (m_progress && !m_progress(before + reader.bytesRead(), m_totalBytes))
                return makeError(QStringLiteral("import cancelled; the project is unchanged"));
        }
        m_batch.file = file;
        if (!flush())
            return stopped();
        m_bytesDone = before + reader.fileSize();
        m_result.bytes = m_bytesDone;
        if (m_progress && !m_progress(m_bytesDone, m_totalBytes))
            return makeError(QStringLiteral("import cancelled; the project is unchanged"));
        return std::nullopt;
    }

    /// A bad record: an error to abort with, or a warning when skipping.
    std::optional<Error> bad(const Error &e)
    {
        if (m_config.onError == OnError::Abort)
            return e;
        ++m_result.skipped;
        warn(e);
        return std::nullopt;
    }

    void warn(const Error &e)
    {
        ++m_result.warningCount;
        if (m_result.warnings.size() < m_config.maxStoredWarnings)
            m_result.warnings.push_back(ImportWarning{e.file, e.line, e.message});
    }

    bool flush()
    {
        if (m_batch.records.empty())
            return true;
        const QString file = m_batch.file;
        const bool ok = m_queue.push(std::move(m_batch));
        m_batch = Batch{file, {}};
        m_batch.records.reserve(kBatchRecords);
        return ok;
    }

    Error stopped() { return makeError(QStringLiteral("the project writer stopped the import")); }

    const ImportConfig &m_config;
    const ProgressFn &m_progress;
    BatchQueue &m_queue;
    ImportResult &m_result;
    Batch m_batch;
    qint64 m_totalBytes = 0;
    qint64 m_bytesDone = 0;
};

QString summaryJson(const ImportResult &r)
{
    const QJsonObject o{{QStringLiteral("records"), r.records},
                        {QStringLiteral("skipped"), r.skipped},
                        {QStringLiteral("prompts_added"), r.promptsAdded},
                        {QStringLiteral("responses_added"), r.responsesAdded},
                        {QStringLiteral("duplicates"), r.duplicates},
                        {QStringLiteral("empty_responses"), r.emptyResponses},
                        {QStringLiteral("rubric_versions_added"), r.rubricVersionsAdded},
                        {QStringLiteral("criteria_added"), r.criteriaAdded},
                        {QStringLiteral("preferences_added"), r.preferencesAdded}};
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

} // namespace

Expected<ImportResult> importFiles(store::ProjectStore &store, const ImportConfig &config,
                                   const ProgressFn &progress)
{
    if (config.files.isEmpty())
        return makeError(QStringLiteral("no files to import"));
    if (config.format == Format::Jsonl && (config.map.prompt.isEmpty() || config.map.response.isEmpty()))
        return makeError(QStringLiteral("the jsonl format needs --map with at least "
                                        "prompt=FIELD,response=FIELD"));

    ImportResult parsed;  // touched by this thread only
    ImportResult written; // touched by the writer thread only, until the job's future is ready
    BatchQueue queue(kQueueBatches);

    auto job = store.writer().post([&](store::Database &db) -> Expected<void> {
        const auto before = db.scalar("PRAGMA cache_size");
        const qint64 cacheBefore = before ? before.value() : -2000;
        (void)db.exec("PRAGMA cache_size = -" + std::to_string(kImportCacheKiB));
        struct RestoreCache {
            store::Database &db;
            qint64 size;
            ~RestoreCache() { (void)db.exec("PRAGMA cache_size = " + std::to_string(size)); }
        } restoreCache{db, cacheBefore};
        auto sink = ImportSink::create(db, written);
        if (!sink) {
            queue.abandon();
            return sink.error();
        }
        while (auto batch = queue.pop()) {
            for (const RecordItems &items : batch->records) {
                if (auto r = sink->add(items, batch->file); !r) {
                    queue.abandon();
                    return r;
                }
            }
        }
        if (auto err = queue.producerError())
            return *err; // rolls back this job's savepoint: the project is as before
        QStringList files = config.files;
        auto st = db.prepare("INSERT INTO imports(files, format, summary) VALUES(?1, ?2, ?3)");
        if (!st)
            return st.error();
        st->bind(1, files.join(QLatin1Char('\n')));
        st->bind(2, formatName(config.format));
        // The record and skip counts are the reader's. Reading them here is safe: the queue
        // ran dry only after the producer returned and called finish() (its mutex orders them).
        ImportResult summary = written;
        summary.records = parsed.records;
        summary.skipped = parsed.skipped;
        st->bind(3, summaryJson(summary));
        return st->run();
    });

    Producer producer(config, progress, queue, parsed);
    std::optional<Error> err = producer.run();
    queue.finish(err);
    Expected<void> stored = job.get();
    // The writer's own error first: when it stopped (disk full, say), the producer only knows
    // that it was stopped, not why. A producer error reaches the writer and comes back as is.
    if (!stored)
        return stored.error();
    if (err)
        return *err;

    ImportResult result = std::move(parsed);
    result.promptsAdded = written.promptsAdded;
    result.responsesAdded = written.responsesAdded;
    result.duplicates = written.duplicates;
    result.emptyResponses = written.emptyResponses;
    result.rubricsAdded = written.rubricsAdded;
    result.rubricVersionsAdded = written.rubricVersionsAdded;
    result.criteriaAdded = written.criteriaAdded;
    result.preferencesAdded = written.preferencesAdded;
    result.warningCount += written.warningCount;
    for (const auto &w : written.warnings)
        if (result.warnings.size() < config.maxStoredWarnings)
            result.warnings.push_back(w);
    qCInfo(lcImport) << "imported" << result.records << "records," << result.responsesAdded
                     << "responses into" << store.path();
    return result;
}

Expected<Format> detectFormat(const QString &file, const ImportConfig &config)
{
    RecordReader reader(file, config.maxRecordBytes);
    auto shape = reader.open();
    if (!shape)
        return shape.error();
    RawRecord rec;
    if (reader.next(rec) != RecordReader::Status::Record)
        return reader.error().message.isEmpty() ? makeError(QStringLiteral("no records"), file)
                                                : reader.error();
    if (auto err = checkUtf8(rec, file))
        return *err;
    auto parsed = parseJson(rec.text, file, rec.line);
    if (!parsed)
        return parsed.error();
    return RecordMapper::detect(parsed.value(), config, file, rec.line);
}

} // namespace rs::import

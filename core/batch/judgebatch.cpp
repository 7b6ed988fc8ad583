#include "judgebatch.h"

#include "llm/llmcache.h"
#include "llm/wireprotocol.h"
#include "store/database.h"
#include "store/projectstore.h"

#include <QDateTime>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <map>
#include <set>
#include <unordered_set>

namespace rs::batch {
namespace {

constexpr int kMaxListed = 50;

void listAppend(QStringList &list, const QString &s)
{
    if (list.size() < kMaxListed)
        list << s;
}

struct Sent {
    qint64 batchId = 0;
    std::string cacheKey;
    std::string request;
    QString status;
};

struct CacheRow {
    std::string key;
    QString kind;
    QString model;
    std::string request;
    QString text;
    qint64 tokensIn = 0, tokensOut = 0;
};

} // namespace

QString judgeConfigToJson(const judge::JudgeConfig &c)
{
    const QJsonObject o{{QStringLiteral("provider"), c.provider.toJson()},
                        {QStringLiteral("mode"), judge::modeKey(c.mode)},
                        {QStringLiteral("structured"), judge::structuredName(c.structured)},
                        {QStringLiteral("reasoning_effort"), c.reasoningEffort},
                        {QStringLiteral("thinking_budget"), c.thinkingBudget},
                        {QStringLiteral("show_weights"), c.showWeights},
                        {QStringLiteral("gradings"), c.gradings},
                        {QStringLiteral("temperature"), c.temperature},
                        {QStringLiteral("repeat_temperature"), c.repeatTemperature},
                        {QStringLiteral("system_template"), c.systemTemplate},
                        {QStringLiteral("user_template"), c.userTemplate},
                        {QStringLiteral("tier"), c.tier},
                        {QStringLiteral("parse_retries"), c.parseRetries},
                        {QStringLiteral("max_tokens"), c.maxTokens}};
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

Expected<judge::JudgeConfig> judgeConfigFromJson(const QString &text)
{
    const QJsonObject o = QJsonDocument::fromJson(text.toUtf8()).object();
    auto provider = llm::ProviderConfig::fromJson(o.value(QStringLiteral("provider")).toObject());
    if (!provider)
        return provider.error();
    judge::JudgeConfig c;
    c.provider = provider.value();
    c.mode = judge::modeFromKey(o.value(QStringLiteral("mode")).toString())
                 .value_or(judge::JudgeMode::Joint);
    c.structured = judge::structuredFromName(
                       o.value(QStringLiteral("structured")).toString(QStringLiteral("off")))
                       .value_or(judge::Structured::Off);
    c.reasoningEffort = o.value(QStringLiteral("reasoning_effort")).toString();
    c.thinkingBudget = o.value(QStringLiteral("thinking_budget")).toInt();
    c.showWeights = o.value(QStringLiteral("show_weights")).toBool();
    c.gradings = o.value(QStringLiteral("gradings")).toInt(1);
    c.temperature = o.value(QStringLiteral("temperature")).toDouble();
    c.repeatTemperature = o.value(QStringLiteral("repeat_temperature")).toDouble(0.7);
    c.systemTemplate = o.value(QStringLiteral("system_template")).toString();
    c.userTemplate = o.value(QStringLiteral("user_template")).toString();
    c.tier = o.value(QStringLiteral("tier")).toString();
    c.parseRetries = o.value(QStringLiteral("parse_retries")).toInt(2);
    c.maxTokens = o.value(QStringLiteral("max_tokens")).toInt(1024);
    return c;
}

Expected<BatchExportResult> exportJudgeBatch(store::ProjectStore &store, llm::LlmScheduler &scheduler,
                                             const judge::JudgeConfig &config, BatchFormat format,
                                             const QString &outDir, const BatchLimits &limits,
                                             bool includeCached)
{
    const bool anthropic = config.provider.kind == llm::ProviderKind::Anthropic;
    if (anthropic != (format == BatchFormat::Anthropic))
        return makeError(QStringLiteral("an %1 batch file needs an %1 provider (the request body is the "
                                        "provider's own)")
                             .arg(formatName(format)));
    BatchExportResult result;
    judge::JudgeRunner runner(store, scheduler);
    auto planned = runner.plannedRequests(config, &result.runId);
    if (!planned)
        return planned.error();

    auto db = store::Database::open(store.path(), store::Database::Mode::ReadOnly);
    if (!db)
        return db.error();
    auto cached = db->prepare("SELECT 1 FROM llm_cache WHERE key = ?1");
    if (!cached)
        return cached.error();
    struct Planned {
        llm::LlmRequest request;
        std::string key;
    };
    std::vector<Planned> todo;
    std::unordered_set<std::string> keys;
    for (llm::LlmRequest &r : planned.value()) {
        std::string key = llm::LlmCache::keyFor(config.provider, r);
        if (!keys.insert(key).second) {
            ++result.duplicates;
            continue;
        }
        if (!includeCached) {
            cached->reset();
            cached->bind(1, std::string_view(key));
            auto hit = cached->step();
            if (!hit)
                return hit.error();
            if (*hit) {
                ++result.cached;
                continue;
            }
        }
        todo.push_back({std::move(r), std::move(key)});
    }
    if (todo.empty())
        return result;

    const QString configJson = judgeConfigToJson(config);
    const QString providerJson =
        QString::fromUtf8(QJsonDocument(config.provider.toJson()).toJson(QJsonDocument::Compact));
    const qint64 runId = result.runId;
    // One transaction: the job, its files and every request are recorded together, or nothing.
    auto written = store.writer().write([&](store::Database &w) -> Expected<void> {
        auto job = w.prepare("INSERT INTO batch_jobs(job_kind, format, provider, config, run_id, files, requests)"
                             " VALUES('judge', ?1, ?2, ?3, ?4, '[]', ?5)");
        if (!job)
            return job.error();
        job->bind(1, formatName(format));
        job->bind(2, providerJson);
        job->bind(3, configJson);
        job->bind(4, std::int64_t(runId));
        job->bind(5, std::int64_t(todo.size()));
        if (auto r = job->run(); !r)
            return r;
        const qint64 batchId = w.lastInsertId();
        std::vector<BatchItem> items;
        items.reserve(todo.size());
        for (size_t i = 0; i < todo.size(); ++i)
            items.push_back({QStringLiteral("rs%1-%2").arg(batchId).arg(i + 1, 6, 10, QLatin1Char('0')),
                             todo[i].request});
        std::vector<int> fileOf;
        auto files = writeBatchFiles(config.provider, format, items, outDir,
                                     QStringLiteral("judge-b%1-%2").arg(batchId).arg(formatName(format)),
                                     limits, &fileOf);
        if (!files)
            return files.error();
        auto req = w.prepare("INSERT INTO batch_requests(custom_id, batch_id, file_index, cache_key, request)"
                             " VALUES(?1, ?2, ?3, ?4, ?5)");
        if (!req)
            return req.error();
        for (size_t i = 0; i < items.size(); ++i) {
            req->reset();
            req->bind(1, items[i].customId);
            req->bind(2, std::int64_t(batchId));
            req->bind(3, std::int64_t(fileOf[i]));
            req->bind(4, std::string_view(todo[i].key));
            req->bind(5, std::string_view(llm::wire::canonicalBody(config.provider, todo[i].request)));
            if (auto r = req->run(); !r)
                return r;
        }
        auto upd = w.prepare("UPDATE batch_jobs SET files = ?2 WHERE id = ?1");
        if (!upd)
            return upd.error();
        upd->bind(1, std::int64_t(batchId));
        upd->bind(2, QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(files.value()))
                                           .toJson(QJsonDocument::Compact)));
        if (auto r = upd->run(); !r)
            return r;
        result.batchId = batchId;
        result.files = files.value();
        result.requests = qint64(items.size());
        return {};
    });
    if (!written)
        return written.error();
    return result;
}

Expected<BatchImportResult> importBatchOutputs(store::ProjectStore &store, llm::LlmScheduler &scheduler,
                                               const QStringList &files,
                                               const judge::JudgeProgressFn &progress)
{
    BatchImportResult result;
    auto db = store::Database::open(store.path(), store::Database::Mode::ReadOnly);
    if (!db)
        return db.error();
    auto find = db->prepare("SELECT batch_id, cache_key, request, status FROM batch_requests WHERE custom_id = ?1");
    auto jobSt = db->prepare("SELECT provider, job_kind, config FROM batch_jobs WHERE id = ?1");
    if (!find)
        return find.error();
    if (!jobSt)
        return jobSt.error();

    struct Job {
        llm::ProviderConfig provider;
        QString kind;
        QString config;
    };
    std::map<qint64, Job> jobs;
    std::vector<CacheRow> cacheRows;
    std::vector<std::tuple<QString, QString, QString>> statuses; // custom_id, status, error
    QSet<QString> seen;
    for (const QString &file : files) {
        auto answers = readBatchOutput(file, &result.problems);
        if (!answers)
            return answers.error();
        for (const BatchAnswer &a : answers.value()) {
            const QString where = Error{QString(), file, a.line}.toString();
            find->reset();
            find->bind(1, a.customId);
            auto row = find->step();
            if (!row)
                return row.error();
            if (!row.value()) {
                listAppend(result.unknown, where + QStringLiteral("unknown custom_id %1").arg(a.customId));
                continue;
            }
            const Sent sent{find->columnInt(0), find->columnText(1).toStdString(),
                            find->columnText(2).toStdString(), find->columnText(3)};
            if (seen.contains(a.customId) || sent.status == QLatin1String("answered")) {
                listAppend(result.duplicates, where + QStringLiteral("custom_id %1 %2; the first answer is kept")
                                                          .arg(a.customId,
                                                               seen.contains(a.customId)
                                                                   ? QStringLiteral("repeated")
                                                                   : QStringLiteral("already imported")));
                continue;
            }
            seen.insert(a.customId);
            if (!jobs.count(sent.batchId)) {
                jobSt->reset();
                jobSt->bind(1, std::int64_t(sent.batchId));
                auto j = jobSt->step();
                if (!j)
                    return j.error();
                if (!*j)
                    return makeError(QStringLiteral("batch %1 is not recorded in the project").arg(sent.batchId));
                auto provider = llm::ProviderConfig::fromJson(
                    QJsonDocument::fromJson(jobSt->columnText(0).toUtf8()).object());
                if (!provider)
                    return provider.error();
                jobs[sent.batchId] = Job{provider.value(), jobSt->columnText(1), jobSt->columnText(2)};
            }
            if (!a.ok) {
                ++result.failed;
                listAppend(result.failures, QStringLiteral("%1: %2").arg(a.customId, a.error));
                statuses.emplace_back(a.customId, QStringLiteral("failed"), a.error);
                continue;
            }
            const Job &job = jobs[sent.batchId];
            cacheRows.push_back({sent.cacheKey, job.provider.kindName(), job.provider.model, sent.request, a.text,
                                 a.tokensIn, a.tokensOut});
            statuses.emplace_back(a.customId, QStringLiteral("answered"), QString());
            ++result.answered;
        }
    }

    const QString now = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
    auto written = store.writer().write([&](store::Database &w) -> Expected<void> {
        auto c = w.prepare("INSERT OR REPLACE INTO llm_cache(key, provider_kind, model, request,"
                           " response, tokens_in, tokens_out) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
        auto s = w.prepare("UPDATE batch_requests SET status = ?2, error = ?3, answered_at = ?4 WHERE custom_id = ?1");
        if (!c)
            return c.error();
        if (!s)
            return s.error();
        for (const CacheRow &r : cacheRows) {
            c->reset();
            c->bind(1, std::string_view(r.key));
            c->bind(2, r.kind);
            c->bind(3, r.model);
            c->bind(4, std::string_view(r.request));
            c->bind(5, r.text);
            c->bind(6, std::int64_t(r.tokensIn));
            c->bind(7, std::int64_t(r.tokensOut));
            if (auto res = c->run(); !res)
                return res;
        }
        for (const auto &[id, status, error] : statuses) {
            s->reset();
            s->bind(1, id);
            s->bind(2, status);
            if (error.isEmpty())
                s->bindNull(3);
            else
                s->bind(3, error);
            s->bind(4, now);
            if (auto res = s->run(); !res)
                return res;
        }
        return {};
    });
    if (!written)
        return written.error();

    // Replay each touched judge job from the cache: the runner parses and stores verdicts
    // exactly as it does for live answers, and sends nothing.
    judge::JudgeRunner runner(store, scheduler);
    QSet<QString> replayed;
    for (const auto &[batchId, job] : jobs) {
        if (job.kind != QLatin1String("judge") || replayed.contains(job.config))
            continue;
        replayed.insert(job.config);
        auto config = judgeConfigFromJson(job.config);
        if (!config)
            return config.error();
        llm::JobOptions options;
        options.kind = QStringLiteral("judge-batch");
        options.cacheOnly = true;
        auto run = runner.run(config.value(), options, progress);
        if (!run)
            return run.error();
        result.runs << run->runId;
        result.verdictsStored += run->verdictsStored;
    }
    QStringList ids;
    for (const auto &[batchId, job] : jobs)
        ids << QString::number(batchId);
    if (!ids.isEmpty()) {
        // Statements done with, so this connection reads the state after the writes above.
        find->reset();
        jobSt->reset();
        const QString sql = QStringLiteral("SELECT count(*) FROM batch_requests WHERE status != 'answered'"
                                           " AND batch_id IN (%1)")
                                .arg(ids.join(QLatin1Char(',')));
        auto left = db->scalar(sql.toStdString());
        if (left)
            result.remaining = left.value();
    }
    return result;
}

} // namespace rs::batch

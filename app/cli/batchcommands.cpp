#include "batchcommands.h"

#include "batch/batchstatus.h"
#include "batch/judgebatch.h"
#include "cliargs.h"
#include "clioutput.h"
#include "judgecommands.h"
#include "llm/llmscheduler.h"
#include "llm/providerregistry.h"
#include "store/database.h"
#include "store/projectstore.h"
#include "usage.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace rs::cli {
namespace {


} // namespace

int runBatchExport(const QStringList &argv)
{
    QString parseError;
    QStringList valued = providerOptions();
    valued << QStringLiteral("--mode") << QStringLiteral("--votes") << QStringLiteral("--rubric")
           << QStringLiteral("--responses") << QStringLiteral("--job") << QStringLiteral("--format")
           << QStringLiteral("--out") << QStringLiteral("--max-requests") << QStringLiteral("--max-bytes");
    auto parsed = parseArgs(argv, valued, &parseError);
    if (!parsed)
        return usageError(parseError);
    const Args &a = *parsed;
    if (const QString f = unknownFlag(a, {QStringLiteral("--show-weights"), QStringLiteral("--include-cached"),
                                          QStringLiteral("--json")});
        !f.isEmpty())
        return usageError(QStringLiteral("unknown option %1\n%2").arg(f, usage("batch-export")));
    if (a.positional.size() != 1 || !a.values.contains(QStringLiteral("--out")))
        return usageError(usage("batch-export"));
    const QString job = a.value(QStringLiteral("--job"), QStringLiteral("judge"));
    if (job == QLatin1String("generate"))
        return usageError(QStringLiteral("--job generate is not available yet: rubric generation jobs are "
                                         "written by the generation module (a follow-up); --job judge works"));
    if (job != QLatin1String("judge"))
        return usageError(QStringLiteral("--job takes judge (generate: a follow-up)"));

    judge::JudgeConfig config;
    // The batch format decides the provider kind when --kind is not given.
    Args withKind = a;
    const QString formatName = a.value(QStringLiteral("--format"), QStringLiteral("openai"));
    auto format = batch::formatFromName(formatName);
    if (!format)
        return usageError(QStringLiteral("--format takes openai or anthropic"));
    if (!withKind.values.contains(QStringLiteral("--kind")) && !withKind.values.contains(QStringLiteral("--provider")))
        withKind.values.insert(QStringLiteral("--kind"), formatName);
    if (auto bad = judgeConfigFromArgs(withKind, &config); !bad.isEmpty())
        return usageError(bad + QLatin1Char('\n') + usage("batch-export"));

    batch::BatchLimits limits = batch::BatchLimits::forFormat(*format);
    bool ok = true;
    if (a.values.contains(QStringLiteral("--max-requests")))
        limits.maxRequests = qBound<qint64>(1, a.value(QStringLiteral("--max-requests")).toLongLong(&ok),
                                            limits.maxRequests);
    if (ok && a.values.contains(QStringLiteral("--max-bytes")))
        limits.maxBytes = qBound<qint64>(1024, a.value(QStringLiteral("--max-bytes")).toLongLong(&ok),
                                         limits.maxBytes);
    if (!ok)
        return usageError(QStringLiteral("--max-requests and --max-bytes take numbers"));

    auto store = store::ProjectStore::open(a.positional.first());
    if (!store)
        return fail(store.error());
    auto prices = llm::ProviderRegistry::loadPrices();
    if (!prices)
        return fail(prices.error());
    llm::LlmScheduler scheduler(prices.value(), store.value().get());
    auto result = batch::exportJudgeBatch(*store.value(), scheduler, config, *format,
                                          a.value(QStringLiteral("--out")), limits,
                                          a.flags.contains(QStringLiteral("--include-cached")));
    if (!result)
        return fail(result.error());
    const auto &r = result.value();
    if (a.flags.contains(QStringLiteral("--json"))) {
        printJson(QJsonObject{{QStringLiteral("batch"), r.batchId},
                              {QStringLiteral("run"), r.runId},
                              {QStringLiteral("format"), batch::formatName(*format)},
                              {QStringLiteral("files"), QJsonArray::fromStringList(r.files)},
                              {QStringLiteral("requests"), r.requests},
                              {QStringLiteral("cached"), r.cached},
                              {QStringLiteral("duplicates"), r.duplicates}});
        return 0;
    }
    if (r.requests == 0) {
        out(QStringLiteral("nothing to send for run %1: %2 planned calls are answered in the cache "
                           "(judge the project to store them)\n")
                .arg(r.runId)
                .arg(r.cached));
        return 0;
    }
    out(QStringLiteral("batch %1 (judge run %2): %3 requests in %4 %5 file(s); %6 already cached, left out\n")
            .arg(r.batchId)
            .arg(r.runId)
            .arg(r.requests)
            .arg(r.files.size())
            .arg(batch::formatName(*format))
            .arg(r.cached));
    for (const QString &f : r.files)
        out(QStringLiteral("  %1\n").arg(f));
    return 0;
}

int runBatchImport(const QStringList &argv)
{
    QString parseError;
    auto parsed = parseArgs(argv, {}, &parseError);
    if (!parsed)
        return usageError(parseError);
    const Args &a = *parsed;
    if (const QString f = unknownFlag(a, {QStringLiteral("--json")}); !f.isEmpty())
        return usageError(QStringLiteral("unknown option %1\n%2").arg(f, usage("batch-import")));
    if (a.positional.size() < 2)
        return usageError(usage("batch-import"));
    auto store = store::ProjectStore::open(a.positional.first());
    if (!store)
        return fail(store.error());
    auto prices = llm::ProviderRegistry::loadPrices();
    if (!prices)
        return fail(prices.error());
    llm::LlmScheduler scheduler(prices.value(), store.value().get());
    ProgressLine line(QStringLiteral("batch-import"));
    auto result = batch::importBatchOutputs(*store.value(), scheduler, a.positional.mid(1),
                                            [&](const judge::JudgeProgress &p) {
                                                line.update(p.callsDone, p.callsTotal);
                                                return true;
                                            });
    line.finish();
    if (!result)
        return fail(result.error());
    const auto &r = result.value();
    for (const QString &s : r.problems)
        err(s + QLatin1Char('\n'));
    for (const QString &s : r.unknown)
        err(s + QLatin1Char('\n'));
    for (const QString &s : r.duplicates)
        err(s + QLatin1Char('\n'));
    for (const QString &s : r.failures)
        err(QStringLiteral("failed: %1\n").arg(s));
    if (a.flags.contains(QStringLiteral("--json"))) {
        QJsonArray runs;
        for (qint64 id : r.runs)
            runs.push_back(id);
        printJson(QJsonObject{{QStringLiteral("answered"), r.answered},
                              {QStringLiteral("failed"), r.failed},
                              {QStringLiteral("unknown"), QJsonArray::fromStringList(r.unknown)},
                              {QStringLiteral("duplicates"), QJsonArray::fromStringList(r.duplicates)},
                              {QStringLiteral("problems"), QJsonArray::fromStringList(r.problems)},
                              {QStringLiteral("remaining"), r.remaining},
                              {QStringLiteral("verdicts_stored"), r.verdictsStored},
                              {QStringLiteral("runs"), runs}});
    } else {
        out(QStringLiteral("imported %1 answers (%2 failed, %3 unknown, %4 duplicate, %5 unreadable lines); "
                           "%6 verdicts stored; %7 requests still unanswered%8\n")
                .arg(r.answered)
                .arg(r.failed)
                .arg(r.unknown.size())
                .arg(r.duplicates.size())
                .arg(r.problems.size())
                .arg(r.verdictsStored)
                .arg(r.remaining)
                .arg(r.remaining > 0 ? QStringLiteral(" (run batch-export again to re-send them)") : QString()));
    }
    // Something left to re-send: the provider-failure code, as judge uses it.
    return r.remaining > 0 || r.failed > 0 ? 3 : 0;
}

int runBatchStatus(const QStringList &argv)
{
    QString parseError;
    auto parsed = parseArgs(argv, {}, &parseError);
    if (!parsed)
        return usageError(parseError);
    const Args &a = *parsed;
    if (a.positional.size() != 1 || !unknownFlag(a, {QStringLiteral("--json")}).isEmpty())
        return usageError(usage("batch-status"));
    auto store = store::ProjectStore::open(a.positional.first()); // migrates an older project
    if (!store)
        return fail(store.error());
    auto db = store::Database::open(a.positional.first(), store::Database::Mode::ReadOnly);
    if (!db)
        return fail(db.error());
    auto jobs = batch::listBatchJobs(db.value());
    if (!jobs)
        return fail(jobs.error());
    QJsonArray list;
    QString text;
    for (const batch::BatchJobStatus &j : jobs.value()) {
        list.push_back(QJsonObject{{QStringLiteral("batch"), j.batchId},
                                   {QStringLiteral("job"), j.jobKind},
                                   {QStringLiteral("format"), j.format},
                                   {QStringLiteral("run"), j.runId},
                                   {QStringLiteral("files"), QJsonArray::fromStringList(j.files)},
                                   {QStringLiteral("requests"), j.requests},
                                   {QStringLiteral("answered"), j.answered},
                                   {QStringLiteral("failed"), j.failed},
                                   {QStringLiteral("waiting"), j.waiting()},
                                   {QStringLiteral("created_at"), j.createdAt}});
        text += QStringLiteral("batch %1\t%2\t%3\trun %4\t%5 requests: %6 answered, %7 failed, %8 waiting\t%9\n")
                    .arg(j.batchId)
                    .arg(j.jobKind, j.format)
                    .arg(j.runId)
                    .arg(j.requests)
                    .arg(j.answered)
                    .arg(j.failed)
                    .arg(j.waiting())
                    .arg(j.createdAt);
    }
    if (a.flags.contains(QStringLiteral("--json")))
        printJson(QJsonObject{{QStringLiteral("batches"), list}});
    else
        out(text.isEmpty() ? QStringLiteral("no batches\n") : text);
    return 0;
}

} // namespace rs::cli

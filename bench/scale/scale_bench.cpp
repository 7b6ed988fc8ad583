// Scale benchmark: on a project made by rs_scale_make (5,000 prompts x 16 responses x 15
// criteria, 1.2M verdicts), times what a user waits for:
//   (a) open -> navigator rows: ProjectStore::open + reader() + prompts("", 0, 200) +
//       promptCount(""), cold (file evicted from the page cache) and warm;
//   (b) prompt switch: loadVerdictGrid(db, prompt, run) for N random prompts, first pass (pages
//       not yet read since the eviction) and again (warm): median, p95, max;
//   (c) full rescore after a weight change: one criterion's weight changed in every rubric's
//       head version through the writer (UPDATE criteria), then computeScores(db, {run}) over
//       all responses; cold (evicted before the change) and warm repeats;
//   (d) peak RSS (getrusage).
// Prints one JSON line. With --rewards-out, writes the rewards of a fixed sample of responses
// after the last rescore, for rescore_baseline.py to compare against its SQL aggregate.
// A benchmark, not a test: it exits non-zero only when it cannot run at all.

#include "judge/scorereader.h"
#include "judge/verdictgrid.h"
#include "store/database.h"
#include "store/projectreader.h"
#include "store/projectstore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fcntl.h>
#include <numeric>
#include <sys/resource.h>
#include <unistd.h>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
using rs::store::Database;

double msSince(Clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

long peakRssKb() {
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss; // KiB on Linux
}

double cpuMs() {
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return double(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
           double(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

// Drops the project's clean pages from the page cache, as after a reboot; per file, no root
// needed. The WAL is dropped too when there is one.
bool evict(const QString &path) {
    bool ok = true;
    for (const QString &f : QStringList{path, path + QStringLiteral("-wal")}) {
        const QByteArray p = QFile::encodeName(f);
        const int fd = ::open(p.constData(), O_RDONLY);
        if (fd < 0)
            continue;
        ::fdatasync(fd);
        ok = ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED) == 0 && ok;
        ::close(fd);
    }
    return ok;
}

struct Stats {
    double median = 0, p95 = 0, max = 0, mean = 0;
};

Stats stats(std::vector<double> v) {
    Stats s;
    if (v.empty())
        return s;
    std::sort(v.begin(), v.end());
    auto at = [&](double q) {
        // nearest rank
        size_t i = size_t(std::max(0.0, std::ceil(q * double(v.size())) - 1));
        return v[std::min(i, v.size() - 1)];
    };
    s.median = v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
    s.p95 = at(0.95);
    s.max = v.back();
    s.mean = std::accumulate(v.begin(), v.end(), 0.0) / double(v.size());
    return s;
}

QJsonObject json(const Stats &s) {
    return {{QStringLiteral("median_ms"), s.median},
            {QStringLiteral("p95_ms"), s.p95},
            {QStringLiteral("max_ms"), s.max},
            {QStringLiteral("mean_ms"), s.mean}};
}

[[noreturn]] void die(const QString &what) {
    std::fprintf(stderr, "rs_scale_bench: %s\n", qPrintable(what));
    std::exit(1);
}

template <typename T> T must(rs::Expected<T> e, const char *what) {
    if (!e)
        die(QString::fromUtf8(what) + QStringLiteral(": ") + e.error().toString());
    return std::move(e).value();
}

void must(rs::Expected<void> e, const char *what) {
    if (!e)
        die(QString::fromUtf8(what) + QStringLiteral(": ") + e.error().toString());
}

// --- (a) open -> navigator rows -------------------------------------------------------------
struct OpenTiming {
    double openMs = 0, readerMs = 0, pageMs = 0, countMs = 0, totalMs = 0;
    qint64 rows = 0, count = 0;
};

OpenTiming openToRows(const QString &path, std::unique_ptr<rs::store::ProjectStore> *keep) {
    OpenTiming t;
    const auto t0 = Clock::now();
    auto store = must(rs::store::ProjectStore::open(path), "open");
    const auto t1 = Clock::now();
    auto reader = must(store->reader(), "reader");
    const auto t2 = Clock::now();
    auto page = must(reader.prompts(QString(), 0, 200), "prompts page");
    const auto t3 = Clock::now();
    const qint64 count = must(reader.promptCount(QString()), "promptCount");
    const auto t4 = Clock::now();
    auto ms = [](Clock::time_point a, Clock::time_point b) {
        return std::chrono::duration<double, std::milli>(b - a).count();
    };
    t = {ms(t0, t1), ms(t1, t2), ms(t2, t3), ms(t3, t4), ms(t0, t4), page.size(), count};
    if (keep)
        *keep = std::move(store);
    return t;
}

QJsonObject json(const OpenTiming &t) {
    return {{QStringLiteral("total_ms"), t.totalMs},   {QStringLiteral("open_ms"), t.openMs},
            {QStringLiteral("reader_ms"), t.readerMs}, {QStringLiteral("first_page_ms"), t.pageMs},
            {QStringLiteral("count_ms"), t.countMs},   {QStringLiteral("rows"), t.rows},
            {QStringLiteral("prompt_count"), t.count}};
}

// --- (b) prompt switch ----------------------------------------------------------------------
struct SwitchPass {
    std::vector<double> ms;
    qint64 badGrids = 0; ///< grids without the expected shape (a benchmark on wrong data lies)
};

SwitchPass switchPass(Database &db, const std::vector<qint64> &prompts, qint64 runId,
                      qint64 expectRows, qint64 expectCriteria) {
    SwitchPass s;
    for (qint64 p : prompts) {
        const auto t0 = Clock::now();
        auto grid = rs::judge::loadVerdictGrid(db, p, runId);
        s.ms.push_back(msSince(t0));
        if (!grid)
            die(QStringLiteral("loadVerdictGrid: ") + grid.error().toString());
        bool ok = grid->rows.size() == expectRows && grid->criteria.size() == expectCriteria;
        for (const auto &r : grid->rows)
            for (const auto &c : r.cells)
                ok = ok && c.state != rs::judge::CellState::Pending;
        s.badGrids += !ok;
    }
    return s;
}

// --- (c) weight change + rescore ------------------------------------------------------------
// Cycles one criterion's weight 1 -> 2 -> 3 -> 1 in every rubric's head version. Judge runs
// that do not show weights keep their verdicts (the criterion hash ignores hidden weights), so
// every reward has to be recomputed but nothing re-judged.
double changeWeights(rs::store::ProjectStore &store, int position, qint64 *changed) {
    const auto t0 = Clock::now();
    must(store.writer().write([&](Database &db) -> rs::Expected<void> {
        auto st = db.prepare(
            "UPDATE criteria SET weight = CAST(weight AS INTEGER) % 3 + 1"
            " WHERE position = ?1 AND version_id IN (SELECT head_version_id FROM rubrics)");
        if (!st)
            return st.error();
        st->bind(1, std::int64_t(position));
        if (auto r = st->run(); !r)
            return r;
        *changed = db.changes();
        return {};
    }),
         "weight change");
    return msSince(t0);
}

struct Rescore {
    double ms = 0;
    double cpuMs = 0;
    qint64 scores = 0;
    std::vector<rs::judge::ResponseScore> result;
};

Rescore rescore(Database &db, qint64 runId) {
    Rescore r;
    rs::judge::ScoreOptions options;
    options.runId = runId;
    const double c0 = cpuMs();
    const auto t0 = Clock::now();
    auto scores = rs::judge::computeScores(db, options);
    r.ms = msSince(t0);
    r.cpuMs = cpuMs() - c0;
    if (!scores)
        die(QStringLiteral("computeScores: ") + scores.error().toString());
    r.scores = qint64(scores->size());
    r.result = std::move(scores.value());
    return r;
}

} // namespace

int main(int argc, char **argv) {
    QCoreApplication app(argc, argv);
    QCommandLineParser cli;
    cli.setApplicationDescription(QStringLiteral(
        "Times open->rows, prompt switch and full rescore on a project made by rs_scale_make."));
    cli.addHelpOption();
    cli.addPositionalArgument(QStringLiteral("project"),
                              QStringLiteral("project file (modified: "
                                             "criterion weights change)"));
    const QCommandLineOption switchesOpt(QStringLiteral("switches"),
                                         QStringLiteral("random prompts to switch to (200)"),
                                         QStringLiteral("n"), QStringLiteral("200"));
    const QCommandLineOption openRunsOpt(QStringLiteral("open-runs"),
                                         QStringLiteral("warm open repetitions (5)"),
                                         QStringLiteral("n"), QStringLiteral("5"));
    const QCommandLineOption rescoresOpt(
        QStringLiteral("rescores"), QStringLiteral("warm weight change + rescore repetitions (3)"),
        QStringLiteral("n"), QStringLiteral("3"));
    const QCommandLineOption seedOpt(QStringLiteral("seed"), QStringLiteral("prompt choice seed"),
                                     QStringLiteral("n"), QStringLiteral("7"));
    const QCommandLineOption rewardsOpt(QStringLiteral("rewards-out"),
                                        QStringLiteral("write sample rewards here"),
                                        QStringLiteral("file"));
    const QCommandLineOption sampleOpt(QStringLiteral("sample"),
                                       QStringLiteral("responses in the rewards sample (100)"),
                                       QStringLiteral("n"), QStringLiteral("100"));
    const QCommandLineOption noEvictOpt(
        QStringLiteral("no-evict"), QStringLiteral("skip the page-cache evictions (warm only)"));
    cli.addOptions(
        {switchesOpt, openRunsOpt, rescoresOpt, seedOpt, rewardsOpt, sampleOpt, noEvictOpt});
    cli.process(app);
    if (cli.positionalArguments().size() != 1)
        cli.showHelp(2);
    const QString path = cli.positionalArguments().first();
    if (!QFile::exists(path))
        die(QStringLiteral("no such project: ") + path);
    const bool doEvict = !cli.isSet(noEvictOpt);
    const int switches = std::max(1, cli.value(switchesOpt).toInt());
    const int openRuns = std::max(1, cli.value(openRunsOpt).toInt());
    const int rescores = std::max(1, cli.value(rescoresOpt).toInt());
    QJsonObject out{{QStringLiteral("impl"), QStringLiteral("rubric-studio")},
                    {QStringLiteral("project"), path},
                    {QStringLiteral("file_bytes"), QFile(path).size()},
                    {QStringLiteral("evicted"), doEvict}};

    // --- (a) ---------------------------------------------------------------------------------
    const bool evicted = doEvict && evict(path);
    std::unique_ptr<rs::store::ProjectStore> store;
    const OpenTiming cold = openToRows(path, &store); // kept open: the session's store
    std::vector<OpenTiming> warm;
    for (int i = 0; i < openRuns; ++i)
        warm.push_back(openToRows(path, nullptr));
    std::sort(warm.begin(), warm.end(),
              [](const OpenTiming &a, const OpenTiming &b) { return a.totalMs < b.totalMs; });
    out.insert(QStringLiteral("open"),
               QJsonObject{{QStringLiteral("cold"), json(cold)},
                           {QStringLiteral("cold_evicted"), evicted},
                           {QStringLiteral("warm_median"), json(warm[warm.size() / 2])},
                           {QStringLiteral("warm_runs"), openRuns}});
    out.insert(QStringLiteral("rss_after_open_kb"), qint64(peakRssKb()));

    // The views' read connection, as the CLI and the judge runner open one.
    Database db = must(Database::open(path, Database::Mode::ReadOnly), "read connection");
    const qint64 runId = must(db.scalar("SELECT coalesce(max(id), 0) FROM judge_runs"), "run");
    const qint64 responses = must(db.scalar("SELECT count(*) FROM responses"), "count");
    const qint64 verdicts =
        must(db.scalar("SELECT count(*) FROM verdicts WHERE run_id = " + std::to_string(runId)),
             "count");
    const qint64 perPrompt =
        must(db.scalar("SELECT count(*) FROM responses WHERE prompt_id = 1"), "count");
    const qint64 perRubric =
        must(db.scalar("SELECT count(*) FROM criteria c JOIN rubrics b ON"
                       " c.version_id = b.head_version_id WHERE b.prompt_id = 1"),
             "count");
    out.insert(QStringLiteral("schema_version"), must(db.scalar("PRAGMA user_version"), "version"));
    out.insert(QStringLiteral("run_id"), runId);
    out.insert(QStringLiteral("prompts"), cold.count);
    out.insert(QStringLiteral("responses"), responses);
    out.insert(QStringLiteral("verdicts"), verdicts);

    // --- (b) ---------------------------------------------------------------------------------
    std::vector<qint64> promptIds;
    {
        auto st = must(db.prepare("SELECT id FROM prompts ORDER BY id"), "prompt ids");
        must(st.forEach([&] { promptIds.push_back(st.columnInt(0)); }), "prompt ids");
    }
    std::vector<qint64> chosen;
    std::uint64_t s = cli.value(seedOpt).toULongLong() * 0x9E3779B97F4A7C15ULL + 1;
    for (int i = 0; i < switches && !promptIds.empty(); ++i) {
        s ^= s << 13, s ^= s >> 7, s ^= s << 17; // xorshift64
        chosen.push_back(promptIds[size_t(s % promptIds.size())]);
    }
    // What the first clicks after opening cost: nothing but the navigator's pages read yet.
    if (doEvict)
        evict(path);
    const SwitchPass first = switchPass(db, chosen, runId, perPrompt, perRubric);
    const SwitchPass again = switchPass(db, chosen, runId, perPrompt, perRubric);
    out.insert(QStringLiteral("switch"),
               QJsonObject{{QStringLiteral("prompts"), qint64(chosen.size())},
                           {QStringLiteral("first"), json(stats(first.ms))},
                           {QStringLiteral("warm"), json(stats(again.ms))},
                           {QStringLiteral("bad_grids"), first.badGrids + again.badGrids},
                           {QStringLiteral("rows_per_grid"), perPrompt},
                           {QStringLiteral("criteria_per_grid"), perRubric}});
    out.insert(QStringLiteral("rss_after_switch_kb"), qint64(peakRssKb()));

    // --- (c) ---------------------------------------------------------------------------------
    QJsonArray runs;
    std::vector<double> warmMs, warmCpu, writeMs;
    Rescore last;
    for (int i = 0; i <= rescores; ++i) {
        const bool isCold = i == 0 && doEvict;
        if (isCold)
            evict(path);
        qint64 changed = 0;
        const double w = changeWeights(*store, i % int(std::max<qint64>(1, perRubric)), &changed);
        if (isCold)
            evict(path); // the write touched criteria pages only; keep the rescore's reads cold
        last = rescore(db, runId);
        runs.push_back(QJsonObject{{QStringLiteral("cold"), isCold},
                                   {QStringLiteral("write_ms"), w},
                                   {QStringLiteral("criteria_changed"), changed},
                                   {QStringLiteral("rescore_ms"), last.ms},
                                   {QStringLiteral("rescore_cpu_ms"), last.cpuMs},
                                   {QStringLiteral("scores"), last.scores}});
        if (!isCold) {
            warmMs.push_back(last.ms);
            warmCpu.push_back(last.cpuMs);
            writeMs.push_back(w);
        }
    }
    const QJsonObject firstRun = runs.first().toObject();
    out.insert(QStringLiteral("rescore"),
               QJsonObject{{QStringLiteral("runs"), runs},
                           {QStringLiteral("cold_ms"),
                            doEvict ? firstRun.value(QStringLiteral("rescore_ms")) : QJsonValue()},
                           {QStringLiteral("warm_median_ms"), stats(warmMs).median},
                           {QStringLiteral("warm_cpu_median_ms"), stats(warmCpu).median},
                           {QStringLiteral("write_median_ms"), stats(writeMs).median},
                           {QStringLiteral("scores"), last.scores}});
    out.insert(QStringLiteral("rss_after_rescore_kb"), qint64(peakRssKb()));

    if (cli.isSet(rewardsOpt)) {
        // An even spread over the response ids, same for every run of the same project.
        const qint64 n = std::max<qint64>(1, cli.value(sampleOpt).toLongLong());
        QFile f(cli.value(rewardsOpt));
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text))
            die(QStringLiteral("cannot write ") + f.fileName());
        const qint64 total = qint64(last.result.size());
        QByteArray text = "# response_id reward (run " + QByteArray::number(runId) + ")\n";
        for (qint64 i = 0; i < std::min(n, total); ++i) {
            const auto &sc = last.result[size_t(i * total / std::min(n, total))];
            char line[64];
            std::snprintf(line, sizeof line, "%lld %.17g\n", static_cast<long long>(sc.responseId),
                          sc.reward);
            text += line;
        }
        f.write(text);
        out.insert(QStringLiteral("rewards_out"), f.fileName());
    }

    // The read-only connection first: only the last connection to close checkpoints the WAL and
    // removes it, and a read-only one cannot, so the writer's must be the last.
    db = Database();
    store.reset(); // joins the writer
    out.insert(QStringLiteral("peak_rss_kb"), qint64(peakRssKb()));
    std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Compact).constData());
    return 0;
}

// Import benchmark: times rs::import::importFiles on a JSONL file into a fresh project, then
// times what the navigator does to show rows when that project is opened. Prints JSON lines
// for bench/run_import_bench.sh to tabulate. A benchmark, not a test: it reports, it does not
// assert (the exit code is non-zero only when the import itself fails).

#include "import/importer.h"
#include "store/projectreader.h"
#include "store/projectstore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

struct CpuTimes {
    double user = 0;
    double sys = 0;
};

CpuTimes cpuTimes() {
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return {double(ru.ru_utime.tv_sec) + double(ru.ru_utime.tv_usec) / 1e6,
            double(ru.ru_stime.tv_sec) + double(ru.ru_stime.tv_usec) / 1e6};
}

long peakRssKb() {
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss; // kilobytes on Linux
}

void printJson(const QJsonObject &o) {
    std::fputs(QJsonDocument(o).toJson(QJsonDocument::Compact).constData(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

// Drops the project's pages from the page cache (they are clean once SQLite has synced), so
// the first open is measured as after a reboot rather than straight after the import. Per file
// and harmless; without root there is no other way to get a cold read.
bool evictFromPageCache(const QString &path) {
    const QByteArray p = QFile::encodeName(path);
    const int fd = ::open(p.constData(), O_RDONLY);
    if (fd < 0)
        return false;
    ::fdatasync(fd);
    const bool ok = ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED) == 0;
    ::close(fd);
    return ok;
}

struct OpenTiming {
    double openMs = 0;   ///< ProjectStore::open (migrate check, pragmas, writer thread)
    double readerMs = 0; ///< the navigator's read connection
    double pageMs = 0;   ///< first page of 200 prompts with their counts
    double countMs = 0;  ///< promptCount for the scroll range
    double totalMs = 0;
    qint64 rows = 0;
    qint64 count = 0;
    QString error;
};

// What the navigator does when a project is opened: open the store, get a reader, fetch the
// first page and the row count. Timed from nothing open to rows in hand.
OpenTiming openToRows(const QString &path) {
    OpenTiming t;
    const auto t0 = Clock::now();
    auto store = rs::store::ProjectStore::open(path);
    if (!store) {
        t.error = store.error().toString();
        return t;
    }
    const auto t1 = Clock::now();
    auto reader = store.value()->reader();
    if (!reader) {
        t.error = reader.error().toString();
        return t;
    }
    const auto t2 = Clock::now();
    auto page = reader->prompts(QString(), 0, 200);
    if (!page) {
        t.error = page.error().toString();
        return t;
    }
    const auto t3 = Clock::now();
    auto count = reader->promptCount(QString());
    if (!count) {
        t.error = count.error().toString();
        return t;
    }
    const auto t4 = Clock::now();
    auto ms = [](Clock::time_point a, Clock::time_point b) {
        return std::chrono::duration<double, std::milli>(b - a).count();
    };
    t.openMs = ms(t0, t1);
    t.readerMs = ms(t1, t2);
    t.pageMs = ms(t2, t3);
    t.countMs = ms(t3, t4);
    t.totalMs = ms(t0, t4);
    t.rows = page->size();
    t.count = count.value();
    return t;
}

QJsonObject timingJson(const OpenTiming &t) {
    return QJsonObject{
        {QStringLiteral("total_ms"), t.totalMs},   {QStringLiteral("open_ms"), t.openMs},
        {QStringLiteral("reader_ms"), t.readerMs}, {QStringLiteral("first_page_ms"), t.pageMs},
        {QStringLiteral("count_ms"), t.countMs},   {QStringLiteral("rows"), t.rows},
        {QStringLiteral("prompt_count"), t.count}};
}

} // namespace

int main(int argc, char **argv) {
    QCoreApplication app(argc, argv);
    QCommandLineParser cli;
    cli.setApplicationDescription(QStringLiteral(
        "Times importFiles on a JSONL file into a new project, then open-to-navigator-rows."));
    cli.addHelpOption();
    cli.addPositionalArgument(QStringLiteral("project"), QStringLiteral("project to create"));
    cli.addPositionalArgument(QStringLiteral("file"), QStringLiteral("JSONL file to import"));
    const QCommandLineOption mapOpt(QStringLiteral("map"), QStringLiteral("field map"),
                                    QStringLiteral("spec"),
                                    QStringLiteral("prompt=prompt,response=response,"
                                                   "generator=generator,tier=tier"));
    const QCommandLineOption metaOpt(QStringLiteral("expect"),
                                     QStringLiteral("gen_jsonl.py's .meta.json to check counts"),
                                     QStringLiteral("meta"));
    const QCommandLineOption runsOpt(QStringLiteral("open-runs"),
                                     QStringLiteral("warm open-to-rows repetitions"),
                                     QStringLiteral("n"), QStringLiteral("5"));
    cli.addOptions({mapOpt, metaOpt, runsOpt});
    cli.process(app);
    const QStringList pos = cli.positionalArguments();
    if (pos.size() != 2)
        cli.showHelp(2);
    const QString projectPath = pos[0];
    const QString file = pos[1];

    QString mapError;
    auto map = rs::import::FieldMap::parse(cli.value(mapOpt), &mapError);
    if (!map) {
        std::fprintf(stderr, "--map: %s\n", qPrintable(mapError));
        return 2;
    }
    rs::import::ImportConfig config;
    config.files = QStringList{file};
    config.format = rs::import::Format::Jsonl;
    config.map = *map;
    const qint64 fileBytes = QFileInfo(file).size();

    // --- import -------------------------------------------------------------------------
    auto created = rs::store::ProjectStore::create(projectPath);
    if (!created) {
        std::fprintf(stderr, "%s\n", qPrintable(created.error().toString()));
        return 1;
    }
    std::unique_ptr<rs::store::ProjectStore> store = std::move(created.value());
    qint64 progressCalls = 0;
    const auto cpu0 = cpuTimes();
    const auto t0 = Clock::now();
    // A progress callback as the GUI and CLI pass one, so its cost is in the figure.
    auto result = rs::import::importFiles(*store, config, [&](qint64, qint64) {
        ++progressCalls;
        return true;
    });
    const double importSeconds = secondsSince(t0);
    store.reset(); // joins the writer and closes its connection (final checkpoint), like Python
    const double seconds = secondsSince(t0);
    const auto cpu1 = cpuTimes();
    const long rssKb = peakRssKb();
    if (!result) {
        std::fprintf(stderr, "import failed: %s\n", qPrintable(result.error().toString()));
        return 1;
    }
    const auto &r = result.value();
    printJson(QJsonObject{{QStringLiteral("phase"), QStringLiteral("import")},
                          {QStringLiteral("impl"), QStringLiteral("rubric-studio")},
                          {QStringLiteral("file_bytes"), fileBytes},
                          {QStringLiteral("seconds"), seconds},
                          {QStringLiteral("import_files_s"), importSeconds},
                          {QStringLiteral("close_s"), seconds - importSeconds},
                          {QStringLiteral("cpu_user_s"), cpu1.user - cpu0.user},
                          {QStringLiteral("cpu_sys_s"), cpu1.sys - cpu0.sys},
                          {QStringLiteral("mb_per_s"), double(fileBytes) / 1e6 / seconds},
                          {QStringLiteral("rows_per_s"), double(r.records) / seconds},
                          {QStringLiteral("peak_rss_kb"), qint64(rssKb)},
                          {QStringLiteral("peak_rss_mb"), double(rssKb) / 1024.0},
                          {QStringLiteral("records"), r.records},
                          {QStringLiteral("prompts_added"), r.promptsAdded},
                          {QStringLiteral("responses_added"), r.responsesAdded},
                          {QStringLiteral("duplicates"), r.duplicates},
                          {QStringLiteral("empty_responses"), r.emptyResponses},
                          {QStringLiteral("warnings"), r.warningCount},
                          {QStringLiteral("progress_calls"), progressCalls}});

    // --- open to navigator rows -----------------------------------------------------------
    const bool evicted = evictFromPageCache(projectPath);
    const OpenTiming cold = openToRows(projectPath);
    std::vector<OpenTiming> warm;
    const int runs = std::max(1, cli.value(runsOpt).toInt());
    for (int i = 0; i < runs; ++i)
        warm.push_back(openToRows(projectPath));
    std::sort(warm.begin(), warm.end(),
              [](const OpenTiming &a, const OpenTiming &b) { return a.totalMs < b.totalMs; });
    const OpenTiming &median = warm[warm.size() / 2];
    QString openError = cold.error.isEmpty() ? median.error : cold.error;
    printJson(QJsonObject{{QStringLiteral("phase"), QStringLiteral("open")},
                          {QStringLiteral("page_cache_evicted"), evicted},
                          {QStringLiteral("cold"), timingJson(cold)},
                          {QStringLiteral("warm_median"), timingJson(median)},
                          {QStringLiteral("warm_runs"), runs},
                          {QStringLiteral("error"), openError}});

    // --- counts ---------------------------------------------------------------------------
    QJsonObject counts{{QStringLiteral("phase"), QStringLiteral("counts")}};
    auto reopened = rs::store::ProjectStore::open(projectPath);
    auto reader = reopened ? reopened.value()->reader()
                           : rs::Expected<rs::store::ProjectReader>(reopened.error());
    auto stats = reader ? reader->stats() : rs::Expected<rs::ProjectStats>(reader.error());
    if (!stats) {
        counts.insert(QStringLiteral("error"), stats.error().toString());
        counts.insert(QStringLiteral("ok"), false);
    } else {
        const rs::ProjectStats &s = stats.value();
        counts.insert(QStringLiteral("prompts"), s.prompts);
        counts.insert(QStringLiteral("responses"), s.responses);
        counts.insert(QStringLiteral("generators"), s.generators);
        counts.insert(QStringLiteral("empty_responses"), s.emptyResponses);
        if (cli.isSet(metaOpt)) {
            QFile metaFile(cli.value(metaOpt));
            QJsonObject meta;
            if (metaFile.open(QIODevice::ReadOnly))
                meta = QJsonDocument::fromJson(metaFile.readAll()).object();
            const bool ok =
                !meta.isEmpty() && s.prompts == meta.value(QStringLiteral("prompts")).toInteger() &&
                s.responses == meta.value(QStringLiteral("responses")).toInteger() &&
                s.generators == meta.value(QStringLiteral("generators")).toInteger() &&
                s.emptyResponses == meta.value(QStringLiteral("empty_responses")).toInteger();
            counts.insert(QStringLiteral("expected"), meta);
            counts.insert(QStringLiteral("ok"), ok);
        }
    }
    printJson(counts);
    return 0;
}

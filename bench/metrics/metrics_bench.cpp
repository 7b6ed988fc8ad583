// Times every project-level metric (rs::analytics::computeProjectMetrics) on a worker thread,
// as the studio runs it, over a project such as the scale benchmark's 1.2M-verdict one.
// --add-gold first stores seeded synthetic gold preferences, since generated projects have none.
// Intervals are part of the timed work: --bootstrap replicates over prompts (the studio's default,
// 1000) seeded by --seed (1); --metrics-out writes the full `metrics --json` document with them.
#include "analytics/metricsjson.h"
#include "analytics/projectmetrics.h"
#include "store/database.h"
#include "store/projectstore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QtConcurrent>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <random>

namespace {

// Tier order of the scale generator (bench/scale/make_scale_project.cpp): best first.
int tierRank(const QString &tier) {
    static const QStringList order{QStringLiteral("great"), QStringLiteral("good"),
                                   QStringLiteral("ok"), QStringLiteral("bad")};
    const int i = int(order.indexOf(tier));
    return i < 0 ? 4 : i;
}

rs::Expected<qint64> addGold(const QString &path, int pairsPerPrompt, unsigned seed) {
    auto store = rs::store::ProjectStore::open(path);
    if (!store)
        return store.error();
    qint64 added = 0;
    auto r = store.value()->writer().write([&](rs::store::Database &db) -> rs::Expected<void> {
        if (auto d = db.exec("DELETE FROM preferences WHERE source = 'bench'"); !d)
            return d;
        auto st = db.prepare("SELECT id, prompt_id, coalesce(tier, '') FROM responses ORDER BY id");
        if (!st)
            return st.error();
        std::map<qint64, std::vector<std::pair<qint64, int>>> byPrompt;
        auto walked = st->forEach([&] {
            byPrompt[st->columnInt(1)].push_back({st->columnInt(0), tierRank(st->columnText(2))});
        });
        if (!walked)
            return walked.error();
        auto ins =
            db.prepare("INSERT INTO preferences(prompt_id, response_a, response_b, preference,"
                       " source) VALUES(?1, ?2, ?3, ?4, 'bench')");
        if (!ins)
            return ins.error();
        std::mt19937 rng(seed);
        std::uniform_real_distribution<double> unit(0, 1);
        for (const auto &[prompt, rs] : byPrompt) {
            if (rs.size() < 2)
                continue;
            std::uniform_int_distribution<size_t> pick(0, rs.size() - 1);
            for (int k = 0; k < pairsPerPrompt; ++k) {
                size_t a = pick(rng), b = pick(rng);
                if (a == b)
                    b = (b + 1) % rs.size();
                // The better tier wins 80% of the time; within a tier it is a coin flip.
                const int d = rs[a].second - rs[b].second; // > 0: B is the better tier
                const double pB = d > 0 ? 0.8 : d < 0 ? 0.2 : 0.5;
                ins->reset();
                ins->bind(1, std::int64_t(prompt));
                ins->bind(2, std::int64_t(rs[a].first));
                ins->bind(3, std::int64_t(rs[b].first));
                ins->bind(4, unit(rng) < pB ? 1.0 : 0.0);
                if (auto res = ins->run(); !res)
                    return res;
                ++added;
            }
        }
        return {};
    });
    if (!r)
        return r.error();
    return added;
}

} // namespace

int main(int argc, char **argv) {
    QCoreApplication app(argc, argv);
    QCommandLineParser cli;
    cli.setApplicationDescription(QStringLiteral("Times every project-level metric."));
    cli.addHelpOption();
    cli.addPositionalArgument(QStringLiteral("project"), QStringLiteral("project file"));
    const QCommandLineOption goldOpt(
        QStringLiteral("add-gold"), QStringLiteral("store N synthetic gold pairs per prompt first"),
        QStringLiteral("n"));
    const QCommandLineOption runsOpt(QStringLiteral("runs"), QStringLiteral("timed runs (3)"),
                                     QStringLiteral("n"), QStringLiteral("3"));
    const QCommandLineOption tierAOpt(QStringLiteral("tier-a"), QStringLiteral("tier A (great)"),
                                      QStringLiteral("t"), QStringLiteral("great"));
    const QCommandLineOption tierBOpt(QStringLiteral("tier-b"), QStringLiteral("tier B (good)"),
                                      QStringLiteral("t"), QStringLiteral("good"));
    const QCommandLineOption jsonOpt(QStringLiteral("metrics-out"),
                                     QStringLiteral("write the metrics JSON here"),
                                     QStringLiteral("file"));
    const rs::analytics::MetricOptions defaults{};
    const QCommandLineOption bootstrapOpt(
        QStringLiteral("bootstrap"),
        QStringLiteral("bootstrap replicates over prompts for the intervals (%1; 0: none)")
            .arg(defaults.bootstrap),
        QStringLiteral("b"), QString::number(defaults.bootstrap));
    const QCommandLineOption seedOpt(QStringLiteral("seed"),
                                     QStringLiteral("bootstrap seed (%1)").arg(defaults.seed),
                                     QStringLiteral("s"), QString::number(defaults.seed));
    cli.addOptions({goldOpt, runsOpt, tierAOpt, tierBOpt, jsonOpt, bootstrapOpt, seedOpt});
    cli.process(app);
    if (cli.positionalArguments().size() != 1)
        cli.showHelp(2);
    const QString path = cli.positionalArguments().first();

    if (cli.isSet(goldOpt)) {
        auto n = addGold(path, cli.value(goldOpt).toInt(), 20240611u);
        if (!n) {
            std::fprintf(stderr, "add-gold: %s\n", qPrintable(n.error().toString()));
            return 1;
        }
        std::fprintf(stderr, "stored %lld gold pairs\n", static_cast<long long>(n.value()));
    }

    rs::analytics::MetricOptions o;
    o.highTiers = {QStringLiteral("great")};
    o.lowTiers = {QStringLiteral("ok"), QStringLiteral("bad")};
    o.tierA = cli.value(tierAOpt);
    o.tierB = cli.value(tierBOpt);
    o.bootstrap = std::max(0, cli.value(bootstrapOpt).toInt());
    o.seed = cli.value(seedOpt).toULongLong();
    std::vector<double> seconds;
    nlohmann::json last;
    for (int run = 0; run < std::max(1, cli.value(runsOpt).toInt()); ++run) {
        const auto t0 = std::chrono::steady_clock::now();
        // Off the calling thread, with its own read-only connection, as the studio's worker.
        auto future = QtConcurrent::run([&]() -> rs::Expected<rs::analytics::ProjectMetrics> {
            auto db = rs::store::Database::open(path, rs::store::Database::Mode::ReadOnly);
            if (!db)
                return db.error();
            return rs::analytics::computeProjectMetrics(db.value(), o);
        });
        auto m = future.result();
        const double s =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        if (!m) {
            std::fprintf(stderr, "metrics: %s\n", qPrintable(m.error().toString()));
            return 1;
        }
        seconds.push_back(s);
        last = rs::analytics::toJson(m.value(), o);
    }
    if (cli.isSet(jsonOpt)) {
        QFile f(cli.value(jsonOpt));
        if (f.open(QIODevice::WriteOnly))
            f.write(QByteArray::fromStdString(last.dump(1)));
    }
    std::vector<double> sorted = seconds;
    std::sort(sorted.begin(), sorted.end());
    const auto value = [&](const char *key) -> nlohmann::json {
        const auto &v = last[key];
        return v.is_object() ? v["value"] : v;
    };
    nlohmann::json out{{"seconds", seconds},
                       {"best", sorted.front()},
                       {"median", sorted[sorted.size() / 2]},
                       {"bootstrap", o.bootstrap},
                       {"seed", o.seed},
                       {"scored_responses", last["scored_responses"]},
                       {"gold_pairs", last["gold_pairs"]},
                       {"tail_accuracy_high", value("tail_accuracy_high")},
                       {"tail_accuracy_low", value("tail_accuracy_low")},
                       {"top_tier_auc", value("top_tier_auc")},
                       {"top_k_tie_rate", value("top_k_tie_rate")},
                       {"dead_criteria", value("dead_criteria")},
                       {"reward_length_spearman", value("reward_length_spearman")},
                       {"gold_length_spearman", value("gold_length_spearman")},
                       {"best_of_16_by_rubric", last["best_of_n"].empty()
                                                    ? nlohmann::json()
                                                    : last["best_of_n"].back()["by_rubric"]}};
    std::printf("%s\n", out.dump().c_str());
    return 0;
}

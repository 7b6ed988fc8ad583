#include "corrections.h"

#include "analytics/clusterbootstrap.h"
#include "analytics/metricdata.h"
#include "common/splitmix.h"
#include "store/database.h"
#include "store/projectstore.h"
#include "store/projectwriter.h"

#include <QHash>

#include <algorithm>
#include <array>
#include <map>
#include <unordered_map>

namespace rs::labels {
namespace {

// A cell's place in [0, 1) for the held-out split: fixed by the seed and the cell alone, so
// attaching again never moves a held-out cell into the examples.
double splitValue(std::uint64_t seed, qint64 responseId, const QString &stableId) {
    SplitMix64 rng(seed ^ (std::uint64_t(responseId) * 0x9E3779B97F4A7C15ULL) ^
                   std::uint64_t(qHash(stableId)));
    return double(rng.next() >> 11) / double(1ULL << 53);
}

std::size_t tableIndex(bool judge, bool human) {
    return judge ? (human ? 0 : 1) : (human ? 2 : 3);
}

} // namespace

Expected<AttachResult> attachCorrections(store::ProjectStore &store, store::Database &db,
                                         const AttachOptions &options) {
    analytics::MetricOptions mo;
    mo.runId = options.runId;
    auto data = analytics::loadMetricData(db, mo);
    if (!data)
        return data.error();
    if (data->runId == 0)
        return makeError(QStringLiteral("the project has no judge run: judge it first"));

    struct Candidate {
        double order;
        qint64 responseId;
        bool human;
    };
    std::map<int, std::vector<Candidate>> byCriterion;
    std::map<int, int> already;
    AttachResult result;
    for (const analytics::LabelledCell &c : data->labelled) {
        const auto human = analytics::humanMajority(c);
        if (!human || !c.judge)
            continue;
        if (c.example) {
            ++already[c.criterion];
            continue;
        }
        const analytics::CriterionFacts &cf = data->criteria[std::size_t(c.criterion)];
        const qint64 responseId = data->responses[std::size_t(c.response)].responseId;
        const double u = splitValue(options.seed, responseId, cf.stableId);
        if (*c.judge != *human && u >= options.holdout)
            byCriterion[c.criterion].push_back({u, responseId, *human});
    }
    struct Row {
        qint64 responseId;
        QString stableId;
        QString text;
        bool met;
    };
    std::vector<Row> rows;
    for (auto &[criterion, candidates] : byCriterion) {
        std::sort(candidates.begin(), candidates.end(),
                  [](const Candidate &a, const Candidate &b) { return a.order < b.order; });
        const int room = std::max(0, options.perCriterion - already[criterion]);
        const analytics::CriterionFacts &cf = data->criteria[std::size_t(criterion)];
        for (int k = 0; k < room && k < int(candidates.size()); ++k)
            rows.push_back({candidates[std::size_t(k)].responseId, cf.stableId, cf.text,
                            candidates[std::size_t(k)].human});
        result.criteria += room > 0 && !candidates.empty();
    }
    auto written = store.writer().write([&rows](store::Database &w) -> Expected<void> {
        auto st = w.prepare("INSERT OR IGNORE INTO criterion_examples(response_id, stable_id,"
                            " criterion, met, annotator) VALUES(?1, ?2, ?3, ?4, 'labels')");
        if (!st)
            return st.error();
        for (const Row &r : rows) {
            st->reset();
            st->bind(1, std::int64_t(r.responseId));
            st->bind(2, r.stableId);
            st->bind(3, r.text);
            st->bind(4, std::int64_t(r.met ? 1 : 0));
            if (auto run = st->run(); !run)
                return run;
        }
        return {};
    });
    if (!written)
        return written.error();
    result.attached = int(rows.size());
    for (const analytics::LabelledCell &c : data->labelled)
        result.heldOut += !c.example && analytics::humanMajority(c).has_value();
    result.heldOut -= result.attached;
    return result;
}

Expected<int> detachAll(store::ProjectStore &store) {
    int removed = 0;
    auto r = store.writer().write([&removed](store::Database &db) -> Expected<void> {
        auto n = db.scalar("SELECT count(*) FROM criterion_examples");
        if (!n)
            return n.error();
        removed = int(n.value());
        return db.exec("DELETE FROM criterion_examples");
    });
    if (!r)
        return r.error();
    return removed;
}

Expected<HeldOutComparison> compareOnHeldOut(store::Database &db, qint64 beforeRun,
                                             qint64 afterRun, int bootstrap, std::uint64_t seed) {
    analytics::MetricOptions mo;
    mo.runId = beforeRun;
    auto before = analytics::loadMetricData(db, mo);
    if (!before)
        return before.error();
    mo.runId = afterRun;
    auto after = analytics::loadMetricData(db, mo);
    if (!after)
        return after.error();
    // The same cells in both: the labelled cells are read against the same current rubrics,
    // so they line up by (response, criterion) index.
    std::map<std::pair<int, int>, const analytics::LabelledCell *> later;
    for (const analytics::LabelledCell &c : after->labelled)
        later.emplace(std::make_pair(c.response, c.criterion), &c);
    std::unordered_map<qint64, int> cluster;
    std::vector<std::array<double, 4>> a, b;
    for (const analytics::LabelledCell &c : before->labelled) {
        const auto it = later.find({c.response, c.criterion});
        if (it == later.end())
            continue;
        const analytics::LabelledCell &d = *it->second;
        const auto human = analytics::humanMajority(d);
        // Held out: not an example now (after attaching), judged in both runs.
        if (d.example || !human || !c.judge || !d.judge)
            continue;
        const qint64 prompt = before->responses[std::size_t(c.response)].promptId;
        const auto [at, added] = cluster.emplace(prompt, int(a.size()));
        if (added) {
            a.push_back({});
            b.push_back({});
        }
        a[std::size_t(at->second)][tableIndex(*c.judge, *human)] += 1;
        b[std::size_t(at->second)][tableIndex(*d.judge, *human)] += 1;
    }
    std::array<double, 4> sa{}, sb{};
    for (std::size_t p = 0; p < a.size(); ++p)
        for (std::size_t k = 0; k < 4; ++k) {
            sa[k] += a[p][k];
            sb[k] += b[p][k];
        }
    const auto ka = analytics::kappaOfTable(sa), kb = analytics::kappaOfTable(sb);
    if (!ka || !kb)
        return makeError(QStringLiteral("no held-out labelled cell has a verdict in both runs "
                                        "(or kappa is undefined on them): label more cells"));
    const qint64 n = qint64(sa[0] + sa[1] + sa[2] + sa[3]);
    HeldOutComparison out{{*ka, n, std::nullopt}, {*kb, n, std::nullopt}, {*kb - *ka, n, std::nullopt}};
    if (bootstrap > 0) {
        analytics::ClusterBootstrap boot(int(a.size()), bootstrap, seed);
        const int sBefore = boot.addKappa(a), sAfter = boot.addKappa(b);
        const int sDiff = boot.addKappaDifference(a, b);
        boot.run();
        out.before.ci = boot.interval(sBefore);
        out.after.ci = boot.interval(sAfter);
        out.difference.ci = boot.interval(sDiff);
    }
    return out;
}

} // namespace rs::labels

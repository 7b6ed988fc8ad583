#include "projectmetrics.h"

#include "intervals.h"
#include "store/database.h"

namespace rs::analytics {
namespace {

// The judge's explanation of each disagreement, from its first vote on the cell: what a
// reader needs to see why the judge and the human part.
Expected<void> readRationales(store::Database &db, qint64 runId, std::vector<Disagreement> &rows) {
    if (rows.empty() || runId == 0)
        return {};
    auto st = db.prepare("SELECT coalesce(v.rationale, '') FROM verdicts v"
                         " WHERE v.run_id = ?1 AND v.response_id = ?2 AND v.stable_id = ?3"
                         " AND coalesce(v.rationale, '') <> '' ORDER BY v.grading LIMIT 1");
    if (!st)
        return st.error();
    for (Disagreement &d : rows) {
        st->reset();
        st->bind(1, std::int64_t(runId));
        st->bind(2, std::int64_t(d.responseId));
        st->bind(3, d.stableId);
        auto row = st->step();
        if (!row)
            return row.error();
        if (*row)
            d.rationale = st->columnText(0);
    }
    return {};
}

} // namespace

Expected<ProjectMetrics> computeProjectMetrics(store::Database &db, const MetricOptions &options,
                                               const MetricsProgressFn &progress,
                                               std::vector<ResponseFacts> *responses) {
    constexpr int kStages = 5;
    const auto step = [&](int done) { return !progress || progress(done, kStages); };
    const Error cancelled = makeError(QStringLiteral("cancelled"));

    auto loaded = loadMetricData(db, options);
    if (!loaded)
        return loaded.error();
    const MetricData &data = loaded.value();
    if (!step(1))
        return cancelled;

    ProjectMetrics m;
    m.runId = data.runId;
    m.gradings = data.gradings;
    m.responses = qint64(data.responses.size());
    for (const ResponseFacts &f : data.responses)
        m.scoredResponses += f.scored;
    m.goldPairs = qint64(data.gold.size());
    m.tail = tailAccuracy(data, options);
    m.separation = topTierSeparation(data, options);
    m.discrimination = criterionDiscrimination(data, options);
    m.goldAgreement = criterionGoldAgreement(data);
    m.discriminationGap = meanDiscriminationGap(m.discrimination);
    if (!step(2))
        return cancelled;
    m.style = styleConfound(data, options);
    m.bestOfN = bestOfN(data, options);
    if (!step(3))
        return cancelled;

    // The comparison run: the one asked for, else the run before ours, when there is one.
    qint64 other = options.compareRunId;
    if (other == 0 && data.runId != 0) {
        auto st = db.prepare("SELECT coalesce(max(id), 0) FROM judge_runs WHERE id < ?1");
        if (!st)
            return st.error();
        st->bind(1, std::int64_t(data.runId));
        auto row = st->step();
        if (!row)
            return row.error();
        other = *row ? st->columnInt(0) : 0;
    }
    std::vector<std::vector<Verdict>> otherVerdicts;
    if (other != 0 && other != data.runId) {
        auto verdicts = loadRunVerdicts(db, data, other);
        if (!verdicts)
            return verdicts.error();
        otherVerdicts = std::move(verdicts.value());
        m.reliability = judgeReliability(data, &otherVerdicts, other);
    } else {
        m.reliability = judgeReliability(data);
    }
    m.agreement = humanAgreement(data, options);
    if (auto read = readRationales(db, data.runId, m.agreement.disagreements); !read)
        return read.error();
    attachIntervals(m, data, options, otherVerdicts.empty() ? nullptr : &otherVerdicts);
    if (!step(4))
        return cancelled;

    // Curves need schema 6; an older project opened read-only simply has none.
    auto hasCurves = db.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'training_curves'");
    if (!hasCurves)
        return hasCurves.error();
    if (hasCurves.value() > 0) {
        auto curves = readTrainingCurves(db);
        if (!curves)
            return curves.error();
        m.curves = std::move(curves.value());
    }
    auto timeline = refinementTimeline(db, data, options);
    if (!timeline)
        return timeline.error();
    m.timeline = std::move(timeline.value());
    if (!step(5))
        return cancelled;
    if (responses)
        *responses = data.responses;
    return m;
}

Expected<void> adaptTiersToProject(store::Database &db, MetricOptions &options) {
    static const QStringList order = {QStringLiteral("excellent"), QStringLiteral("great"),
                                      QStringLiteral("good"),      QStringLiteral("weak"),
                                      QStringLiteral("base"),      QStringLiteral("bad")};
    auto rows = db.prepare("SELECT DISTINCT lower(tier) FROM responses WHERE tier <> ''");
    if (!rows)
        return rows.error();
    QStringList present;
    if (auto read = rows->forEach([&] { present.append(rows->columnText(0)); }); !read)
        return read;
    if (present.contains(options.tierA))
        return {};
    QStringList ranked;
    for (const QString &tier : order)
        if (present.contains(tier))
            ranked.append(tier);
    if (ranked.size() < 2)
        return {};
    options.tierA = ranked.at(0);
    options.tierB = ranked.at(1);
    for (const QString &tier : ranked.mid(2))
        if (!options.lowTiers.contains(tier))
            options.lowTiers.append(tier);
    return {};
}

} // namespace rs::analytics

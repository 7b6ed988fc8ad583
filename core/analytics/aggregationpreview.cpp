#include "aggregationpreview.h"

#include "groupadvantages.h"
#include "judge/aggregationjson.h"
#include "judge/verdicttally.h"
#include "separation.h"
#include "tailaccuracy.h"

#include <algorithm>

namespace rs::analytics {
namespace {

Error previewCancelled() {
    return makeError(QStringLiteral("cancelled"));
}

// What loadMetricData calls scored: the run (or an override, or a check) gave at least one
// verdict on the response. A response with none has no reward to compare.
bool judged(const judge::VerdictTally &t, const judge::TallyResponse &r) {
    const judge::TallyPrompt *p = t.promptOf(r);
    if (!p)
        return false;
    for (int k = 0; k < p->count; ++k)
        if (t.verdict(r.firstCell + std::size_t(k)))
            return true;
    return false;
}

const judge::AggregationSpec &specFor(const AggregationCandidate &c, const judge::TallyPrompt &p) {
    return c.spec ? *c.spec : p.aggregation;
}

// One prompt's scored responses under one candidate, with their advantages.
std::vector<ResponseOutcome> promptOutcomes(const judge::VerdictTally &t, qint64 promptId,
                                            const AggregationCandidate &candidate,
                                            const MetricOptions &options) {
    std::vector<ResponseOutcome> out;
    std::vector<double> rewards;
    for (const judge::TallyResponse &r : t.responses()) {
        if (r.promptId != promptId || !judged(t, r))
            continue;
        const judge::AggregationSpec &spec = specFor(candidate, *t.promptOf(r));
        ResponseOutcome o;
        o.responseId = r.responseId;
        o.generator = r.generator;
        o.tier = r.tier;
        o.topTier = r.tier.compare(options.tierA, Qt::CaseInsensitive) == 0;
        o.reward = t.reward(r, spec, options.missing);
        o.softReward = t.softReward(r, spec, options.missing);
        rewards.push_back(o.reward);
        out.push_back(std::move(o));
    }
    const std::vector<double> a = groupAdvantages(rewards);
    for (std::size_t i = 0; i < out.size(); ++i)
        out[i].advantage = a[i];
    return out;
}

// Puts `candidate`'s rewards (the majority one and one per grading, as tail accuracy reads
// them) into `data`, whose responses are the tally's in the same order.
void applyCandidate(const judge::VerdictTally &t, const AggregationCandidate &candidate,
                    judge::MissingPolicy missing, MetricData &data) {
    for (std::size_t i = 0; i < data.responses.size(); ++i) {
        ResponseFacts &f = data.responses[i];
        if (!f.scored)
            continue;
        const judge::TallyResponse &r = t.responses()[i];
        const judge::AggregationSpec &spec = specFor(candidate, *t.promptOf(r));
        f.reward = t.reward(r, spec, missing);
        for (std::size_t g = 0; g < f.gradingRewards.size(); ++g)
            f.gradingRewards[g] = t.gradingReward(r, int(g), spec, missing);
    }
}

std::vector<AggregationCandidate> withCurrentFirst(std::vector<AggregationCandidate> asked,
                                                   const judge::VerdictTally &t) {
    if (asked.empty())
        asked = defaultAggregationCandidates(t);
    std::vector<AggregationCandidate> out{currentAggregation()};
    for (AggregationCandidate &c : asked)
        if (c.spec)
            out.push_back(std::move(c));
    return out;
}

} // namespace

AggregationCandidate currentAggregation() {
    return AggregationCandidate{QStringLiteral("current"), std::nullopt};
}

AggregationCandidate aggregationCandidate(const judge::AggregationSpec &spec) {
    return AggregationCandidate{judge::aggregationSummary(spec), spec};
}

std::vector<AggregationCandidate> defaultAggregationCandidates(const judge::VerdictTally &tally) {
    // The most common stored aggregation is the base the shaping variants change one thing
    // of, so each row differs from it in the one respect its name says.
    std::vector<std::pair<judge::AggregationSpec, int>> seen;
    for (const judge::TallyPrompt &p : tally.prompts()) {
        auto it = std::find_if(seen.begin(), seen.end(),
                               [&](const auto &s) { return s.first == p.aggregation; });
        if (it == seen.end())
            seen.emplace_back(p.aggregation, 1);
        else
            ++it->second;
    }
    judge::AggregationSpec base;
    int most = 0;
    for (const auto &[spec, count] : seen)
        if (count > most) {
            base = spec;
            most = count;
        }
    bool anyVeto = false;
    for (const judge::TallyCriterion &c : tally.criteria())
        anyVeto = anyVeto || c.veto;

    std::vector<judge::AggregationSpec> specs;
    const auto plain = [&](judge::Aggregation type) {
        judge::AggregationSpec s;
        s.type = type;
        s.vetoCap = base.vetoCap;
        return s;
    };
    specs.push_back(plain(judge::Aggregation::WeightedSum));
    specs.push_back(plain(judge::Aggregation::Points));
    if (anyVeto) {
        judge::AggregationSpec off = base;
        off.vetoCap = 1;
        specs.push_back(off);
    }
    for (const auto &[shaping, k] :
         {std::pair{judge::Shaping::Power, 2.0}, std::pair{judge::Shaping::Exponential, 3.0},
          std::pair{judge::Shaping::Power, 0.5}}) {
        judge::AggregationSpec s = base;
        s.shaping = shaping;
        s.exponent = k;
        specs.push_back(s);
    }
    std::vector<AggregationCandidate> out;
    for (const judge::AggregationSpec &s : specs)
        if (std::none_of(out.begin(), out.end(), [&](const auto &c) { return *c.spec == s; }))
            out.push_back(aggregationCandidate(s));
    return out;
}

Expected<AggregationPreview> previewAggregations(store::Database &db,
                                                 const AggregationPreviewOptions &options,
                                                 const MetricsProgressFn &progress) {
    const MetricOptions &mo = options.metrics;
    judge::VerdictTally tally;
    auto loaded = loadMetricData(db, mo, &tally);
    if (!loaded)
        return loaded.error();
    MetricData &data = loaded.value();
    if (tally.responses().size() != data.responses.size())
        return makeError(QStringLiteral("the project changed while it was read; try again"));

    AggregationPreview out;
    out.runId = data.runId;
    out.promptId = options.promptId;
    out.tierA = mo.tierA;
    out.tierB = mo.tierB;
    out.goldPairs = qint64(data.gold.size());
    for (const ResponseFacts &f : data.responses)
        out.scoredResponses += f.scored;
    if (!tally.prompts().empty()) {
        const judge::AggregationSpec &first = tally.prompts().front().aggregation;
        const bool uniform = std::all_of(tally.prompts().begin(), tally.prompts().end(),
                                         [&](const auto &p) { return p.aggregation == first; });
        if (uniform)
            out.currentSummary = judge::aggregationSummary(first);
    }

    const std::vector<AggregationCandidate> candidates =
        withCurrentFirst(options.candidates, tally);
    const int stages = 1 + int(candidates.size());
    if (progress && !progress(1, stages))
        return previewCancelled();
    for (const AggregationCandidate &c : candidates) {
        applyCandidate(tally, c, mo.missing, data);
        CandidatePreview p;
        p.candidate = c;
        const TopTierSeparation sep = topTierSeparation(data, mo);
        p.auc = sep.auc;
        p.topTieRate = sep.tieRate;
        const TailAccuracy tail = tailAccuracy(data, mo);
        p.tailAccuracy = tail.all;
        p.tailHigh = tail.high;
        const AdvantageSummary adv = advantageSummary(data, mo.tierA);
        p.groups = adv.groups;
        p.zeroSpreadGroups = adv.zeroSpreadGroups;
        p.zeroSpreadShare = adv.zeroSpreadShare;
        p.advantageGap = adv.advantageGap;
        if (options.promptId)
            p.prompt = promptOutcomes(tally, options.promptId, c, mo);
        out.candidates.push_back(std::move(p));
        if (progress && !progress(int(out.candidates.size()) + 1, stages))
            return previewCancelled();
    }
    return out;
}

Expected<std::vector<std::vector<ResponseOutcome>>>
previewPromptAggregations(store::Database &db, qint64 promptId,
                          const std::vector<AggregationCandidate> &candidates,
                          const MetricOptions &options) {
    judge::TallyOptions to;
    to.runId = options.runId;
    to.promptId = promptId;
    auto tally = judge::VerdictTally::load(db, to);
    if (!tally)
        return tally.error();
    std::vector<std::vector<ResponseOutcome>> out;
    out.reserve(candidates.size());
    for (const AggregationCandidate &c : candidates)
        out.push_back(promptOutcomes(tally.value(), promptId, c, options));
    return out;
}

} // namespace rs::analytics

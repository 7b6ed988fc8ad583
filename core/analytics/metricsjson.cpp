#include "metricsjson.h"

#include "labels/cellid.h"

#include <algorithm>
#include <cmath>

namespace rs::analytics {
namespace {

using nlohmann::json;

// NaN and infinities are not JSON; they only arise where the data allows no value.
json num(double v) {
    return std::isfinite(v) ? json(v) : json(nullptr);
}

// Every estimate carries its bootstrap interval; null bounds when the bootstrap was off or
// too few replicates defined the statistic.
void putInterval(json &j, const std::optional<Interval> &ci) {
    j["ci_low"] = ci ? num(ci->low) : json(nullptr);
    j["ci_high"] = ci ? num(ci->high) : json(nullptr);
}

json est(const std::optional<Estimate> &e) {
    if (!e)
        return nullptr;
    json j{{"value", num(e->value)}, {"n", e->n}};
    putInterval(j, e->ci);
    return j;
}

json corr(const std::optional<Correlation> &c) {
    if (!c)
        return nullptr;
    json j{{"value", num(c->rho)}, {"rho", num(c->rho)}, {"n", c->n}, {"p", num(c->pValue)}};
    putInterval(j, c->ci);
    return j;
}

void agreementJson(const HumanAgreement &a, json &j) {
    if (a.judgeHuman) {
        json k = est(a.judgeHuman->kappa);
        k["base_rate"] = num(a.judgeHuman->baseRate);
        j["judge_human_kappa"] = k;
    } else {
        j["judge_human_kappa"] = nullptr;
    }
    if (a.judgeHumanHeldOut) {
        json k = est(a.judgeHumanHeldOut->kappa);
        k["base_rate"] = num(a.judgeHumanHeldOut->baseRate);
        j["judge_human_kappa_heldout"] = k;
    } else {
        j["judge_human_kappa_heldout"] = nullptr;
    }
    json per = json::array();
    for (const CriterionAgreement &c : a.perCriterion) {
        json row{{"prompt_id", c.promptId},
                 {"criterion", c.stableId.toStdString()},
                 {"value", c.kappa ? num(*c.kappa) : json(nullptr)},
                 {"n", c.n},
                 {"base_rate", num(c.baseRate)},
                 {"text", c.text.toStdString()}};
        putInterval(row, c.ci);
        per.push_back(std::move(row));
    }
    j["judge_human_kappa_per_criterion"] = per;
    j["annotator_agreement"] = a.annotators ? json{{"value", num(a.annotators->value)},
                                                   {"n", a.annotators->n},
                                                   {"method", a.annotators->method.toStdString()}}
                                            : json(nullptr);
    json rows = json::array();
    for (const Disagreement &d : a.disagreements)
        rows.push_back({{"cell", labels::cellId(d.responseId, d.stableId).toStdString()},
                        {"response_id", d.responseId},
                        {"criterion_id", d.stableId.toStdString()},
                        {"judge", d.judge ? "yes" : "no"},
                        {"human", d.human ? "yes" : "no"},
                        {"rationale", d.rationale.toStdString()},
                        {"criterion", d.text.toStdString()}});
    j["judge_human_disagreements"] = rows;
    j["calibration"] = {{"calibrated", a.calibrated},
                        {"threshold", a.threshold},
                        {"min_labels", 50},
                        {"judge_model", a.judgeModel.toStdString()},
                        {"labelled_cells", a.labelledCells},
                        {"annotators", a.annotatorCount},
                        {"human_ties", a.humanTies},
                        {"examples", a.examples}};
}

json opt(const std::optional<double> &v) {
    return v ? num(*v) : json(nullptr);
}

std::string s(const QString &q) {
    return q.toStdString();
}

// Long per-item lists are capped in the printed form; the API keeps them whole for charts.
constexpr size_t kListCap = 50;

} // namespace

json toJson(const std::optional<Estimate> &estimate) {
    return est(estimate);
}

json toJson(const ProjectMetrics &m, const MetricOptions &o) {
    json j;
    j["run_id"] = m.runId;
    j["gradings"] = m.gradings;
    j["responses"] = m.responses;
    j["scored_responses"] = m.scoredResponses;
    j["gold_pairs"] = m.goldPairs;
    j["options"] = {{"ties", s(tiePolicyName(o.ties))},
                    {"regions", s(regionPolicyName(o.regions))},
                    {"high_tiers", s(o.highTiers.join(QLatin1Char(',')))},
                    {"low_tiers", s(o.lowTiers.join(QLatin1Char(',')))},
                    {"quantile", o.quantile},
                    {"tier_a", s(o.tierA)},
                    {"tier_b", s(o.tierB)},
                    {"top_k", o.topK},
                    {"bootstrap", o.bootstrap},
                    {"seed", o.seed}};

    j["tail_accuracy_high"] = est(m.tail.high);
    j["tail_accuracy_low"] = est(m.tail.low);
    j["tail_accuracy_all"] = est(m.tail.all);
    j["tail_rubric_ties"] = m.tail.rubricTies;
    j["tail_gold_ties"] = m.tail.goldTies;

    j["top_tier_auc"] = est(m.separation.auc);
    j["top_tier_auc_pooled"] = est(m.separation.pooledAuc);
    j["top_k_tie_rate"] = est(m.separation.tieRate);
    j["top_k_spread"] = est(m.separation.meanSpread);
    j["dead_criteria"] = m.separation.criteriaExamined ? json{{"value", m.separation.deadCriteria},
                                                              {"n", m.separation.criteriaExamined}}
                                                       : json(nullptr);
    json dead = json::array();
    for (size_t i = 0; i < std::min(kListCap, m.separation.dead.size()); ++i) {
        const auto &d = m.separation.dead[i];
        dead.push_back({{"prompt_id", d.promptId},
                        {"criterion", s(d.stableId)},
                        {"all_pass", d.allPass},
                        {"text", s(d.text)}});
    }
    j["dead_criteria_list"] = dead;

    j["discrimination_gap"] = est(m.discriminationGap);
    std::vector<const CriterionDiscrimination *> gaps;
    for (const auto &d : m.discrimination)
        if (d.gap)
            gaps.push_back(&d);
    // The least discriminating first: those are the criteria worth rewriting.
    std::sort(gaps.begin(), gaps.end(), [](auto *a, auto *b) { return *a->gap < *b->gap; });
    json weakest = json::array();
    for (size_t i = 0; i < std::min(kListCap, gaps.size()); ++i)
        weakest.push_back({{"prompt_id", gaps[i]->promptId},
                           {"criterion", s(gaps[i]->stableId)},
                           {"gap", num(*gaps[i]->gap)}});
    j["least_discriminating"] = weakest;

    // Every criterion with a decided gold pair, uncapped: the Rubric tab and the consistency
    // filter's users read it criterion by criterion. rate: agree / (agree + contradict).
    json gold = json::array();
    for (const auto &g : m.goldAgreement) {
        const auto rate = g.tally.rate();
        gold.push_back({{"prompt_id", g.promptId},
                        {"criterion", s(g.stableId)},
                        {"text", s(g.text)},
                        {"pairs", g.tally.pairs()},
                        {"agree", g.tally.agree},
                        {"contradict", g.tally.contradict},
                        {"neutral", g.tally.neutral},
                        {"unjudged", g.tally.unjudged},
                        {"rate", rate ? num(*rate) : json(nullptr)}});
    }
    j["criterion_gold_agreement"] = gold;

    j["reward_length_spearman"] = corr(m.style.rewardLength);
    j["reward_bullets_spearman"] = corr(m.style.rewardBullets);
    j["reward_headers_spearman"] = corr(m.style.rewardHeaders);
    j["gold_length_spearman"] = corr(m.style.goldLength);
    j["gold_bullets_spearman"] = corr(m.style.goldBullets);
    j["gold_headers_spearman"] = corr(m.style.goldHeaders);
    j["reward_length_spearman_within"] = est(m.style.rewardLengthWithin);
    j["reward_bullets_spearman_within"] = est(m.style.rewardBulletsWithin);
    j["reward_headers_spearman_within"] = est(m.style.rewardHeadersWithin);

    j["flip_rate"] = est(m.reliability.flipRate);
    j["oracle_position_swap_rate"] = est(m.reliability.oracleSwapRate);
    json swaps = json::array();
    for (const auto &[model, e] : m.reliability.oracleSwapByModel)
        swaps.push_back({{"model", s(model)}, {"value", num(e.value)}, {"n", e.n}});
    j["oracle_position_swap_by_model"] = swaps;
    j["overrides"] = {{"n", m.reliability.overrides},
                      {"against_judge", m.reliability.overridesAgainstJudge}};
    agreementJson(m.agreement, j);
    j["compare_run_id"] =
        m.reliability.compareRunId ? json(m.reliability.compareRunId) : json(nullptr);
    j["run_agreement"] = est(m.reliability.runAgreement);
    j["run_kappa"] = est(m.reliability.runKappa);

    json bon = json::array();
    for (const auto &p : m.bestOfN)
        bon.push_back({{"n", p.n},
                       {"by_rubric", num(p.byRubric)},
                       {"by_rubric_ci", p.byRubricCi ? json{num(p.byRubricCi->low), num(p.byRubricCi->high)}
                                                     : json(nullptr)},
                       {"by_gold", num(p.byGold)},
                       {"by_gold_ci", p.byGoldCi ? json{num(p.byGoldCi->low), num(p.byGoldCi->high)}
                                                 : json(nullptr)},
                       {"random", num(p.random)},
                       {"prompts", p.prompts}});
    j["best_of_n"] = bon;

    json curves = json::array();
    for (const auto &c : m.curves) {
        json pts = json::array();
        for (const auto &p : c.points)
            pts.push_back({{"step", p.step},
                           {"win_rate", opt(p.winRate)},
                           {"rubric_reward", opt(p.rubricReward)}});
        json peak = nullptr;
        if (c.peakIndex >= 0)
            peak = {{"step", c.points[size_t(c.peakIndex)].step},
                    {"win_rate", opt(c.points[size_t(c.peakIndex)].winRate)}};
        curves.push_back(
            {{"arm", s(c.arm)}, {"source", s(c.sourceFile)}, {"peak", peak}, {"points", pts}});
    }
    j["training_curves"] = curves;

    json rounds = json::array();
    for (const auto &r : m.timeline.summary)
        rounds.push_back({{"round", r.round},
                          {"prompts", r.prompts},
                          {"top_score", opt(r.meanTopScore)},
                          {"top_k_spread", opt(r.meanTopKSpread)},
                          {"ties_at_top", est(r.tieRate)},
                          {"tail_accuracy", est(r.tailAccuracy)}});
    j["refinement_timeline"] = rounds;
    return j;
}

json toJson(const TheoryCurve &curve) {
    json pts = json::array();
    for (const auto &p : curve.points)
        pts.push_back(
            {{"beta", p.beta},
             {"win", num(p.win)},
             {"kl", num(p.kl)},
             {"kl_closed_form", num(p.klClosedForm)},
             {"win_closed_form", p.winClosedForm ? num(*p.winClosedForm) : json(nullptr)}});
    return json{{"mapping", s(curve.mapping.name())}, {"points", pts}};
}

} // namespace rs::analytics

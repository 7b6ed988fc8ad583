#include "agreement.h"

#include "clusterbootstrap.h"

#include <array>
#include <map>
#include <unordered_map>

namespace rs::analytics {
namespace {

constexpr qint64 kCalibrationMinimum = 50;
constexpr std::size_t kDisagreementCap = 200;

// 2x2 table index of (judge, human): {yes/yes, yes/no, no/yes, no/no}.
std::size_t tableIndex(bool judge, bool human) {
    return judge ? (human ? 0 : 1) : (human ? 2 : 3);
}

// Kappa over 2x2 tables per prompt, with its interval from a bootstrap over prompts.
std::optional<KappaEstimate> kappaOverPrompts(const std::vector<std::array<double, 4>> &byPrompt,
                                              const MetricOptions &options) {
    std::array<double, 4> all{};
    for (const auto &t : byPrompt)
        for (std::size_t k = 0; k < 4; ++k)
            all[k] += t[k];
    const double n = all[0] + all[1] + all[2] + all[3];
    const auto k = kappaOfTable(all);
    if (!k)
        return std::nullopt;
    KappaEstimate e;
    e.kappa = Estimate{*k, qint64(n), std::nullopt};
    e.baseRate = (all[0] + all[2]) / n;
    if (options.bootstrap > 0) {
        ClusterBootstrap boot(int(byPrompt.size()), options.bootstrap, options.seed);
        const int stat = boot.addKappa(byPrompt);
        boot.run();
        e.kappa.ci = boot.interval(stat);
    }
    return e;
}

} // namespace

std::optional<double> krippendorffAlpha(const std::vector<std::vector<bool>> &units) {
    // Coincidences o[c][k]: each ordered pair of values within a unit, weighted 1/(m-1).
    double o[2][2] = {{0, 0}, {0, 0}};
    for (const auto &u : units) {
        const std::size_t m = u.size();
        if (m < 2)
            continue;
        for (std::size_t i = 0; i < m; ++i)
            for (std::size_t j = 0; j < m; ++j)
                if (i != j)
                    o[u[i]][u[j]] += 1.0 / double(m - 1);
    }
    const double n0 = o[0][0] + o[0][1], n1 = o[1][0] + o[1][1];
    const double n = n0 + n1;
    if (n <= 1 || n0 == 0 || n1 == 0)
        return std::nullopt;
    const double observed = o[0][1] + o[1][0];
    const double expected = 2 * n0 * n1 / (n - 1);
    return 1 - observed / expected;
}

HumanAgreement humanAgreement(const MetricData &data, const MetricOptions &options) {
    HumanAgreement out;
    out.threshold = options.calibrationKappa;
    out.judgeModel = data.judgeModel;
    out.annotatorCount = qint64(data.annotators.size());
    out.labelledCells = qint64(data.labelled.size());

    std::unordered_map<qint64, int> cluster; // prompt -> cluster
    std::vector<std::array<double, 4>> byPrompt, heldOut;
    std::map<int, std::vector<std::pair<bool, bool>>> byCriterion; // criterion -> (judge, human)
    std::vector<std::vector<bool>> units;
    for (const LabelledCell &c : data.labelled) {
        out.examples += c.example;
        if (c.labels.size() >= 2) {
            std::vector<bool> values;
            for (const auto &[annotator, said] : c.labels)
                values.push_back(said);
            units.push_back(std::move(values));
        }
        if (!c.judge)
            continue;
        const auto majority = humanMajority(c);
        if (!majority) {
            ++out.humanTies;
            continue;
        }
        const bool human = *majority;
        const ResponseFacts &r = data.responses[std::size_t(c.response)];
        const auto [at, added] = cluster.emplace(r.promptId, int(byPrompt.size()));
        if (added) {
            byPrompt.push_back({});
            heldOut.push_back({});
        }
        byPrompt[std::size_t(at->second)][tableIndex(*c.judge, human)] += 1;
        if (!c.example)
            heldOut[std::size_t(at->second)][tableIndex(*c.judge, human)] += 1;
        byCriterion[c.criterion].push_back({*c.judge, human});
        if (*c.judge != human && out.disagreements.size() < kDisagreementCap) {
            const CriterionFacts &cf = data.criteria[std::size_t(c.criterion)];
            out.disagreements.push_back(
                {r.responseId, r.promptId, cf.stableId, cf.text, *c.judge, human, {}});
        }
    }

    out.judgeHuman = kappaOverPrompts(byPrompt, options);
    if (out.examples > 0)
        out.judgeHumanHeldOut = kappaOverPrompts(heldOut, options);
    // With examples attached, calibration is judged on the cells the judge was not shown.
    const std::optional<KappaEstimate> &calibration =
        out.examples > 0 ? out.judgeHumanHeldOut : out.judgeHuman;
    out.calibrated = calibration && calibration->kappa.n >= kCalibrationMinimum &&
                     calibration->kappa.ci && calibration->kappa.ci->low >= options.calibrationKappa;

    for (const auto &[index, pairs] : byCriterion) {
        const CriterionFacts &cf = data.criteria[std::size_t(index)];
        CriterionAgreement a{cf.promptId, cf.stableId, cf.text, std::nullopt, qint64(pairs.size()),
                             0, std::nullopt};
        std::array<double, 4> table{};
        std::vector<std::array<double, 4>> cells;
        double humanYes = 0;
        for (const auto &[judge, human] : pairs) {
            std::array<double, 4> one{};
            one[tableIndex(judge, human)] = 1;
            table[tableIndex(judge, human)] += 1;
            cells.push_back(one);
            humanYes += human;
        }
        a.baseRate = humanYes / double(pairs.size());
        a.kappa = kappaOfTable(table);
        if (a.kappa && options.bootstrap > 0 && pairs.size() >= 2) {
            ClusterBootstrap boot(int(cells.size()), options.bootstrap, options.seed);
            const int stat = boot.addKappa(std::move(cells));
            boot.run(1);
            a.ci = boot.interval(stat);
        }
        out.perCriterion.push_back(std::move(a));
    }

    if (const auto alpha = krippendorffAlpha(units))
        out.annotators = AnnotatorAgreement{*alpha, qint64(units.size())};
    return out;
}

} // namespace rs::analytics

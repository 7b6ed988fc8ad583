#include "labelsampler.h"

#include "common/splitmix.h"
#include "judge/verdicttally.h"
#include "labelstore.h"
#include "store/database.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace rs::labels {
namespace {

struct Candidate final {
    std::size_t response = 0; ///< index into the tally's responses
    int k = 0;                ///< criterion position in the response's rubric
};

template <typename T>
void shuffle(std::vector<T> &v, SplitMix64 &rng) {
    for (std::size_t i = v.size(); i > 1; --i)
        std::swap(v[i - 1], v[std::size_t(rng.below(std::int64_t(i)))]);
}

} // namespace

Expected<std::vector<SampledCell>> sampleCells(store::Database &db, const SampleOptions &options) {
    if (options.n <= 0)
        return makeError(QStringLiteral("the sample size must be at least 1"));
    judge::TallyOptions to;
    to.runId = options.runId;
    auto tally = judge::VerdictTally::load(db, to);
    if (!tally)
        return tally.error();
    const judge::VerdictTally &t = tally.value();
    if (t.run().id == 0)
        return makeError(QStringLiteral("the project has no judge run: judge it first"));

    std::set<std::tuple<qint64, QString, QString>> labelled;
    if (!options.includeLabelled) {
        auto labels = readLabels(db);
        if (!labels)
            return labels.error();
        for (const HumanLabel &l : labels.value())
            if (l.value != LabelValue::Skip)
                labelled.emplace(l.responseId, l.stableId, l.criterion);
    }

    // Strata in a fixed order (verdict, then tier name) so the seed alone decides the sample.
    std::map<std::pair<bool, QString>, std::vector<Candidate>> strata;
    for (std::size_t i = 0; i < t.responses().size(); ++i) {
        const judge::TallyResponse &r = t.responses()[i];
        const judge::TallyPrompt *p = t.promptOf(r);
        if (!p)
            continue;
        for (int k = 0; k < p->count; ++k) {
            const std::size_t cell = r.firstCell + std::size_t(k);
            const auto verdict = t.judgeVerdict(cell);
            if (!verdict || t.isCheck(cell))
                continue;
            const judge::TallyCriterion &c = t.criterion(r, k);
            if (labelled.count({r.responseId, c.stableId, c.text}))
                continue;
            strata[{*verdict, r.tier.toLower()}].push_back({i, k});
        }
    }
    if (strata.empty())
        return makeError(QStringLiteral("no judged cell is left to label"));

    SplitMix64 rng(options.seed);
    // Within a stratum: a random order, then by how often the criterion (prompt, id) came
    // before, so every criterion is drawn once before any is drawn twice.
    std::vector<std::vector<Candidate>> ordered;
    for (auto &[key, cells] : strata) {
        shuffle(cells, rng);
        std::map<std::pair<qint64, QString>, int> seen;
        std::vector<std::pair<int, std::size_t>> rank;
        for (std::size_t j = 0; j < cells.size(); ++j) {
            const judge::TallyResponse &r = t.responses()[cells[j].response];
            rank.push_back({seen[{r.promptId, t.criterion(r, cells[j].k).stableId}]++, j});
        }
        std::stable_sort(rank.begin(), rank.end(),
                         [](const auto &a, const auto &b) { return a.first < b.first; });
        std::vector<Candidate> out;
        out.reserve(rank.size());
        for (const auto &[times, j] : rank)
            out.push_back(cells[j]);
        ordered.push_back(std::move(out));
    }

    // Equal shares, capped by each stratum's size; what a small stratum cannot take goes
    // round-robin to the others.
    std::vector<std::size_t> take(ordered.size(), 0);
    std::size_t left = std::size_t(options.n);
    bool progress = true;
    while (left > 0 && progress) {
        progress = false;
        for (std::size_t s = 0; s < ordered.size() && left > 0; ++s)
            if (take[s] < ordered[s].size()) {
                ++take[s];
                --left;
                progress = true;
            }
    }

    std::vector<Candidate> chosen;
    for (std::size_t s = 0; s < ordered.size(); ++s)
        chosen.insert(chosen.end(), ordered[s].begin(), ordered[s].begin() + std::ptrdiff_t(take[s]));
    shuffle(chosen, rng);

    auto text = db.prepare("SELECT text FROM responses WHERE id = ?1");
    if (!text)
        return text.error();
    std::vector<SampledCell> out;
    out.reserve(chosen.size());
    for (const Candidate &c : chosen) {
        const judge::TallyResponse &r = t.responses()[c.response];
        const judge::TallyCriterion &crit = t.criterion(r, c.k);
        text->reset();
        text->bind(1, std::int64_t(r.responseId));
        auto row = text->step();
        if (!row)
            return row.error();
        out.push_back(SampledCell{r.responseId, r.promptId, crit.stableId, crit.text,
                                  t.promptOf(r)->promptText, *row ? text->columnText(0) : QString(),
                                  r.tier});
    }
    return out;
}

} // namespace rs::labels

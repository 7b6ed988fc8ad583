#pragma once

#include "common/error.h"
#include "currentcriteria.h"
#include "scoring.h"

#include <QString>

#include <cstdint>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

namespace rs::store {
class Database;
}
namespace rs::rubric {
class CheckCriterion;
}

namespace rs::judge {

/// What one grading said about one cell.
enum class Vote : std::int8_t { Missing = -1, No = 0, Yes = 1, Error = 2, Refused = 3 };

/// What to read besides the vote counts. Each extra costs memory on a 1.2M-cell project, so a
/// reader asks only for what it shows.
struct TallyOptions final {
    qint64 runId = 0;               ///< 0: the latest run
    std::optional<qint64> promptId; ///< only this prompt's responses
    bool gradingVotes = false; ///< each grading's vote per cell (flip rates, per-grading rewards)
    bool voteDetails = false;  ///< each vote's call id and rationale (the grid, exports)
    bool responsesWithoutRubric = false; ///< list responses whose prompt has no rubric too
    /// Only these responses of `promptId` (which must be set): what a server reads to answer a
    /// few, however many responses the prompt has gathered since.
    std::vector<qint64> responseIds;
};

/// A prompt's current rubric: criteria [first, first + count) of VerdictTally::criteria().
struct TallyPrompt final {
    qint64 promptId = 0;
    qint64 rubricId = 0;
    QString promptText;
    QString scoring;
    AggregationSpec aggregation; ///< the version's formula, veto cap and shaping
    int first = 0;
    int count = 0;
    bool hasChecks = false; ///< some criterion is checked by code
    /// Implicit rubric: the hash its holistic scores are stored under (guidanceHash).
    std::int64_t guidanceHash = 0;
    bool implicit() const { return aggregation.type == Aggregation::Implicit; }
};

struct TallyCriterion final {
    qint64 promptId = 0;
    QString stableId;
    QString text;
    double weight = 1;
    std::int64_t hash = 0; ///< criterionHash under the run's show-weights setting
    /// Set for a criterion checked by code: the tally evaluates it on the response text, it
    /// has no judge votes. Shared: one compiled check serves every response.
    std::shared_ptr<const rubric::CheckCriterion> check;
    bool veto = false;
    /// Guidance for an implicit rubric's holistic score (isGuidance): never judged on its own,
    /// so it has no votes, and the reward does not read its cell.
    bool guidance = false;
};

/// A response and where its cells start: cells [firstCell, firstCell + prompt's count).
struct TallyResponse final {
    qint64 responseId = 0;
    qint64 promptId = 0;
    QString generator;
    QString tier;
    qint64 length = 0;
    int prompt = -1; ///< index into prompts(); -1: the prompt has no rubric (no cells)
    std::size_t firstCell = 0;
    int holistic = -1; ///< index of its holistic scores; -1: the rubric is not implicit
};

struct VoteCounts final {
    int yes = 0;
    int no = 0;
    int error = 0;
    int refused = 0; ///< the judge declined to answer (not a failure, not asked again)
    int pCount = 0;  ///< votes that carried a P(yes) (probability mode)
    double pSum = 0;
    int total() const { return yes + no + error + refused; }
};

struct VoteDetail final {
    int grading = 0;
    Vote vote = Vote::Missing;
    qint64 callId = 0;
    QString rationale;
};

/// One grading's holistic score of a response whose rubric is implicit.
struct HolisticVote final {
    int grading = 0;
    int score = 0; ///< 1..10; 0: no usable score (the call failed or was refused)
    bool refused = false;
    qint64 callId = 0;
    QString rationale; ///< the judge's explanation, or why there is no score; with voteDetails
};

/// The live human override of a cell (the latest one not reverted).
struct CellOverride final {
    qint64 id = 0;
    bool met = false;
    QString note;
};

/// The one reader of judge runs, verdicts, votes and overrides. Scores, metrics, the verdict
/// grid and the exports all count votes through it, so they cannot disagree on what a cell's
/// verdict is: every criterion of a rubric gets the votes cast on its text (two identical
/// criteria share them), the majority of the gradings decides, a live override wins. A
/// criterion checked by code gets no votes: its verdict is the check run on the response's
/// text here, at load, so every reader sees the same result without it ever being stored.
/// A rubric with the implicit aggregation is scored from its holistic 1–10 scores instead
/// (holisticReward); its veto criteria and checks are read as cells as under any type.
class VerdictTally final {
public:
    /// Reads on the caller's connection, one pass over the run's verdicts.
    static Expected<VerdictTally> load(store::Database &db, const TallyOptions &options);

    const RunSettings &run() const { return m_run; }
    int gradings() const { return m_gradings; }
    const std::vector<TallyPrompt> &prompts() const { return m_prompts; }
    const std::vector<TallyCriterion> &criteria() const { return m_criteria; }
    const std::vector<TallyResponse> &responses() const { return m_responses; }
    std::size_t cellCount() const { return m_counts.size(); }

    /// The prompt and criterion of a response's k-th cell.
    const TallyPrompt *promptOf(const TallyResponse &r) const {
        return r.prompt < 0 ? nullptr : &m_prompts[std::size_t(r.prompt)];
    }
    const TallyCriterion &criterion(const TallyResponse &r, int k) const {
        return m_criteria[std::size_t(promptOf(r)->first) + std::size_t(k)];
    }

    const VoteCounts &counts(std::size_t cell) const { return m_counts[cell]; }
    /// Grading g's vote; Missing unless the tally was loaded with gradingVotes.
    Vote gradingVote(std::size_t cell, int grading) const;
    /// Each vote with its call and rationale, by grading; empty unless loaded with voteDetails.
    const std::vector<VoteDetail> &details(std::size_t cell) const;
    const CellOverride * override(std::size_t cell) const;

    /// Whether the cell's criterion is checked by code (its verdict has source "check").
    bool isCheck(std::size_t cell) const {
        return !m_checkResults.empty() && m_checkResults[cell] >= 0;
    }
    /// The verdict before overrides: a check's result, else the judge's majority alone;
    /// nullopt for a tie, all errors or no votes.
    std::optional<bool> judgeVerdict(std::size_t cell) const {
        if (isCheck(cell))
            return m_checkResults[cell] == 1;
        return majority(m_counts[cell].yes, m_counts[cell].no);
    }
    /// What scores use: the live override, else the judge's majority.
    std::optional<bool> verdict(std::size_t cell) const {
        const CellOverride *o = override(cell);
        return o ? std::optional<bool>(o->met) : judgeVerdict(cell);
    }

    /// The judge's P(yes): the mean of the votes' token probabilities where they have one,
    /// else the share of yes among the yes/no votes; nullopt without either.
    std::optional<double> judgePYes(std::size_t cell) const;
    /// What the soft reward uses: a live override (1 or 0), else judgePYes.
    std::optional<double> pYes(std::size_t cell) const {
        const CellOverride *o = override(cell);
        return o ? std::optional<double>(o->met ? 1.0 : 0.0) : judgePYes(cell);
    }

    /// The holistic scores of a response whose rubric is implicit, by grading (as answered:
    /// a grading not asked yet is absent); empty for any other response.
    const std::vector<HolisticVote> &holistic(const TallyResponse &r) const;
    /// The usable scores among them, one per grading that gave one.
    std::vector<int> holisticScores(const TallyResponse &r) const;
    /// Their mean, what the reward is made of; nullopt without a usable score.
    std::optional<double> holisticScore(const TallyResponse &r) const;

    /// Whether every verdict the reward needs is in: each cell has all its gradings answered
    /// yes or no, or a live override; an implicit rubric also has every grading's holistic
    /// score (or its refusal). Exactly what planRun would find missing. False for a response
    /// without a rubric. `serve` judges what is not complete; a reward read from an incomplete
    /// response counts its missing verdicts by the missing policy.
    bool complete(const TallyResponse &r) const;

    /// The response's reward under its rubric's aggregation; 0 for a response without one.
    double reward(const TallyResponse &r, MissingPolicy missing) const;
    /// The same with every criterion counted by its P(yes) (reward_soft). An implicit rubric's
    /// soft reward is its reward: a holistic score carries no token probabilities.
    double softReward(const TallyResponse &r, MissingPolicy missing) const;
    /// The reward from grading g's votes alone (overrides still win). Needs gradingVotes.
    double gradingReward(const TallyResponse &r, int grading, MissingPolicy missing) const;

    // The same three under another aggregation than the rubric's own: the aggregation
    // preview asks what each candidate would make of the same verdicts.
    double reward(const TallyResponse &r, const AggregationSpec &aggregation,
                  MissingPolicy missing) const;
    double softReward(const TallyResponse &r, const AggregationSpec &aggregation,
                      MissingPolicy missing) const;
    double gradingReward(const TallyResponse &r, int grading, const AggregationSpec &aggregation,
                         MissingPolicy missing) const;

private:
    RunSettings m_run;
    int m_gradings = 1;
    std::vector<TallyPrompt> m_prompts;
    std::vector<TallyCriterion> m_criteria;
    std::vector<TallyResponse> m_responses;
    std::vector<VoteCounts> m_counts;
    std::vector<Vote> m_gradingVotes;                          ///< cell × gradings, when asked for
    std::vector<std::vector<VoteDetail>> m_details;            ///< per cell, when asked for
    std::unordered_map<std::size_t, CellOverride> m_overrides; ///< by cell; few per project
    /// Per cell: -1 judged, 0 check failed, 1 check passed; empty when no rubric has checks.
    std::vector<std::int8_t> m_checkResults;
    /// Per response of an implicit rubric (TallyResponse::holistic), its scores by grading.
    std::vector<std::vector<HolisticVote>> m_holistic;

    Expected<void> evaluateChecks(store::Database &db, const TallyOptions &options);
    Expected<void> readHolisticScores(store::Database &db, const TallyOptions &options);
    std::vector<CriterionOutcome> outcomes(const TallyResponse &r, bool withP) const;
};

} // namespace rs::judge

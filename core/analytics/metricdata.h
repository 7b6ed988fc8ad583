#pragma once

#include "common/error.h"
#include "metricoptions.h"

#include <QString>

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace rs::store {
class Database;
}
namespace rs::judge {
class VerdictTally;
}

namespace rs::analytics {

/// One response as the metrics see it: identity, tags, style features and rewards.
struct ResponseFacts final {
    qint64 responseId = 0;
    qint64 promptId = 0;
    QString generator;
    QString tier;
    qint64 length = 0;   ///< characters (code points)
    int bullets = 0;     ///< lines starting with "-", "*", "+" or "1." style numbering
    int headers = 0;     ///< Markdown "#" header lines and bold-only lines
    bool scored = false; ///< the prompt has a rubric and the run judged something
    double reward = 0;   ///< computeScores: majority per criterion, overrides on top
    std::vector<double> gradingRewards; ///< reward from each grading alone (size = gradings)
    std::optional<double> gold;         ///< mean gold win share over its labelled pairs
    int repeatedCells = 0; ///< cells judged at least twice (per response, for intervals)
    int flippedCells = 0;  ///< of those, cells whose gradings disagreed
};

/// A cell with blind human labels (issue 15), next to the judge's own majority.
struct LabelledCell final {
    int response = -1;        ///< index into MetricData::responses
    int criterion = -1;       ///< index into MetricData::criteria
    std::optional<bool> judge; ///< the judge's majority (no overrides); nullopt: a tie or none
    /// (annotator index into MetricData::annotators, said yes), skips left out.
    std::vector<std::pair<int, bool>> labels;
    /// Attached to its criterion as a few-shot example: shown to the judge, so not held out.
    bool example = false;
};

/// The human side of a labelled cell: the majority of its annotators' yes/no; nullopt when
/// they split evenly.
std::optional<bool> humanMajority(const LabelledCell &cell);

/// One criterion of a prompt's current rubric.
struct CriterionFacts final {
    qint64 promptId = 0;
    QString stableId;
    QString text;
    double weight = 1;
    std::int64_t hash = 0;
};

/// A gold preference joined to both responses (indices into MetricData::responses).
struct GoldPair final {
    qint64 preferenceId = 0;
    qint64 promptId = 0;
    int a = -1;
    int b = -1;
    double preference = 0.5; ///< P(B better)
    QString source;
};

/// A pairwise-oracle answer asked in both orders: whether the two orders named different
/// responses (a position swap: the oracle preferred whatever was shown first, or second).
struct OracleAsk final {
    qint64 promptId = 0;
    QString model;
    bool swapped = false;
};

/// Verdict state of one (response, criterion): majority of the gradings, or an override.
enum class Verdict : std::int8_t { Missing = -1, No = 0, Yes = 1 };

/// Everything the metrics read, loaded in one pass so each metric is a pure function that
/// tests can feed by hand. Plain values: cheap to move to and from a worker thread.
struct MetricData final {
    qint64 runId = 0; ///< 0 when the project has no judge run
    int gradings = 0; ///< gradings per criterion in the run
    std::vector<ResponseFacts> responses;
    std::vector<CriterionFacts> criteria;
    /// Per prompt with a rubric: [first, last) into `criteria`; indexed like `promptIndex`.
    std::vector<std::pair<qint64, std::pair<int, int>>> promptCriteria;
    /// verdicts[i] holds one Verdict per criterion of responses[i]'s prompt (empty: no rubric).
    std::vector<std::vector<Verdict>> verdicts;
    /// The same cells from the judge alone (no overrides), for agreement between runs.
    std::vector<std::vector<Verdict>> judgeVerdicts;
    /// (response, criterion) cells judged at least twice, and those whose gradings disagreed.
    qint64 repeatedCells = 0;
    qint64 flippedCells = 0;
    /// Live human overrides next to the judge's own majority, for kappa.
    struct OverridePair final {
        int response = -1;  ///< index into responses
        int criterion = -1; ///< index into criteria
        bool human = false;
        bool judge = false;
    };
    std::vector<OverridePair> overrides;
    std::vector<GoldPair> gold;
    /// Judged cells (not checks) with at least one yes/no label, and who labelled.
    std::vector<LabelledCell> labelled;
    std::vector<OracleAsk> oracle;
    std::vector<QString> annotators;
    QString judgeModel; ///< the run's model, for calibration
};

/// Loads MetricData for options.runId (0 = the latest run) from a read-only connection.
/// `tally`, when given, receives the tally the data was read from (with grading votes, every
/// response listed, in the same order as `responses`), so a caller that recomputes rewards
/// does not read the run a second time.
Expected<MetricData> loadMetricData(store::Database &db, const MetricOptions &options,
                                    judge::VerdictTally *tally = nullptr);

/// Judge majority verdicts of run `runId` for the same (response, criterion) cells as `data`,
/// for agreement between two runs. Cells the run did not judge stay Missing.
Expected<std::vector<std::vector<Verdict>>> loadRunVerdicts(store::Database &db,
                                                            const MetricData &data, qint64 runId);

/// Counts Markdown list items and headers, the formatting features of the style confound.
void countFormatting(std::string_view utf8, int *bullets, int *headers);

} // namespace rs::analytics

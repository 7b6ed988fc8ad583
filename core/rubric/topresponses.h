#pragma once

#include "judge/scoring.h"

#include <QJsonObject>
#include <QStringList>

#include <cstddef>
#include <vector>

namespace rs::judge {
class VerdictTally;
}

namespace rs::rubric {

/// Which of a prompt's responses count as its top: the k best by reward, or the responses of
/// the top tier(s) whatever their reward.
struct TopSelection final {
    int k = 5;
    QStringList tiers; ///< non-empty: the responses tagged with one of these tiers (any case)

    bool byTier() const { return !tiers.isEmpty(); }
    /// {"top_k": 5} or {"top_tiers": [...]}, for version details and JSON output.
    QJsonObject toJson() const;
    /// "top 5 by reward" / "tiers excellent, great", for messages.
    QString describe() const;
};

/// Each prompt's responses as indexes into tally.responses(), indexed like tally.prompts();
/// responses keep the tally's order (by id).
std::vector<std::vector<std::size_t>> responsesByPrompt(const judge::VerdictTally &tally);

/// One prompt's top responses, best reward first; equal rewards keep response id order, as the
/// verdict grid ranks them. `members` are the prompt's responses (responsesByPrompt).
std::vector<std::size_t> topResponses(const judge::VerdictTally &tally,
                                      const std::vector<std::size_t> &members,
                                      const TopSelection &top, judge::MissingPolicy missing);

struct TopCount final {
    int yes = 0;
    int judged = 0; ///< responses with a verdict: an override, a check, or a judge majority
};

/// How `responses` (of one prompt) fall on the prompt's k-th criterion. A tie of the gradings
/// or a failed call is no verdict, as in scoring.
TopCount countVerdicts(const judge::VerdictTally &tally, const std::vector<std::size_t> &responses,
                       int criterion);

} // namespace rs::rubric

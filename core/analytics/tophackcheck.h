#pragma once

#include "common/error.h"
#include "llm/providerconfig.h"
#include "tophackpairs.h"

#include <QString>
#include <QStringList>

#include <nlohmann/json.hpp>

#include <functional>
#include <optional>
#include <vector>

namespace rs::store {
class ProjectStore;
}
namespace rs::llm {
class LlmScheduler;
}

namespace rs::analytics {

/// A rubric-free check of a step's top-rewarded responses: a pairwise oracle (one model or a
/// panel), which never sees the rubric, says whether each is really better than a contrast of
/// the same prompt (planTopHackPairs). A top response the panel ranks below its contrast earned
/// its reward in a way the rubric cannot see: reward hacking to read.
struct TopHackCheckOptions final {
    std::optional<qint64> step; ///< nullopt: the latest step
    int topK = 3;
    /// One oracle model, or a panel of 2 to 5 (different models), asked in both orders.
    std::vector<llm::ProviderConfig> panel;
};

/// What one oracle model said, turned to the top response.
struct TopHackMember final {
    QString model;
    double preferenceTop = 0.5; ///< P(top better) from its two orders
    bool agreed = true;         ///< its two orders named the same response
};

struct TopHackResult final {
    TopHackPair pair;
    bool checked = false;       ///< the panel's answer is in (asked now or reused)
    bool reused = false;        ///< from a stored oracle preference: nothing was asked
    double preferenceTop = 0.5; ///< the panel's P(top response better): the members' mean
    /// Checked and the panel prefers the contrast (preferenceTop < 0.5; a tie is not suspect).
    bool suspect = false;
    std::vector<TopHackMember> members;
    QString error; ///< the panel failed on this pair; nothing stored, asked again next time
};

struct TopHackCheck final {
    qint64 step = 0;
    QStringList models;                 ///< the panel, in the order given
    std::vector<TopHackResult> results; ///< one per top response, highest reward first
    qint64 checked = 0;
    qint64 suspect = 0;
    qint64 reused = 0;
    qint64 skipped = 0; ///< no contrast (TopHackPair::skipReason)
    qint64 failed = 0;
    /// The panel's win rate of the top responses: the mean of preferenceTop over the checked
    /// pairs, so a tie counts half; nullopt when none was checked.
    std::optional<double> winRate;
    bool cancelled = false;
};

/// Progress after each pair (done of total planned pairs); returning false cancels between
/// pairs, keeping what was answered.
using TopHackProgress = std::function<bool(qint64 done, qint64 total)>;

/// Plans the step's pairs and asks the panel about each (both orders, askPairwiseOracle: the
/// answers are stored as oracle gold preferences). A pair the same panel answered before is
/// reused (storedOracleOutcome), not asked again. A pair whose panel fails is reported and the
/// rest go on. Blocking: call from a worker thread or the CLI.
Expected<TopHackCheck> runTopHackCheck(store::ProjectStore &store, llm::LlmScheduler &scheduler,
                                       const TopHackCheckOptions &options,
                                       const TopHackProgress &progress = {});

/// The JSON form `training --panel-check --json` prints.
nlohmann::json toJson(const TopHackCheck &check);

} // namespace rs::analytics

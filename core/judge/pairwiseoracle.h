#pragma once

#include "common/error.h"
#include "llm/providerconfig.h"

#include <QString>

namespace rs::store {
class ProjectStore;
}
namespace rs::llm {
class LlmScheduler;
}

namespace rs::judge {

struct OracleRequest final {
    llm::ProviderConfig provider;
    qint64 promptId = 0;
    qint64 responseA = 0;
    qint64 responseB = 0;
    bool bothOrders = true; ///< ask A-vs-B and B-vs-A; disagreement is stored as a tie
    quint64 seed = 0;       ///< for the order when only one is asked (0: random)
};

struct OracleOutcome final {
    qint64 preferenceId = 0;
    double preference = 0.5; ///< probability that responseB is better
    int orders = 0;          ///< how many orders were asked
    bool agreed = true;      ///< both orders named the same response
    QString reason;
};

/// Asks a pairwise judge which of two responses is better, with the position of the two
/// randomised (or both positions asked, to cancel position bias), and stores the answer as a
/// gold preference with source "oracle". Blocking: call from a worker thread or the CLI.
Expected<OracleOutcome> askPairwiseOracle(store::ProjectStore &store, llm::LlmScheduler &scheduler,
                                          const OracleRequest &request);

} // namespace rs::judge

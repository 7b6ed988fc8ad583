#pragma once

#include "common/error.h"
#include "llm/providerconfig.h"

#include <QString>

#include <optional>
#include <vector>

namespace rs::store {
class Database;
class ProjectStore;
} // namespace rs::store
namespace rs::llm {
class LlmScheduler;
}

namespace rs::judge {

struct OracleRequest final {
    llm::ProviderConfig provider;
    /// A panel of 2 to 5 oracle models (different families), used instead of `provider`: each
    /// is asked (both orders by default) and the preference is their mean. A member that fails
    /// fails the pair: nothing is stored, rather than a smaller panel's answer.
    std::vector<llm::ProviderConfig> panel;
    qint64 promptId = 0;
    qint64 responseA = 0;
    qint64 responseB = 0;
    bool bothOrders = true; ///< ask A-vs-B and B-vs-A; disagreement is stored as a tie
    quint64 seed = 0;       ///< for the order when only one is asked (0: random)
};

/// What one oracle model said about a pair.
struct OracleMemberAnswer final {
    QString model;
    double preference = 0.5; ///< P(B better) from its orders
    bool agreed = true;      ///< its two orders named the same response (no position swap)
};

struct OracleOutcome final {
    qint64 preferenceId = 0;
    double preference = 0.5; ///< probability that responseB is better (panel: the mean)
    int orders = 0;          ///< how many orders were asked, per model
    bool agreed = true;      ///< every model's orders named the same response
    QString reason;
    std::vector<OracleMemberAnswer> members;
};

/// Asks a pairwise judge which of two responses is better, with the position of the two
/// randomised (or both positions asked, to cancel position bias), and stores the answer as a
/// gold preference with source "oracle". Blocking: call from a worker thread or the CLI.
Expected<OracleOutcome> askPairwiseOracle(store::ProjectStore &store, llm::LlmScheduler &scheduler,
                                          const OracleRequest &request);

/// The newest stored answer to this request, if the oracle was asked it before: an oracle
/// preference for the same two responses (in either position) from the same models (the
/// panel's, in any order, or the single provider's model) with the same number of orders and
/// the same template. Oriented as the request names the pair (preference = P(responseB
/// better)), members in the request's order; reason is empty (only the raw answers are
/// stored). Lets a caller reuse an answer instead of asking (and storing) it again.
Expected<std::optional<OracleOutcome>> storedOracleOutcome(store::Database &db,
                                                           const OracleRequest &request);

} // namespace rs::judge

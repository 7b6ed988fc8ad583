#pragma once

#include "generationattempts.h"
#include "llm/costpreview.h"
#include "llmbatch.h"
#include "rubricanswer.h"

#include <optional>
#include <vector>

namespace rs::authoring {

/// One proposer answer after parsing and, when needed, the repair pass.
struct Proposal final {
    bool ok = false;
    bool repaired = false;
    bool answered = false; ///< false: the call itself failed or was cancelled (no text to keep)
    QList<rubric::CriterionDraft> criteria;
    QString raw;
    QString repairRaw;
    QString error; ///< why it is unusable; for a repaired one, why the first answer was
    qint64 tokensIn = 0;
    qint64 tokensOut = 0;
    double costUsd = 0;
};

struct ProposalProviders final {
    llm::ProviderConfig proposer;
    std::optional<llm::ProviderConfig> repair; ///< nullopt: the proposer repairs its own answers
    double temperature = 0;
    int maxTokens = 2048;
    QString repairSystem; ///< empty: the built-in repair template
    QString repairUser;
};

/// Sends proposer requests, parses every answer as a rubric, and sends one repair request for
/// each answer that could not be parsed; parses those. Blocking.
std::vector<Proposal> proposeAll(llm::LlmScheduler &scheduler, const ProposalProviders &providers,
                                 std::vector<llm::LlmRequest> requests, const llm::JobOptions &options,
                                 AuthoringProgress &progress, const AuthoringProgressFn &report,
                                 const PauseFlag *paused, bool *cancelled);

/// What proposeAll would spend on these requests: sent with the same temperature and room, so
/// with the same cache keys (a cached answer is counted as free).
Expected<llm::CostPreview> previewProposals(const ProposalProviders &providers,
                                            std::vector<llm::LlmRequest> requests,
                                            const llm::PriceTable &prices, store::ProjectStore *store,
                                            bool bypassCache);

/// The generation_attempts row of one proposer answer: its texts, the repair model when a
/// repair was asked for or the answer failed, the error and the cost. The status is the
/// caller's to set; `kind` is "generation", "rtd" or "contrastive".
GenerationAttempt attemptOf(const Proposal &proposal, qint64 promptId, const QString &kind,
                            const ProposalProviders &providers, const QString &templateVersion);

} // namespace rs::authoring

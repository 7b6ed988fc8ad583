#include "proposalbatch.h"

#include "proposertemplate.h"

namespace rs::authoring {
namespace {

// The sampling settings every proposer request carries, previewed or sent.
void applyProposalSettings(const ProposalProviders &providers, std::vector<llm::LlmRequest> &requests)
{
    for (auto &r : requests) {
        r.temperature = providers.temperature;
        r.maxTokens = providers.maxTokens;
    }
}

} // namespace

Expected<llm::CostPreview> previewProposals(const ProposalProviders &providers,
                                            std::vector<llm::LlmRequest> requests,
                                            const llm::PriceTable &prices, store::ProjectStore *store,
                                            bool bypassCache)
{
    applyProposalSettings(providers, requests);
    return llm::previewCost(providers.proposer, requests, prices, store, bypassCache);
}

std::vector<Proposal> proposeAll(llm::LlmScheduler &scheduler, const ProposalProviders &providers,
                                 std::vector<llm::LlmRequest> requests, const llm::JobOptions &options,
                                 AuthoringProgress &progress, const AuthoringProgressFn &report,
                                 const PauseFlag *paused, bool *cancelled)
{
    applyProposalSettings(providers, requests);
    std::vector<Proposal> out(requests.size());
    const QString stage = progress.stage;
    auto first = runBatch(scheduler, providers.proposer, std::move(requests), options, progress, report, paused);
    *cancelled = first.cancelled;

    const ProposerTemplate repairTpl(ProposerTemplate::Kind::Repair, providers.repairSystem, providers.repairUser);
    std::vector<llm::LlmRequest> repairs;
    std::vector<size_t> repairOf;
    for (size_t i = 0; i < out.size(); ++i) {
        const llm::LlmResult &res = first.results[i];
        Proposal &p = out[i];
        p.tokensIn = res.tokensIn;
        p.tokensOut = res.tokensOut;
        p.costUsd = res.costUsd;
        if (!res.ok) {
            p.error = res.errorText;
            continue;
        }
        p.answered = true;
        p.raw = res.text;
        auto parsed = parseRubricAnswer(res.text);
        if (parsed) {
            p.ok = true;
            p.criteria = std::move(parsed.value());
            continue;
        }
        p.error = parsed.error().message;
        if (!first.cancelled) {
            llm::LlmRequest r = repairTpl.renderRepair(res.text, p.error);
            r.temperature = 0;
            r.maxTokens = providers.maxTokens;
            repairs.push_back(std::move(r));
            repairOf.push_back(i);
        }
    }
    if (repairs.empty() || first.cancelled)
        return out;

    progress.stage = QStringLiteral("repair");
    llm::JobOptions repairOptions = options;
    repairOptions.kind = options.kind + QStringLiteral("-repair");
    auto second = runBatch(scheduler, providers.repair.value_or(providers.proposer), std::move(repairs),
                           repairOptions, progress, report, paused);
    *cancelled = second.cancelled;
    progress.stage = stage;
    for (size_t k = 0; k < repairOf.size(); ++k) {
        const llm::LlmResult &res = second.results[k];
        Proposal &p = out[repairOf[k]];
        p.tokensIn += res.tokensIn;
        p.tokensOut += res.tokensOut;
        p.costUsd += res.costUsd;
        if (!res.ok) {
            p.error += QStringLiteral("; the repair call failed: ") + res.errorText;
            continue;
        }
        p.repairRaw = res.text;
        auto parsed = parseRubricAnswer(res.text);
        if (!parsed) {
            p.error += QStringLiteral("; the repaired answer still fails: ") + parsed.error().message;
            continue;
        }
        p.ok = true;
        p.repaired = true;
        p.criteria = std::move(parsed.value());
    }
    return out;
}

GenerationAttempt attemptOf(const Proposal &proposal, qint64 promptId, const QString &kind,
                            const ProposalProviders &providers, const QString &templateVersion)
{
    GenerationAttempt a;
    a.promptId = promptId;
    a.kind = kind;
    a.model = providers.proposer.model;
    a.templateVersion = templateVersion;
    a.raw = proposal.raw;
    a.repairRaw = proposal.repairRaw;
    if (!proposal.repairRaw.isEmpty() || (proposal.answered && !proposal.ok))
        a.repairModel = providers.repair.value_or(providers.proposer).model;
    a.error = proposal.error;
    a.tokensIn = proposal.tokensIn;
    a.tokensOut = proposal.tokensOut;
    a.costUsd = proposal.costUsd;
    return a;
}

} // namespace rs::authoring

#pragma once

#include "chatrequest.h"
#include "outcome.h"
#include "promptcache.h"
#include "serveroptions.h"

#include <random>

namespace rs::llmserver {

class Stats;

/// Which request shape an answer is for; usage, reasoning and caching differ between them.
enum class ApiKind { Chat, Responses, Messages };

/// Turns an accepted request into its answer: the oracle's judgement, sampled at the request's
/// temperature and seed, shaped by its JSON schema, reduced to one yes/no token for logprobs,
/// cut at its token limit, refused every --refuse K-th time, with reasoning and cached tokens.
/// Under the lenient profile only refusals and --obey-injections change anything.
class AnswerBuilder final {
public:
    AnswerBuilder(const ServerOptions &options, Stats &stats);

    /// id is the response id, recorded with a served P(yes).
    Outcome build(const ChatRequest &request, ApiKind api, const QString &id);

private:
    qint64 reasoningTokens(const ChatRequest &request, ApiKind api) const;

    const ServerOptions &m_options;
    Stats &m_stats;
    PromptCache m_cache;
    std::mt19937_64 m_fresh; // sample identities of requests without a seed
    quint64 m_answered = 0;
};

} // namespace rs::llmserver

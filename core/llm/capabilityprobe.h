#pragma once

#include "common/error.h"
#include "modelcapabilities.h"
#include "providerconfig.h"

#include <QStringList>

namespace rs::llm {

class CapabilityStore;
class LlmScheduler;

struct ProbeReport final {
    ModelCapabilities caps;
    QStringList steps;     ///< what was asked and learned, in order, for the user
    bool answered = false; ///< the model answered the probe request
    bool logprobsReturned = false;
    bool schemaFollowed = false; ///< the answer parsed as the schema's object
    QString error;               ///< why it did not answer (redacted)
};

/// Finds out what a provider's model accepts, by asking it: Anthropic's model description
/// (GET /models/{id}: structured outputs, thinking types, effort levels) where offered, then
/// one small request with every optional parameter the studio uses (temperature, seed,
/// logprobs, a JSON schema, the token limit), sent through the scheduler, which learns from
/// each rejection and sends it again until it is accepted. What was found is stored, so runs
/// send neither a probe nor a rejected request.
Expected<ProbeReport> probeModel(LlmScheduler &scheduler, const ProviderConfig &provider,
                                 const QString &apiKey, CapabilityStore &store);

} // namespace rs::llm

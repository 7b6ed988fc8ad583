#pragma once

#include "common/error.h"
#include "modelcapabilities.h"
#include "providerconfig.h"

#include <QStringList>

#include <stop_token>

namespace rs::llm {

class CapabilityStore;
class LlmScheduler;

struct ProbeReport final {
    ModelCapabilities caps;
    QStringList steps;     ///< what was asked and learned, in order, for the user
    bool described = false; ///< Anthropic's model description was read (thinking, effort)
    bool answered = false;  ///< the model answered the probe request
    bool logprobsReturned = false;
    bool schemaFollowed = false; ///< the answer parsed as the schema's object
    QString error;               ///< why it did not answer (redacted)
};

/// Finds out what a provider's model accepts, by asking it: Anthropic's model description
/// (GET /models/{id}: structured outputs, thinking types, effort levels) where offered, then
/// one small request with every optional parameter the studio uses (temperature, seed,
/// logprobs, a JSON schema, the token limit), sent through the scheduler, which learns from
/// each rejection and sends it again until it is accepted. What was found is stored, so runs
/// send neither a probe nor a rejected request. A stop requested on `stop` ends the probe
/// early with an error, and the store keeps what it held before.
Expected<ProbeReport> probeModel(LlmScheduler &scheduler, const ProviderConfig &provider,
                                 const QString &apiKey, CapabilityStore &store,
                                 const std::stop_token &stop = {});

} // namespace rs::llm

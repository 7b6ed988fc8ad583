#include "capabilityprobe.h"
#include "common/boundedjson.h"

#include "capabilitystore.h"
#include "jsonextract.h"
#include "llmscheduler.h"
#include "secrets.h"

#include <curl/curl.h>
#include <nlohmann/json.hpp>

namespace rs::llm {
namespace {

size_t collectProbeBody(char *data, size_t size, size_t n, void *user) {
    static_cast<std::string *>(user)->append(data, size * n);
    return size * n;
}

/// libcurl's progress callback: a non-zero answer aborts the transfer.
int abortOnStop(void *stop, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    return static_cast<const std::stop_token *>(stop)->stop_requested() ? 1 : 0;
}

/// GET {base}/models/{model}; the body on HTTP 200, else nothing (also when stopped).
std::optional<std::string> fetchModelDescription(const ProviderConfig &provider,
                                                 const QString &apiKey,
                                                 const std::stop_token &stop) {
    QString base = provider.baseUrl;
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    const std::string url =
        QString(base + QStringLiteral("/models/") + provider.model).toStdString();
    CURL *curl = curl_easy_init();
    if (!curl)
        return std::nullopt;
    curl_slist *headers = curl_slist_append(nullptr, "anthropic-version: 2023-06-01");
    const std::string key = "x-api-key: " + apiKey.toStdString();
    if (!apiKey.isEmpty())
        headers = curl_slist_append(headers, key.c_str());
    std::string body;
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collectProbeBody);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, long(std::min(provider.timeoutMs, 30000)));
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    // Called at least once a second, also while waiting: a stop ends the wait promptly.
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, abortOnStop);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &stop);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    long status = 0;
    const CURLcode rc = curl_easy_perform(curl);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    if (rc != CURLE_OK || status != 200)
        return std::nullopt;
    return body;
}

/// Reads Anthropic's `capabilities` object into caps; false when the body has none.
bool readAnthropicCapabilities(const std::string &body, ModelCapabilities &caps,
                               QStringList &steps) {
    const nlohmann::json j = parseBoundedJson(body);
    if (!j.is_object() || !j.contains("capabilities") || !j["capabilities"].is_object())
        return false;
    const nlohmann::json &c = j["capabilities"];
    auto supported = [](const nlohmann::json &node) {
        return node.is_object() && node.value("supported", false);
    };
    if (c.contains("structured_outputs")) {
        caps.jsonSchema = supported(c["structured_outputs"]);
        steps << QStringLiteral("model description: structured outputs %1")
                     .arg(caps.jsonSchema ? QStringLiteral("yes") : QStringLiteral("no"));
    }
    if (c.contains("thinking") && c["thinking"].is_object()) {
        const nlohmann::json types = c["thinking"].value("types", nlohmann::json::object());
        if (types.is_object() && types.contains("enabled")) {
            caps.thinkingEnabled = supported(types["enabled"]);
            steps << QStringLiteral("model description: thinking budgets %1")
                         .arg(caps.thinkingEnabled ? QStringLiteral("yes")
                                                   : QStringLiteral("no (adaptive)"));
        }
    }
    if (c.contains("effort")) {
        caps.reasoningEffort = supported(c["effort"]);
        for (const char *level : {"low", "medium", "high", "xhigh", "max"})
            if (c["effort"].is_object() && c["effort"].contains(level) &&
                !supported(c["effort"][level]))
                caps.refusedEfforts << QLatin1String(level);
        steps << QStringLiteral("model description: effort levels %1")
                     .arg(caps.reasoningEffort ? QStringLiteral("yes") : QStringLiteral("no"));
    }
    return true;
}

} // namespace

Expected<ProbeReport> probeModel(LlmScheduler &scheduler, const ProviderConfig &provider,
                                 const QString &apiKey, CapabilityStore &store,
                                 const std::stop_token &stop) {
    const auto cancelled = [] { return makeError(QStringLiteral("the probe was cancelled")); };
    ProbeReport report;
    ModelCapabilities start = ModelCapabilities::defaultsFor(provider.kind);
    if (provider.kind == ProviderKind::Anthropic) {
        const auto body = fetchModelDescription(provider, apiKey, stop);
        report.described = body && readAnthropicCapabilities(*body, start, report.steps);
        if (!report.described)
            report.steps << QStringLiteral(
                                "no model description (GET /models/%1): probing by request")
                                .arg(provider.model);
    }
    if (stop.stop_requested())
        return cancelled();
    // The scheduler starts from what the store holds: the probe starts from the description.
    // A cancelled probe puts back what was there, so stopping it costs nothing learned before.
    const std::optional<ModelCapabilities> before = store.find(provider);
    if (auto r = store.put(provider, start); !r)
        return r.error();

    LlmRequest r;
    r.system = QStringLiteral("You answer with JSON.");
    r.messages = {{QStringLiteral("user"),
                   QStringLiteral("Is the sky usually blue on a clear day? Answer yes or no.")}};
    r.maxTokens = 256;
    r.seed = 1;
    r.logprobs = true;
    r.topLogprobs = 5;
    r.format = ResponseFormat::JsonSchema;
    r.jsonSchema = QStringLiteral(
        R"({"type":"object","properties":{"answer":{"type":"string","enum":["yes","no"]}},"required":["answer"],"additionalProperties":false})");
    r.templateVersion = QStringLiteral("probe-v1");
    JobOptions options;
    options.kind = QStringLiteral("probe");
    options.bypassCache = true;
    std::vector<LlmResult> results;
    scheduler.runBlocking(provider, {r}, options, &results, stop);
    if (stop.stop_requested()) {
        if (before)
            (void)store.put(provider, *before); // best effort: the user asked for nothing
        return cancelled();
    }

    report.caps = store.get(provider);
    report.steps += report.caps.lessons;
    if (results.empty() || !results.front().ok) {
        report.error = results.empty() ? QStringLiteral("no answer")
                                       : redactSecrets(results.front().errorText);
        return report;
    }
    const LlmResult &answer = results.front();
    report.answered = true;
    report.logprobsReturned = !answer.firstTokenLogprobs.isEmpty();
    const auto parsed = extractJson(answer.text.toStdString(), JsonShape::Object);
    report.schemaFollowed = parsed && parsed->is_object() && parsed->contains("answer");
    // Accepted but ignored is the same as refused for what runs should count on.
    if (report.caps.logprobs && !report.logprobsReturned) {
        report.caps.logprobs = false;
        report.caps.lessons << QStringLiteral("logprobs accepted but not returned");
    }
    report.steps << QStringLiteral("answered: logprobs %1, schema %2")
                        .arg(report.logprobsReturned ? QStringLiteral("returned")
                                                     : QStringLiteral("not returned"),
                             report.schemaFollowed ? QStringLiteral("followed")
                                                   : QStringLiteral("not followed"));
    if (auto saved = store.put(provider, report.caps); !saved)
        return saved.error();
    return report;
}

} // namespace rs::llm

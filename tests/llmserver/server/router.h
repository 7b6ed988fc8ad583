#pragma once

#include "answerbuilder.h"
#include "anthropicdialect.h"
#include "faultkind.h"
#include "faultplan.h"
#include "httprequest.h"
#include "httpresponse.h"
#include "openaidialect.h"
#include "responsesdialect.h"
#include "serveroptions.h"

namespace rs::llmserver {

class Stats;

/// What a connection must do with one request.
struct Reply {
    HttpResponse response;
    /// Stall, Reset and Truncated are carried out by the connection; everything else is
    /// already in the response.
    FaultKind transportFault = FaultKind::None;
    int delayMs = 0;
};

/// Maps a request to its reply: endpoints, the fault decision, the oracle's answer in the
/// dialect of the endpoint. Runs on the server's one thread, so the fault script and the
/// seeded generator see requests in a single arrival order.
class Router final {
public:
    Router(const ServerOptions &options, Stats &stats);

    Reply handle(const HttpRequest &request);
    /// The answer to a request the parser could not frame (the connection closes after it).
    HttpResponse protocolError(int status, const QByteArray &text) const;

private:
    Reply model(const HttpRequest &request, const ApiDialect &dialect);
    HttpResponse error(const ApiDialect &dialect, int status, const QString &message) const;
    HttpResponse models(const HttpRequest &request) const;
    const ApiDialect &dialectFor(const HttpRequest &request) const;
    /// Whether the profile's API has this model endpoint (lenient: chat and messages).
    bool serves(const QByteArray &path) const;
    std::optional<Rejection> profileRules(const HttpRequest &request,
                                          const nlohmann::ordered_json &body,
                                          ChatRequest *chat) const;

    const ServerOptions &m_options;
    Stats &m_stats;
    FaultPlan m_faults;
    OpenAiDialect m_openAi;
    AnthropicDialect m_anthropic;
    ResponsesDialect m_responses;
    AnswerBuilder m_builder;
    quint64 m_serial = 0;
};

} // namespace rs::llmserver

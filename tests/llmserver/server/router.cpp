#include "router.h"

#include "anthropicrules.h"
#include "logging.h"
#include "modelinfo.h"
#include "openairules.h"
#include "oracle.h"
#include "stats.h"

namespace rs::llmserver {

using nlohmann::ordered_json;

namespace {

const QByteArray kChatPath = "/v1/chat/completions";
const QByteArray kMessagesPath = "/v1/messages";
const QByteArray kResponsesPath = "/v1/responses";

// Cuts a body so that it cannot parse: half of a JSON object never closes its outer brace.
// For a stream the first data event is cut instead and the terminator still follows, so the
// client meets the bad JSON where it parses events.
QByteArray malformed(const QByteArray &body, bool stream) {
    if (!stream)
        return body.left(body.size() / 2);
    const qsizetype start = body.indexOf("data: ");
    const qsizetype end = body.indexOf("\n\n", start);
    if (start < 0 || end < 0)
        return body.left(body.size() / 2);
    const qsizetype payload = start + 6;
    return body.left(payload + (end - payload) / 2) + body.mid(end);
}

} // namespace

Router::Router(const ServerOptions &options, Stats &stats)
    : m_options(options)
    , m_stats(stats)
    , m_faults(options.faultRate, options.faults, options.seed, options.script)
    , m_builder(options, stats) {
    m_stats.setProfile(profileName(options.profile));
}

bool Router::serves(const QByteArray &path) const {
    switch (m_options.profile) {
    case Profile::Lenient:
        return path == kChatPath || path == kMessagesPath;
    case Profile::OpenAi:
        return path == kChatPath || path == kResponsesPath;
    case Profile::Anthropic:
        return path == kMessagesPath;
    case Profile::Vllm:
    case Profile::LlamaCpp:
        return path == kChatPath;
    }
    return false;
}

std::optional<Rejection> Router::profileRules(const HttpRequest &request, const ordered_json &body,
                                              ChatRequest *chat) const {
    if (m_options.profile == Profile::Lenient)
        return std::nullopt;
    if (request.path == kMessagesPath) {
        // The real API refuses requests that do not say which version they were written for.
        if (!request.hasHeader("anthropic-version"))
            return Rejection{400, QStringLiteral("anthropic-version: header is required"),
                             QString(), QString()};
        return AnthropicRules::check(body, chat);
    }
    if (request.path == kResponsesPath)
        return OpenAiRules::responses(body, chat);
    return OpenAiRules::chat(m_options.profile, body, chat, m_options.contextTokens);
}

const ApiDialect &Router::dialectFor(const HttpRequest &request) const {
    if (request.path == kMessagesPath || request.hasHeader("anthropic-version"))
        return m_anthropic;
    return m_openAi;
}

HttpResponse Router::error(const ApiDialect &dialect, int status, const QString &message) const {
    return HttpResponse::json(status, ApiDialect::dump(dialect.error(status, message)));
}

HttpResponse Router::protocolError(int status, const QByteArray &text) const {
    return error(m_openAi, status, QString::fromUtf8(text));
}

Reply Router::handle(const HttpRequest &request) {
    if (request.path != "/stats")
        m_stats.countRequest(request.path);

    Reply reply;
    const bool get = request.method == "GET";
    const bool post = request.method == "POST";
    if (serves(request.path)) {
        if (post) {
            if (request.path == kResponsesPath)
                return model(request, m_responses);
            return model(request, request.path == kChatPath
                                      ? static_cast<const ApiDialect &>(m_openAi)
                                      : m_anthropic);
        }
        reply.response = error(dialectFor(request), 405, QStringLiteral("use POST"));
        reply.response.extraHeaders.emplaceBack("Allow", "POST");
    } else if (request.path == "/health" && get) {
        reply.response = HttpResponse::text(200, "ok");
    } else if (request.path == "/v1/models" && get) {
        reply.response = models(request);
    } else if (request.path.startsWith("/v1/models/") && get &&
               m_options.profile != Profile::Lenient) {
        const QString id = QString::fromUtf8(request.path.mid(11));
        reply.response =
            HttpResponse::json(200, ApiDialect::dump(ModelInfo::describe(m_options.profile, id)));
    } else if (request.path == "/stats" && get) {
        reply.response = HttpResponse::json(200, m_stats.toJson());
    } else if (request.path == "/health" || request.path == "/v1/models" ||
               request.path == "/stats") {
        reply.response = error(dialectFor(request), 405, QStringLiteral("use GET"));
        reply.response.extraHeaders.emplaceBack("Allow", "GET");
    } else {
        reply.response =
            error(dialectFor(request), 404,
                  QStringLiteral("no route for %1 %2")
                      .arg(QString::fromUtf8(request.method), QString::fromUtf8(request.path)));
    }
    if (request.path != "/stats")
        m_stats.countStatus(reply.response.status);
    return reply;
}

HttpResponse Router::models(const HttpRequest &request) const {
    static const char *const kIds[] = {"rs-test-chat", "rs-test-proposer", "rs-test-judge",
                                       "rs-test-pairwise", "rs-test-rewrite"};
    ordered_json data = ordered_json::array();
    const bool anthropic = request.hasHeader("anthropic-version");
    for (const char *id : kIds) {
        if (anthropic)
            data.push_back({{"type", "model"},
                            {"id", id},
                            {"display_name", id},
                            {"created_at", "2025-01-01T00:00:00Z"}});
        else
            data.push_back({{"id", id},
                            {"object", "model"},
                            {"created", 0},
                            {"owned_by", "rubric-studio-tests"}});
    }
    ordered_json body;
    if (anthropic)
        body = {{"data", data},
                {"has_more", false},
                {"first_id", kIds[0]},
                {"last_id", kIds[std::size(kIds) - 1]}};
    else
        body = {{"object", "list"}, {"data", data}};
    return HttpResponse::json(200, ApiDialect::dump(body));
}

Reply Router::model(const HttpRequest &request, const ApiDialect &dialect) {
    Reply reply;
    reply.delayMs = m_options.latencyMs;
    if (const QByteArray latency = request.header("x-test-latency-ms"); !latency.isNull()) {
        bool ok = false;
        reply.delayMs = latency.toInt(&ok);
        if (!ok || reply.delayMs < 0) {
            reply.delayMs = 0;
            reply.response = error(dialect, 400,
                                   QStringLiteral("x-test-latency-ms must be a "
                                                  "non-negative integer"));
            m_stats.countStatus(400);
            return reply;
        }
    }

    // The fault is drawn before the body is read, as a real rate limiter or a dying backend
    // would act; header overrides consume neither a script line nor a random draw.
    FaultKind fault = FaultKind::None;
    if (const QByteArray forced = request.header("x-test-fault"); !forced.isNull()) {
        const auto kind = parseFault(QString::fromLatin1(forced));
        if (!kind) {
            reply.response = error(
                dialect, 400,
                QStringLiteral("unknown x-test-fault \"%1\"").arg(QString::fromLatin1(forced)));
            m_stats.countStatus(400);
            return reply;
        }
        fault = *kind;
    } else {
        fault = m_faults.next();
    }

    ordered_json body;
    QString parseError;
    std::optional<ChatRequest> chat;
    try {
        body = ordered_json::parse(request.body.cbegin(), request.body.cend());
        chat = dialect.parseRequest(body, &parseError);
    } catch (const nlohmann::json::exception &e) {
        parseError = QStringLiteral("the request body is not valid JSON: %1")
                         .arg(QString::fromUtf8(e.what()));
    }
    std::optional<Rejection> rejected;
    if (chat)
        rejected = profileRules(request, body, &*chat);
    const QString role =
        chat ? Oracle::roleName(Oracle::detectRole(*chat)) : QStringLiteral("invalid");
    m_stats.countModelRequest(dialect.name(), role,
                              chat && (chat->gen.schema.has_value() || chat->gen.forcedTool));

    QString detail; // what the verbose log adds for answered or rejected requests
    switch (fault) {
    case FaultKind::Status429:
        reply.response = error(dialect, 429, QStringLiteral("Rate limit reached (injected)."));
        reply.response.extraHeaders.emplaceBack("Retry-After",
                                                QByteArray::number(m_options.retryAfterSeconds));
        break;
    case FaultKind::Status500:
        reply.response = error(dialect, 500, QStringLiteral("Internal server error (injected)."));
        break;
    case FaultKind::Status503:
        reply.response = error(dialect, 503, QStringLiteral("Service unavailable (injected)."));
        break;
    case FaultKind::Stall:
    case FaultKind::Reset:
        reply.transportFault = fault;
        reply.response.status = 0; // nothing is sent
        break;
    case FaultKind::None:
    case FaultKind::Malformed:
    case FaultKind::Truncated:
    case FaultKind::Fenced: {
        if (!chat) {
            // Body-level faults need an answer to damage; a bad request is just a bad request.
            fault = FaultKind::None;
            reply.response = error(dialect, 400, parseError);
            break;
        }
        if (rejected) {
            fault = FaultKind::None;
            reply.response = HttpResponse::json(rejected->status,
                                                ApiDialect::dump(dialect.rejection(*rejected)));
            detail = QStringLiteral(" rejected=%1").arg(rejected->param);
            m_stats.countRejection(rejected->param.isEmpty()
                                       ? rejected->message.section(QLatin1Char(':'), 0, 0).left(40)
                                       : rejected->param);
            break;
        }
        const QString id = dialect.responseId(++m_serial);
        const ApiKind api = request.path == kMessagesPath    ? ApiKind::Messages
                            : request.path == kResponsesPath ? ApiKind::Responses
                                                             : ApiKind::Chat;
        Outcome outcome = m_builder.build(*chat, api, id);
        if (fault == FaultKind::Fenced) {
            // The fenced fault wraps the answer as before; its usage counts the chatter.
            outcome.text = Oracle::fenced(outcome.text);
            const Usage usage = ApiDialect::usageFor(*chat, outcome.text);
            outcome.usage.output = usage.output + outcome.reasoningTokens;
        }
        m_stats.countTokens(outcome.usage.input, outcome.usage.output);
        m_stats.countOutcome(outcome);
        static const char *const kFinish[] = {"stop", "length", "refusal", "tool_use"};
        detail = QStringLiteral(" finish=%1 cached=%2 reasoning=%3")
                     .arg(QLatin1StringView(kFinish[int(outcome.finish)]))
                     .arg(outcome.cachedTokens)
                     .arg(outcome.reasoningTokens);
        if (outcome.logprobs && outcome.logprobs->isVerdict())
            detail += QStringLiteral(" p_yes=%1").arg(outcome.logprobs->pYes, 0, 'g', 17);
        if (chat->stream) {
            reply.response = HttpResponse::json(200, dialect.stream(*chat, id, outcome));
            reply.response.contentType = "text/event-stream";
            reply.response.extraHeaders.emplaceBack("Cache-Control", "no-cache");
        } else {
            reply.response =
                HttpResponse::json(200, ApiDialect::dump(dialect.completion(*chat, id, outcome)));
        }
        if (fault == FaultKind::Malformed)
            reply.response.body = malformed(reply.response.body, chat->stream);
        if (fault == FaultKind::Truncated)
            reply.transportFault = fault;
        break;
    }
    }
    m_stats.countFault(fault);
    if (fault != FaultKind::Stall && fault != FaultKind::Reset)
        m_stats.countStatus(reply.response.status);
    qCDebug(lcLlmServer).noquote()
        << request.method << request.path << "api=" << dialect.name() << "role=" << role
        << "fault=" << faultName(fault) << "status=" << reply.response.status
        << "delay_ms=" << reply.delayMs << detail;
    return reply;
}

} // namespace rs::llmserver

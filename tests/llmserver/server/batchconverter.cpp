#include "batchconverter.h"

#include "anthropicdialect.h"
#include "openaidialect.h"
#include "oracle.h"

#include <QFile>
#include <QSaveFile>

namespace rs::llmserver {

using nlohmann::ordered_json;

namespace {

ordered_json answerOpenAi(const OpenAiDialect &dialect, const ordered_json &input, quint64 serial) {
    int status = 200;
    ordered_json body;
    const std::string url = input.value("url", std::string());
    const std::string method = input.value("method", std::string("POST"));
    QString error;
    std::optional<ChatRequest> request;
    if (url != "/v1/chat/completions" || method != "POST")
        error = QStringLiteral("only POST /v1/chat/completions is supported in this batch");
    else if (const auto b = input.find("body"); b != input.end())
        request = dialect.parseRequest(*b, &error);
    else
        error = QStringLiteral("'body' is required");
    if (request) {
        request->stream = false;
        const Oracle::Answer answer = Oracle::answer(*request);
        body = dialect.completion(
            *request, dialect.responseId(serial),
            Outcome::plain(answer.text, ApiDialect::usageFor(*request, answer.text)));
    } else {
        status = 400;
        body = dialect.error(400, error);
    }
    const QString n = QStringLiteral("%1").arg(serial, 8, 10, QLatin1Char('0'));
    return {{"id", ApiDialect::utf8(QStringLiteral("batch_req_") + n)},
            {"custom_id", input.at("custom_id")},
            {"response",
             {{"status_code", status},
              {"request_id", ApiDialect::utf8(QStringLiteral("req_") + n)},
              {"body", body}}},
            {"error", nullptr}};
}

ordered_json answerAnthropic(const AnthropicDialect &dialect, const ordered_json &input,
                             quint64 serial) {
    QString error;
    std::optional<ChatRequest> request;
    if (const auto p = input.find("params"); p != input.end())
        request = dialect.parseRequest(*p, &error);
    else
        error = QStringLiteral("params: Field required");
    ordered_json result;
    if (request) {
        request->stream = false;
        const Oracle::Answer answer = Oracle::answer(*request);
        result = {{"type", "succeeded"},
                  {"message",
                   dialect.completion(
                       *request, dialect.responseId(serial),
                       Outcome::plain(answer.text, ApiDialect::usageFor(*request, answer.text)))}};
    } else {
        result = {{"type", "errored"}, {"error", dialect.error(400, error)}};
    }
    return {{"custom_id", input.at("custom_id")}, {"result", result}};
}

} // namespace

bool BatchConverter::convert(Format format, const QString &inPath, const QString &outPath,
                             QString *error) {
    QFile in(inPath);
    if (!in.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1: %2").arg(inPath, in.errorString());
        return false;
    }
    QSaveFile out(outPath);
    if (!out.open(QIODevice::WriteOnly)) {
        *error = QStringLiteral("cannot write %1: %2").arg(outPath, out.errorString());
        return false;
    }
    const OpenAiDialect openAi;
    const AnthropicDialect anthropic;
    quint64 serial = 0;
    int lineNo = 0;
    while (!in.atEnd()) {
        ++lineNo;
        const QByteArray raw = in.readLine().trimmed();
        if (raw.isEmpty())
            continue;
        ordered_json input;
        try {
            input = ordered_json::parse(raw.cbegin(), raw.cend());
        } catch (const nlohmann::json::exception &) {
            *error = QStringLiteral("%1 line %2: not valid JSON").arg(inPath).arg(lineNo);
            return false;
        }
        if (!input.is_object() || !input.contains("custom_id") || !input["custom_id"].is_string()) {
            *error = QStringLiteral("%1 line %2: a string custom_id is required")
                         .arg(inPath)
                         .arg(lineNo);
            return false;
        }
        ++serial;
        const ordered_json line = format == Format::OpenAi
                                      ? answerOpenAi(openAi, input, serial)
                                      : answerAnthropic(anthropic, input, serial);
        out.write(ApiDialect::dump(line) + '\n');
    }
    if (!out.commit()) {
        *error = QStringLiteral("cannot write %1: %2").arg(outPath, out.errorString());
        return false;
    }
    return true;
}

} // namespace rs::llmserver

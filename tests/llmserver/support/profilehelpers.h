#pragma once

#include "rawhttp.h"
#include "serverprocess.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>

#include <memory>

// Helpers of the profile tests: a server with its own keep-alive client, and the judge prompt
// laid out as the studio lays it out (fenced untrusted text, a CRITERIA block).
namespace rs::test {

/// A server started with some options and one client connected to it.
struct ProfileServer {
    ServerProcess process;
    RawHttpClient client;

    bool start(const QStringList &args) {
        return process.start(args) && client.connectTo(process.port());
    }
    /// Anthropic requests carry the anthropic-version header, as the studio sends it.
    RawResponse post(const QByteArray &path, const QJsonObject &body, Headers headers = {}) {
        if (path == "/v1/messages")
            headers.append(qMakePair(QByteArray("anthropic-version"), QByteArray("2023-06-01")));
        return client.request("POST", path, QJsonDocument(body).toJson(QJsonDocument::Compact),
                              headers);
    }
};

inline QJsonObject message(const QString &role, const QJsonValue &content) {
    return QJsonObject{{QStringLiteral("role"), role}, {QStringLiteral("content"), content}};
}

/// A judge question: the response fenced by RESPONSE markers (with a nonce when given), then
/// one criterion per line.
inline QString judgeQuestion(const QString &response, const QStringList &criteria,
                             const QString &nonce = {}) {
    const QString tag = nonce.isEmpty() ? QString() : QStringLiteral("#") + nonce;
    return QStringLiteral("Grade the response against each criterion.\n<<<PROMPT%1\nSay something."
                          "\nPROMPT%1>>>\n<<<RESPONSE%1\n%2\nRESPONSE%1>>>\n<<<CRITERIA\n%3\n"
                          "CRITERIA>>>\nAnswer with a JSON object.")
        .arg(tag, response, criteria.join(QLatin1Char('\n')));
}

/// An OpenAI chat body for the judge role.
inline QJsonObject judgeChat(const QString &model, const QString &user, QJsonObject extra = {}) {
    extra.insert(QStringLiteral("model"), model);
    extra.insert(QStringLiteral("messages"),
                 QJsonArray{message(QStringLiteral("system"), QStringLiteral("[role:judge]")),
                            message(QStringLiteral("user"), user)});
    return extra;
}

/// An Anthropic messages body for the judge role.
inline QJsonObject judgeMessages(const QString &model, const QString &user,
                                 QJsonObject extra = {}) {
    extra.insert(QStringLiteral("model"), model);
    if (!extra.contains(QStringLiteral("max_tokens")))
        extra.insert(QStringLiteral("max_tokens"), 1024);
    extra.insert(QStringLiteral("system"), QStringLiteral("[role:judge]"));
    extra.insert(QStringLiteral("messages"), QJsonArray{message(QStringLiteral("user"), user)});
    return extra;
}

inline QJsonObject firstChoice(const QJsonObject &completion) {
    return completion.value(QStringLiteral("choices")).toArray().at(0).toObject();
}

inline QJsonObject errorOf(const RawResponse &r) {
    return r.json().value(QStringLiteral("error")).toObject();
}

/// A strict json_schema response_format with one property per criterion id.
inline QJsonObject verdictSchema(const QStringList &ids, const QJsonObject &property) {
    QJsonObject props;
    QJsonArray required;
    for (const QString &id : ids) {
        props.insert(id, property);
        required.append(id);
    }
    return QJsonObject{{QStringLiteral("type"), QStringLiteral("object")},
                       {QStringLiteral("properties"), props},
                       {QStringLiteral("required"), required},
                       {QStringLiteral("additionalProperties"), false}};
}

inline QJsonObject responseFormat(const QJsonObject &schema) {
    return QJsonObject{{QStringLiteral("type"), QStringLiteral("json_schema")},
                       {QStringLiteral("json_schema"),
                        QJsonObject{{QStringLiteral("name"), QStringLiteral("verdicts")},
                                    {QStringLiteral("strict"), true},
                                    {QStringLiteral("schema"), schema}}}};
}

} // namespace rs::test

#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>

// Request bodies as the studio sends them, built with Qt's JSON so the tests share no code with
// the server.
namespace rs::test {

inline QByteArray openAiBody(const QString &model, const QString &system, const QString &user,
                             QJsonObject extra = {}) {
    QJsonArray messages;
    if (!system.isEmpty())
        messages.append(QJsonObject{{QStringLiteral("role"), QStringLiteral("system")},
                                    {QStringLiteral("content"), system}});
    messages.append(QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                                {QStringLiteral("content"), user}});
    extra.insert(QStringLiteral("model"), model);
    extra.insert(QStringLiteral("messages"), messages);
    return QJsonDocument(extra).toJson(QJsonDocument::Compact);
}

inline QByteArray anthropicBody(const QString &model, const QString &system, const QString &user,
                                QJsonObject extra = {}) {
    if (!system.isEmpty())
        extra.insert(QStringLiteral("system"), system);
    extra.insert(QStringLiteral("model"), model);
    extra.insert(QStringLiteral("max_tokens"), 1024);
    extra.insert(QStringLiteral("messages"),
                 QJsonArray{QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                                        {QStringLiteral("content"), user}}});
    return QJsonDocument(extra).toJson(QJsonDocument::Compact);
}

/// The assistant text of an OpenAI chat completion.
inline QString openAiContent(const QJsonObject &completion) {
    return completion.value(QStringLiteral("choices"))
        .toArray()
        .at(0)
        .toObject()
        .value(QStringLiteral("message"))
        .toObject()
        .value(QStringLiteral("content"))
        .toString();
}

/// The text of the first content block of an Anthropic message.
inline QString anthropicText(const QJsonObject &message) {
    return message.value(QStringLiteral("content"))
        .toArray()
        .at(0)
        .toObject()
        .value(QStringLiteral("text"))
        .toString();
}

/// Parses a JSON text that must be an object or array (an assistant answer).
inline QJsonDocument parseAnswer(const QString &text) {
    return QJsonDocument::fromJson(text.toUtf8());
}

} // namespace rs::test

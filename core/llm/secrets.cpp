#include "secrets.h"

#include <QRegularExpression>
#include <QSet>

#include <mutex>

namespace rs::llm {
namespace {

std::mutex &secretsMutex() {
    static std::mutex m;
    return m;
}

QSet<QString> &secretValues() {
    static QSet<QString> s;
    return s;
}

} // namespace

void registerSecret(const QString &key) {
    if (key.size() < 8)
        return;
    std::lock_guard lock(secretsMutex());
    secretValues().insert(key);
}

QString redactSecrets(const QString &text) {
    QString out = text;
    {
        std::lock_guard lock(secretsMutex());
        for (const QString &key : secretValues())
            out.replace(key, QStringLiteral("[redacted]"));
    }
    static const QRegularExpression header(
        QStringLiteral(
            R"((authorization|x-api-key|api[-_]key)("?\s*[:=]\s*)("?)[^\s",}]+([ \t]+[^\s",}]+)?)"),
        QRegularExpression::CaseInsensitiveOption);
    out.replace(header, QStringLiteral("\\1\\2\\3[redacted]"));
    static const QRegularExpression bearer(QStringLiteral(R"(\b(Bearer)\s+[A-Za-z0-9._~+/=-]{6,})"),
                                           QRegularExpression::CaseInsensitiveOption);
    out.replace(bearer, QStringLiteral("\\1 [redacted]"));
    static const QRegularExpression keyShape(QStringLiteral(R"(\b(sk|rk|pk)-[A-Za-z0-9_-]{6,})"));
    out.replace(keyShape, QStringLiteral("[redacted]"));
    return out;
}

} // namespace rs::llm

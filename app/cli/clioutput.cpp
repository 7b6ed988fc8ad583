#include "clioutput.h"

#include <QJsonDocument>

#include <cstdio>
#include <unistd.h>

namespace rs::cli {

void out(const QString &text)
{
    const QByteArray b = text.toUtf8();
    std::fwrite(b.constData(), 1, size_t(b.size()), stdout);
}

void err(const QString &text)
{
    const QByteArray b = text.toUtf8();
    std::fwrite(b.constData(), 1, size_t(b.size()), stderr);
}

void printJson(const QJsonObject &object)
{
    out(QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact)) + QLatin1Char('\n'));
}

int fail(const Error &error)
{
    err(QStringLiteral("error: %1\n").arg(error.toString()));
    return 1;
}

int usageError(const QString &message)
{
    err(message + QLatin1Char('\n'));
    return 2;
}

ProgressLine::ProgressLine(QString label) : m_label(std::move(label)), m_enabled(isatty(2) == 1)
{
    m_timer.start();
}

void ProgressLine::update(qint64 done, qint64 total)
{
    if (!m_enabled || m_timer.elapsed() - m_lastDraw < 200)
        return;
    m_lastDraw = m_timer.elapsed();
    const double frac = total > 0 ? double(done) / double(total) : 0.0;
    const double secs = m_timer.elapsed() / 1000.0;
    const double eta = frac > 0.01 ? secs * (1 - frac) / frac : 0;
    err(QStringLiteral("\r%1: %2% (%3 MB of %4 MB) ETA %5 s   ")
            .arg(m_label)
            .arg(int(frac * 100))
            .arg(done / 1e6, 0, 'f', 1)
            .arg(total / 1e6, 0, 'f', 1)
            .arg(int(eta)));
    m_shown = true;
}

void ProgressLine::finish()
{
    if (m_shown)
        err(QStringLiteral("\r\033[K"));
}

} // namespace rs::cli

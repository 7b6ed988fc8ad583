#pragma once

#include "common/error.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QString>

namespace rs::cli {

void out(const QString &text);
void err(const QString &text);
void printJson(const QJsonObject &object);
/// Prints the error (FILE:LINE: message form) to stderr; returns the failure exit code 1.
int fail(const Error &error);
/// Prints a usage message; returns exit code 2.
int usageError(const QString &message);

/// A one-line progress display on stderr, only when stderr is a terminal, so pipes and
/// logs stay clean.
class ProgressLine final {
public:
    explicit ProgressLine(QString label);
    void update(qint64 done, qint64 total);
    void finish();

private:
    QString m_label;
    bool m_enabled = false;
    bool m_shown = false;
    QElapsedTimer m_timer;
    qint64 m_lastDraw = -1000;
};

} // namespace rs::cli

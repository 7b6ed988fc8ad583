#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <sys/types.h>

namespace rs::test {

/// Runs rs-llm-test-server as a child process on an OS-chosen port, the way a test of the
/// studio would, and learns the port from the first stdout line.
///
/// Started with posix_spawn, its output going to files, rather than with QProcess: QProcess
/// forks, and a fork while the project's writer thread is waiting leaves ThreadSanitizer blind
/// to later hand-overs (it then reports races on data passed under a mutex). posix_spawn
/// execs at once and does not disturb it. Reproduced with a 30-line program; see
/// docs/hardening.md.
class ServerProcess final {
public:
    ServerProcess() = default;
    ~ServerProcess();
    ServerProcess(const ServerProcess &) = delete;
    ServerProcess &operator=(const ServerProcess &) = delete;

    /// Starts with "--port 0" plus extra arguments; false (see errorString()) when no
    /// "listening on" line came within timeoutMs.
    bool start(const QStringList &extraArgs = {}, int timeoutMs = 10000);
    void stop();

    quint16 port() const { return m_port; }
    QString baseUrl() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_port); }
    QString errorString() const { return m_error; }
    /// GET /stats, answered over a blocking socket (no Qt network thread, which
    /// ThreadSanitizer cannot follow): the server's counters, empty on failure.
    QJsonObject stats() const;
    /// What the server wrote to stderr since the last call.
    QByteArray stderrText();

    static QString executable();
    /// Runs the executable to completion (batch modes); returns the exit code, -1 on timeout.
    static int run(const QStringList &args, QByteArray *stderrOut = nullptr, int timeoutMs = 30000);

private:
    bool isRunning();

    QTemporaryDir m_dir;
    pid_t m_pid = 0;
    qint64 m_stderrRead = 0;
    quint16 m_port = 0;
    QString m_error;
};

} // namespace rs::test

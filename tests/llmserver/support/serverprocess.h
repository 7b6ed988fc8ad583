#pragma once

#include <QProcess>
#include <QString>
#include <QStringList>

namespace rs::test {

/// Runs rs-llm-test-server as a child process on an OS-chosen port, the way a test of the
/// studio would, and learns the port from the first stdout line.
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
    /// Everything the server wrote to stderr so far.
    QByteArray stderrText();

    static QString executable();
    /// Runs the executable to completion (batch modes); returns the exit code, -1 on timeout.
    static int run(const QStringList &args, QByteArray *stderrOut = nullptr, int timeoutMs = 30000);

private:
    QProcess m_process;
    quint16 m_port = 0;
    QString m_error;
};

} // namespace rs::test

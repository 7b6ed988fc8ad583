#include "serverprocess.h"

#include <QElapsedTimer>
#include <QRegularExpression>

namespace rs::test {

QString ServerProcess::executable() {
    return QStringLiteral(RS_LLM_TEST_SERVER);
}

ServerProcess::~ServerProcess() {
    stop();
}

bool ServerProcess::start(const QStringList &extraArgs, int timeoutMs) {
    m_process.start(executable(),
                    QStringList{QStringLiteral("--port"), QStringLiteral("0")} + extraArgs);
    if (!m_process.waitForStarted(timeoutMs)) {
        m_error = QStringLiteral("cannot start %1: %2").arg(executable(), m_process.errorString());
        return false;
    }
    QElapsedTimer timer;
    timer.start();
    while (!m_process.canReadLine()) {
        const int left = timeoutMs - int(timer.elapsed());
        if (left <= 0 || m_process.state() != QProcess::Running) {
            m_error = QStringLiteral("no \"listening on\" line; stderr: %1")
                          .arg(QString::fromUtf8(m_process.readAllStandardError()));
            return false;
        }
        m_process.waitForReadyRead(qMin(left, 200));
    }
    const QString line = QString::fromUtf8(m_process.readLine()).trimmed();
    static const QRegularExpression pattern(
        QStringLiteral("^listening on http://127\\.0\\.0\\.1:(\\d+)$"));
    const auto match = pattern.match(line);
    if (!match.hasMatch()) {
        m_error = QStringLiteral("unexpected first line: %1").arg(line);
        return false;
    }
    m_port = quint16(match.captured(1).toUInt());
    return m_port != 0;
}

void ServerProcess::stop() {
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(3000)) {
        m_process.kill();
        m_process.waitForFinished(3000);
    }
}

QByteArray ServerProcess::stderrText() {
    return m_process.readAllStandardError();
}

int ServerProcess::run(const QStringList &args, QByteArray *stderrOut, int timeoutMs) {
    QProcess p;
    p.start(executable(), args);
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        return -1;
    }
    if (stderrOut)
        *stderrOut = p.readAllStandardError();
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

} // namespace rs::test

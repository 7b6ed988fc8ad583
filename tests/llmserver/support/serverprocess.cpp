#include "serverprocess.h"

#include "rawhttp.h"

#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QThread>

#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <vector>

extern char **environ;

namespace rs::test {
namespace {

QByteArray readFrom(const QString &path, qint64 offset)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly) || !f.seek(offset))
        return {};
    return f.readAll();
}

} // namespace

QString ServerProcess::executable() {
    return QStringLiteral(RS_LLM_TEST_SERVER);
}

ServerProcess::~ServerProcess() {
    stop();
}

bool ServerProcess::isRunning() {
    if (m_pid <= 0)
        return false;
    int status = 0;
    if (::waitpid(m_pid, &status, WNOHANG) == 0)
        return true;
    m_pid = 0; // exited (and reaped)
    return false;
}

bool ServerProcess::start(const QStringList &extraArgs, int timeoutMs) {
    stop();
    if (!m_dir.isValid()) {
        m_error = QStringLiteral("no temporary folder for the server's output");
        return false;
    }
    const QString out = m_dir.filePath(QStringLiteral("stdout"));
    const QString err = m_dir.filePath(QStringLiteral("stderr"));
    const QByteArray outPath = QFile::encodeName(out), errPath = QFile::encodeName(err);
    m_stderrRead = 0;

    std::vector<QByteArray> args{QFile::encodeName(executable()), "--port", "0"};
    for (const QString &a : extraArgs)
        args.push_back(a.toLocal8Bit());
    std::vector<char *> argv;
    for (QByteArray &a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);

    posix_spawn_file_actions_t files;
    posix_spawn_file_actions_init(&files);
    posix_spawn_file_actions_addopen(&files, 1, outPath.constData(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&files, 2, errPath.constData(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int spawned = ::posix_spawn(&m_pid, argv[0], &files, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&files);
    if (spawned != 0) {
        m_pid = 0;
        m_error = QStringLiteral("cannot start %1: %2").arg(executable(), QString::fromLocal8Bit(strerror(spawned)));
        return false;
    }

    QElapsedTimer timer;
    timer.start();
    QByteArray first;
    for (;;) {
        first = readFrom(out, 0);
        if (first.contains('\n'))
            break;
        if (timer.elapsed() > timeoutMs || !isRunning()) {
            m_error = QStringLiteral("no \"listening on\" line; stderr: %1")
                          .arg(QString::fromUtf8(readFrom(err, 0)));
            stop();
            return false;
        }
        QThread::msleep(10);
    }
    const QString line = QString::fromUtf8(first.left(first.indexOf('\n'))).trimmed();
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
    if (!isRunning())
        return;
    ::kill(m_pid, SIGTERM);
    QElapsedTimer timer;
    timer.start();
    while (isRunning() && timer.elapsed() < 3000)
        QThread::msleep(10);
    if (isRunning()) {
        ::kill(m_pid, SIGKILL);
        int status = 0;
        ::waitpid(m_pid, &status, 0);
        m_pid = 0;
    }
}

QJsonObject ServerProcess::stats() const {
    RawHttpClient client;
    if (!client.connectTo(m_port))
        return {};
    return client.request("GET", "/stats").json();
}

QByteArray ServerProcess::stderrText() {
    QByteArray text = readFrom(m_dir.filePath(QStringLiteral("stderr")), m_stderrRead);
    m_stderrRead += text.size();
    return text;
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

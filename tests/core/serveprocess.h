#pragma once
// `rubric-studio-cli serve` as a child process, for the tests that run the server the way a
// trainer's machine does (tst_servecrash, tst_adapters).

#include <QElapsedTimer>
#include <QFile>
#include <QRegularExpression>
#include <QString>
#include <QThread>

#include <csignal>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <vector>

extern char **environ;

namespace rs::test {

/// `rubric-studio-cli serve` as a child process (posix_spawn, as ServerProcess explains),
/// its port read from the first stdout line.
struct ServeProcess final {
    pid_t pid = 0;
    quint16 port = 0;

    /// `extra`: more arguments after the usual ones.
    bool start(const QString &project, const QString &judgeUrl, const QString &outPath,
               const QStringList &extra = {}) {
        std::vector<QByteArray> args{QByteArray(RS_CLI),
                                     "serve",
                                     QFile::encodeName(project),
                                     "--base-url",
                                     judgeUrl.toUtf8(),
                                     "--model",
                                     "test-judge",
                                     "--port",
                                     "0",
                                     "--concurrency",
                                     "4",
                                     "--retries",
                                     "0",
                                     "--workers",
                                     "2"};
        for (const QString &e : extra)
            args.push_back(e.toUtf8());
        std::vector<char *> argv;
        for (QByteArray &a : args)
            argv.push_back(a.data());
        argv.push_back(nullptr);
        const QByteArray out = QFile::encodeName(outPath);
        const QByteArray err = QFile::encodeName(outPath + QStringLiteral(".err"));
        posix_spawn_file_actions_t files;
        posix_spawn_file_actions_init(&files);
        posix_spawn_file_actions_addopen(&files, 1, out.constData(), O_WRONLY | O_CREAT | O_TRUNC,
                                         0600);
        posix_spawn_file_actions_addopen(&files, 2, err.constData(), O_WRONLY | O_CREAT | O_TRUNC,
                                         0600);
        const int spawned = ::posix_spawn(&pid, argv[0], &files, nullptr, argv.data(), environ);
        posix_spawn_file_actions_destroy(&files);
        if (spawned != 0) {
            pid = 0;
            return false;
        }
        static const QRegularExpression listening(
            QStringLiteral("^listening on http://127\\.0\\.0\\.1:(\\d+)"));
        QElapsedTimer clock;
        clock.start();
        while (clock.elapsed() < 30000) {
            QFile f(outPath);
            if (f.open(QIODevice::ReadOnly)) {
                const auto m = listening.match(QString::fromUtf8(f.readLine()));
                if (m.hasMatch()) {
                    port = quint16(m.captured(1).toUInt());
                    return true;
                }
            }
            int status = 0;
            if (::waitpid(pid, &status, WNOHANG) == pid) {
                pid = 0;
                return false;
            }
            QThread::msleep(20);
        }
        return false;
    }

    /// Sends `sig` and reaps the child; its exit status, or -1.
    int stop(int sig) {
        if (pid == 0)
            return -1;
        ::kill(pid, sig);
        int status = 0;
        ::waitpid(pid, &status, 0);
        pid = 0;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }

    ~ServeProcess() { stop(SIGKILL); }
};

} // namespace rs::test

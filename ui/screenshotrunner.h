#pragma once

#include <QObject>
#include <QString>
#include <QTimer>

namespace rs::ui {

class MainWindow;

/// Takes the --screenshot picture: waits (on signals, not sleeps) until a project is open,
/// the first prompt and its first response are selected and every view has its data, then
/// grabs the window into a PNG and reports the exit code.
class ScreenshotRunner final : public QObject {
    Q_OBJECT

public:
    static constexpr int kTimeoutMs = 60000;

    ScreenshotRunner(MainWindow &window, QString outputPath, QObject *parent = nullptr);

    /// True when every view shows the first prompt's data.
    bool viewsSettled() const;

Q_SIGNALS:
    void finished(int exitCode);

private:
    void check();
    void capture();
    void fail(const QString &message);

    MainWindow &m_window;
    QString m_outputPath;
    QTimer m_timeout;
    bool m_selectedFirstPrompt = false;
    bool m_statusReady = false;
    bool m_capturing = false;
    bool m_done = false;
};

} // namespace rs::ui

#include "screenshotrunner.h"

#include "mainwindow.h"
#include "common/markdownview.h"
#include "project/projectsession.h"
#include "project/projectstatuslabel.h"
#include "navigator/promptlistmodel.h"
#include "navigator/promptnavigator.h"
#include "responses/responsespanel.h"
#include "rubric/rubricpanel.h"
#include "rubric/rubrictablemodel.h"
#include "common/uilogging.h"
#include "verdicts/verdictgridmodel.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QPixmap>
#include <QTableView>

#include <cstdio>

namespace rs::ui {

ScreenshotRunner::ScreenshotRunner(MainWindow &window, QString outputPath, QObject *parent)
    : QObject(parent)
    , m_window(window)
    , m_outputPath(std::move(outputPath))
{
    m_timeout.setSingleShot(true);
    m_timeout.setInterval(kTimeoutMs);
    connect(&m_timeout, &QTimer::timeout, this, [this] {
        fail(QStringLiteral("the views did not fill within %1 s").arg(kTimeoutMs / 1000));
    });
    m_timeout.start();

    connect(window.session(), &ProjectSession::openFailed, this,
            [this](const QString &path, const QString &message, bool) {
                fail(QStringLiteral("cannot open %1: %2").arg(path, message));
            });
    connect(window.projectStatus(), &ProjectStatusLabel::refreshed, this, [this] {
        m_statusReady = m_window.session()->isOpen();
        check();
    });
    connect(window.navigator(), &PromptNavigator::promptsLoaded, this, &ScreenshotRunner::check);
    connect(window.responsesPanel(), &ResponsesPanel::responsesLoaded, this,
            &ScreenshotRunner::check);
    connect(window.responsesPanel(), &ResponsesPanel::promptTextLoaded, this,
            &ScreenshotRunner::check);
    connect(window.rubricPanel(), &RubricPanel::rubricLoaded, this, &ScreenshotRunner::check);
}

bool ScreenshotRunner::viewsSettled() const
{
    PromptNavigator *nav = m_window.navigator();
    ResponsesPanel *responses = m_window.responsesPanel();
    RubricTableModel *rubric = m_window.rubricPanel()->model();
    const qint64 prompt = nav->currentPromptId();
    return m_statusReady && prompt != 0 && prompt == nav->model()->promptIdAt(0) &&
           responses->isSettled() && responses->promptId() == prompt &&
           (responses->model()->rowCount() == 0 || responses->currentResponseId() != 0) &&
           !rubric->isLoading() && rubric->loadedPromptId() == prompt;
}

void ScreenshotRunner::check()
{
    if (m_done || m_capturing)
        return;
    PromptNavigator *nav = m_window.navigator();
    if (!m_selectedFirstPrompt && nav->model()->rowCount() > 0) {
        m_selectedFirstPrompt = true;
        nav->selectRow(0);
    }
    if (!viewsSettled())
        return;
    ResponsesPanel *responses = m_window.responsesPanel();
    if (responses->table()->currentIndex().row() != 0)
        responses->selectRow(0);
    m_capturing = true;
    // One more turn of the event loop lets pending layout requests (rows resized to their
    // wrapped text, the status bar) settle before the window is painted into the image.
    QTimer::singleShot(0, this, &ScreenshotRunner::capture);
}

void ScreenshotRunner::capture()
{
    QCoreApplication::sendPostedEvents();
    const QPixmap shot = m_window.grab();
    const QFileInfo target(m_outputPath);
    QDir().mkpath(target.absolutePath());
    if (shot.isNull() || !shot.save(target.absoluteFilePath(), "PNG")) {
        fail(QStringLiteral("cannot write %1").arg(target.absoluteFilePath()));
        return;
    }
    m_done = true;
    m_timeout.stop();
    std::fprintf(stdout, "screenshot: %s (%dx%d)\n", qPrintable(target.absoluteFilePath()),
                 shot.width(), shot.height());
    std::fflush(stdout);
    Q_EMIT finished(0);
}

void ScreenshotRunner::fail(const QString &message)
{
    if (m_done)
        return;
    m_done = true;
    m_timeout.stop();
    std::fprintf(stderr, "screenshot failed: %s\n", qPrintable(message));
    qCWarning(lcUi) << "screenshot failed:" << message;
    Q_EMIT finished(1);
}

} // namespace rs::ui

#include "project/projectsession.h"

#include "common/asynctask.h"
#include "project/demoproject.h"
#include "project/projectedits.h"
#include "store/projectstore.h"
#include "common/uilogging.h"

#include <QFileInfo>

namespace rs::ui {

ProjectSession::ProjectSession(QObject *parent)
    : QObject(parent)
    , m_edits(std::make_unique<ProjectEdits>(*this))
{
}

ProjectSession::~ProjectSession() = default;

QString ProjectSession::path() const
{
    return m_store ? m_store->path() : QString();
}

bool ProjectSession::refuseWhileBusy(const QString &path)
{
    if (!isBusy())
        return false;
    Q_EMIT openFailed(path,
                      m_opening ? tr("Another project is being opened.")
                                : tr("Wait for the running import or judge run to finish."),
                      false);
    return true;
}

void ProjectSession::openProject(const QString &path)
{
    start(path, Mode::Open);
}

void ProjectSession::createProject(const QString &path)
{
    start(path, Mode::Create);
}

void ProjectSession::start(const QString &path, Mode mode)
{
    if (refuseWhileBusy(path))
        return;
    m_opening = true;
    const QString absolute = QFileInfo(path).absoluteFilePath();
    struct Outcome {
        Expected<std::unique_ptr<store::ProjectStore>> store;
        bool missing = false;
    };
    runAsync(
        this, QThreadPool::globalInstance(),
        [absolute, mode] {
            if (mode == Mode::Create)
                return Outcome{store::ProjectStore::create(absolute)};
            auto opened = store::ProjectStore::open(absolute);
            // Asked here, on the worker, so the GUI thread never stats the file itself.
            const bool missing = !opened && !QFileInfo::exists(absolute);
            return Outcome{std::move(opened), missing};
        },
        [this, absolute](Outcome outcome) {
            m_opening = false;
            auto &store = outcome.store;
            if (!store) {
                qCWarning(lcUi) << "cannot open" << absolute << store.error().toString();
                Q_EMIT openFailed(absolute, store.error().message, outcome.missing);
                return;
            }
            if (m_store) {
                m_store.reset();
                Q_EMIT projectClosed();
            }
            m_store = std::move(store.value());
            qCInfo(lcUi) << "opened" << absolute;
            Q_EMIT projectOpened(absolute);
        });
}

void ProjectSession::openDemoProject(const QString &path)
{
    if (refuseWhileBusy(path))
        return;
    // Whether the file exists, and which content version built it, are disk questions: the
    // worker answers them too.
    m_opening = true;
    Q_EMIT statusMessage(tr("Preparing the demo project…"));
    runAsync(
        this, QThreadPool::globalInstance(),
        [path]() -> Expected<bool> { return DemoProject::ensure(path); },
        [this, path](Expected<bool> built) {
            m_opening = false;
            if (!built) {
                Q_EMIT openFailed(
                    path, tr("Cannot build the demo project: %1").arg(built.error().toString()),
                    false);
                return;
            }
            if (built.value())
                Q_EMIT statusMessage(tr("Built the demo project"));
            openProject(path);
        });
}

void ProjectSession::beginJob()
{
    ++m_jobs;
}

void ProjectSession::endJob()
{
    Q_ASSERT(m_jobs > 0);
    m_jobs = qMax(0, m_jobs - 1);
}

void ProjectSession::notifyChanged()
{
    if (m_store)
        Q_EMIT projectChanged();
}

} // namespace rs::ui

#include "packs/packcontroller.h"

#include "common/asynctask.h"
#include "pack/packimporter.h"
#include "pack/verdictexport.h"
#include "packs/packexportdialog.h"
#include "project/projectsession.h"
#include "store/database.h"
#include "store/projectstore.h"

#include <QAction>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QThreadPool>

namespace rs::ui {

PackController::PackController(ProjectSession &session, QWidget *window, std::function<qint64()> selectedPrompt)
    : QObject(window), m_session(session), m_window(window), m_selectedPrompt(std::move(selectedPrompt))
{
    connect(&m_session, &ProjectSession::projectOpened, this, &PackController::updateActions);
    connect(&m_session, &ProjectSession::projectClosed, this, &PackController::updateActions);
    connect(this, &PackController::importFinished, this, [this](bool ok, const QString &message) {
        if (!ok)
            QMessageBox::warning(m_window, tr("Import Rubric Pack"), message);
        else
            Q_EMIT m_session.statusMessage(message);
    });
    connect(this, &PackController::verdictsExported, this, [this](bool ok, const QString &message) {
        if (!ok)
            QMessageBox::warning(m_window, tr("Export Verdicts"), message);
        else
            Q_EMIT m_session.statusMessage(message);
    });
}

void PackController::addActions(QMenu *menu)
{
    m_export = menu->addAction(tr("Export Rubric &Pack…"), this, [this] {
        auto *dialog = new PackExportDialog(m_session.path(), m_selectedPrompt ? m_selectedPrompt() : 0, m_window);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->open();
    });
    m_import = menu->addAction(tr("Import Rubric Pac&k…"), this, [this] {
        const QString file = QFileDialog::getOpenFileName(
            m_window, tr("Import Rubric Pack"), QFileInfo(m_session.path()).path(),
            tr("Rubric packs (manifest.json *.jsonl *.json);;All files (*)"));
        if (file.isEmpty())
            return;
        // A pack folder is chosen by its manifest.
        importPack(QFileInfo(file).fileName() == QLatin1String("manifest.json") ? QFileInfo(file).path() : file);
    });
    m_verdicts = menu->addAction(tr("Export &Verdicts…"), this, [this] {
        const QString file = QFileDialog::getSaveFileName(
            m_window, tr("Export Verdicts"),
            QFileInfo(m_session.path()).path() + QStringLiteral("/verdicts.csv"),
            tr("CSV, one row per response and criterion (*.csv);;JSONL, one line per response (*.jsonl)"));
        if (!file.isEmpty())
            exportVerdicts(file);
    });
    updateActions();
}

void PackController::updateActions()
{
    for (QAction *a : {m_export, m_import, m_verdicts})
        if (a)
            a->setEnabled(m_session.isOpen());
}

void PackController::importPack(const QString &path)
{
    store::ProjectStore *store = m_session.store();
    if (!store || m_session.isBusy()) {
        Q_EMIT importFinished(false, tr("Open a project first, and wait for running jobs to finish."));
        return;
    }
    // The job holds the session's store: the session does not switch projects until endJob.
    m_session.beginJob();
    Q_EMIT m_session.statusMessage(tr("Importing rubric pack %1…").arg(QFileInfo(path).fileName()));
    runAsync(
        this, QThreadPool::globalInstance(), [store, path]() { return pack::importPack(*store, path); },
        [this](Expected<pack::PackImportResult> result) {
            m_session.endJob();
            if (!result) {
                Q_EMIT importFinished(false, result.error().toString());
                return;
            }
            m_session.notifyChanged();
            Q_EMIT importFinished(true, tr("Imported %1 %2 rubrics: %3 new rubric versions, %4 unchanged%5")
                                            .arg(result->records)
                                            .arg(pack::formatName(result->format))
                                            .arg(result->rubricVersionsAdded)
                                            .arg(result->unchanged)
                                            .arg(result->hashMismatches.isEmpty()
                                                     ? QString()
                                                     : tr("; %1 records differ from their hash")
                                                           .arg(result->hashMismatches.size())));
        });
}

void PackController::exportVerdicts(const QString &file)
{
    if (!m_session.isOpen())
        return;
    pack::VerdictExportOptions options;
    options.out = file;
    options.csv = !file.endsWith(QLatin1String(".jsonl"), Qt::CaseInsensitive);
    runDbQuery<pack::VerdictExportResult>(
        this, m_session.path(), [options](store::Database &db) { return pack::exportVerdicts(db, options); },
        [this, file](Expected<pack::VerdictExportResult> result) {
            if (!result)
                Q_EMIT verdictsExported(false, result.error().toString());
            else
                Q_EMIT verdictsExported(true, tr("Exported %1 rows of judge run %2 to %3")
                                                  .arg(result->rows)
                                                  .arg(result->runId)
                                                  .arg(file));
        });
}

} // namespace rs::ui

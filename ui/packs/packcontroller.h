#pragma once

#include "pack/packtypes.h"

#include <QObject>

#include <functional>

class QAction;
class QMenu;
class QWidget;

namespace rs::ui {

class ProjectSession;

/// The File menu's rubric pack actions: Export Rubric Pack… (the PackExportDialog), Import
/// Rubric Pack… (a pack folder's manifest or a pack file, imported on a worker) and Export
/// Verdicts… (CSV or JSONL of the latest judge run, written on a worker).
class PackController final : public QObject {
    Q_OBJECT

public:
    /// `selectedPrompt` tells which prompt the navigator shows (0: none).
    PackController(ProjectSession &session, QWidget *window, std::function<qint64()> selectedPrompt);

    void addActions(QMenu *menu);

    /// Imports a pack folder or file on a worker; the result arrives as importFinished.
    void importPack(const QString &path);
    /// Writes the latest run's verdicts to `file` (.csv or .jsonl) on a worker.
    void exportVerdicts(const QString &file);

Q_SIGNALS:
    void importFinished(bool ok, const QString &message);
    void verdictsExported(bool ok, const QString &message);

private:
    void updateActions();

    ProjectSession &m_session;
    QWidget *m_window;
    std::function<qint64()> m_selectedPrompt;
    QAction *m_export = nullptr;
    QAction *m_import = nullptr;
    QAction *m_verdicts = nullptr;
};

} // namespace rs::ui

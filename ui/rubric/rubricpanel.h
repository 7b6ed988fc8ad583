#pragma once

#include "authoring/prunerewriterunner.h"
#include "rubric/criterionstats.h"
#include "rubric/rubricversions.h"

#include <QHash>
#include <QWidget>

class QAction;
class QLabel;
class QTabWidget;
class QTableView;
class QToolBar;
class QUndoStack;

namespace rs::ui {

class AggregationPane;
class CriteriaEditModel;
class DeadCriteriaPane;
class ProjectEdits;
class RubricDraft;
class RubricTableModel;
class VersionHistoryPane;

/// The Rubric tab: the rubric editor. The selected prompt's current version is loaded into a
/// draft (one per prompt, kept while you look at other prompts) that you edit in place: text,
/// weight or points, category, tags, add, delete, reorder, duplicate, split. Every edit is an
/// undoable command on the draft's own undo stack; "Accept" saves the draft as a new version
/// (origin "manual") through the project's write queue, off the GUI thread. On the right, the
/// version history with restore and tags, and a diff between any two versions; beside it the
/// aggregation preview and the project's dead criteria with prune and rewrite.
class RubricPanel final : public QWidget {
    Q_OBJECT

public:
    explicit RubricPanel(QWidget *parent = nullptr);

    void setProject(const QString &path);
    void setPrompt(qint64 promptId);
    void reload();
    /// Where Accept, Restore and Tag send their writes (the open project's queue).
    void setEdits(ProjectEdits *edits);

    /// The stored current version (what the summary describes).
    RubricTableModel *model() const { return m_model; }
    CriteriaEditModel *editModel() const { return m_editModel; }
    QTableView *table() const { return m_table; }
    QLabel *summary() const { return m_summary; }
    VersionHistoryPane *history() const { return m_history; }
    /// The side pane's Aggregation tab: what each aggregation would do, and "Use".
    AggregationPane *aggregation() const { return m_aggregation; }
    /// The side tabs: History, Aggregation, Dead criteria.
    QTabWidget *sideTabs() const { return m_side; }
    DeadCriteriaPane *deadCriteria() const { return m_dead; }
    /// The draft of the prompt shown, or nullptr before a rubric (or its absence) has loaded.
    RubricDraft *draft() const;
    /// The shown draft's undo stack (for the Edit menu), or nullptr.
    QUndoStack *undoStack() const;
    /// Saves the draft as a new version; no-op when it has no edits.
    void accept();
    /// Drops the draft's edits and goes back to the current version.
    void discard();

    /// "weights · 7 criteria · total weight 14 · version 1 of 1 (import)" and the like.
    static QString summaryText(const RubricTableModel &model);

Q_SIGNALS:
    void rubricLoaded(qint64 promptId);
    /// The draft shown changed (another prompt): the Edit menu follows its undo stack.
    void undoStackChanged(QUndoStack *stack);
    /// History and stats for the prompt arrived.
    void historyLoaded(qint64 promptId);
    /// Accept stored a new version.
    void versionSaved(qint64 versionId);
    void message(const QString &text);
    /// The dead-criteria list asks to open a prompt, or for a proposer rewrite job; a prune
    /// stored versions of many prompts.
    void promptActivated(qint64 promptId);
    void pruneRewriteRequested(const rs::authoring::PruneRewriteConfig &config);
    void rubricsChanged();

private:
    struct Side {
        QList<rubric::VersionInfo> versions;
        rubric::RubricStats stats;
    };
    void buildActions(QToolBar *bar);
    void onLoaded(qint64 promptId);
    void loadHistory();
    void updateState();
    void updatePendingDiff();
    int currentRow() const;
    void selectRow(int row);
    void splitCurrent();
    void submit(const QString &what, std::function<Expected<void>(store::ProjectStore &)> write);

    QString m_path;
    RubricTableModel *m_model = nullptr;
    CriteriaEditModel *m_editModel = nullptr;
    QLabel *m_summary = nullptr;
    QLabel *m_draftState = nullptr;
    QTableView *m_table = nullptr;
    VersionHistoryPane *m_history = nullptr;
    AggregationPane *m_aggregation = nullptr;
    QTabWidget *m_side = nullptr;
    DeadCriteriaPane *m_dead = nullptr;
    ProjectEdits *m_edits = nullptr;
    QHash<qint64, RubricDraft *> m_drafts;
    RubricDraft *m_current = nullptr;
    QList<CriterionRecord> m_headCriteria;
    quint64 m_historyGeneration = 0;
    bool m_saving = false;

    QAction *m_add = nullptr;
    QAction *m_duplicate = nullptr;
    QAction *m_delete = nullptr;
    QAction *m_up = nullptr;
    QAction *m_down = nullptr;
    QAction *m_split = nullptr;
    QAction *m_accept = nullptr;
    QAction *m_discard = nullptr;
};

} // namespace rs::ui

#pragma once

#include "authoring/prunerewriterunner.h"
#include "rubric/deadcriteria.h"

#include <QWidget>

class QCheckBox;
class QLabel;
class QPushButton;
class QSortFilterProxyModel;
class QSpinBox;
class QTableView;

namespace rs::ui {

class DeadCriteriaModel;
class ProjectEdits;

/// "Dead criteria": every criterion, project-wide, that all of its prompt's top responses pass
/// or all fail (rubric::deadCriteria, read on the query pool while the pane is shown), with the
/// texts dead in many prompts. "Prune selected" saves versions without the selected criteria
/// through the project's write queue; "Rewrite selected…" asks for a proposer job (the
/// authoring dialog, then the Jobs dock). Double-click opens the prompt.
class DeadCriteriaPane final : public QWidget {
    Q_OBJECT

public:
    explicit DeadCriteriaPane(QWidget *parent = nullptr);

    void setProject(const QString &path);
    void setEdits(ProjectEdits *edits);
    /// Reads the list again now if shown, else when next shown.
    void reload();

    DeadCriteriaModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    QLabel *summary() const { return m_summary; }
    QSpinBox *topSpin() const { return m_top; }
    QCheckBox *topTierBox() const { return m_topTier; }
    QPushButton *pruneButton() const { return m_prune; }
    QPushButton *rewriteButton() const { return m_rewrite; }
    /// The selected rows' criteria, in list order.
    QList<rubric::DeadCriterion> selectedCriteria() const;
    void pruneSelected();
    void rewriteSelected();
    bool isLoading() const { return m_loading; }

Q_SIGNALS:
    /// A read finished (the model shows it, or the summary shows the error).
    void loaded();
    /// Prune stored new versions: the other views should read the project again.
    void rubricsChanged();
    /// The proposer should rewrite these (providers are the dialog's to choose).
    void rewriteRequested(const rs::authoring::PruneRewriteConfig &config);
    void promptActivated(qint64 promptId);
    void message(const QString &text);

protected:
    void showEvent(QShowEvent *event) override;

private:
    rubric::DeadCriteriaOptions options() const;
    void load();
    void showReport();
    void updateButtons();

    QString m_path;
    ProjectEdits *m_edits = nullptr;
    quint64 m_generation = 0;
    bool m_loading = false;
    bool m_dirty = true;
    DeadCriteriaModel *m_model = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
    QTableView *m_view = nullptr;
    QLabel *m_summary = nullptr;
    QSpinBox *m_top = nullptr;
    QCheckBox *m_topTier = nullptr;
    QSpinBox *m_minPrompts = nullptr;
    QPushButton *m_prune = nullptr;
    QPushButton *m_rewrite = nullptr;
};

} // namespace rs::ui

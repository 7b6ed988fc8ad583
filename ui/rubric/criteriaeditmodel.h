#pragma once

#include "rubric/criterionstats.h"
#include "rubric/lint.h"

#include <QAbstractTableModel>
#include <QPointer>

namespace rs::ui {

class RubricDraft;

/// The rubric editor's table: a draft's criteria with their lint warnings and, once judged,
/// yes-rate by tier and the dead flag. Editing a cell does not change the model directly: it
/// asks the draft for an undoable edit, and the model follows the draft's changes.
class CriteriaEditModel final : public QAbstractTableModel {
    Q_OBJECT

public:
    // The first three columns are where the read-only rubric table had them.
    enum Column {
        IdColumn,
        CriterionColumn,
        WeightColumn,
        CategoryColumn,
        TagsColumn,
        CheckColumn, ///< "judge", or the check that decides the criterion (editable shorthand)
        VetoColumn,  ///< a check box: failing it caps the reward
        LintColumn,
        YesRateColumn,
        DeadColumn,
        GoldColumn, ///< how often it reproduces the prompt's gold preferences
        ColumnCount
    };

    explicit CriteriaEditModel(QObject *parent = nullptr);

    /// Shows `draft` (not owned; null empties the model).
    void setDraft(RubricDraft *draft);
    RubricDraft *draft() const { return m_draft; }
    /// Stats of the prompt's current version; shown for criteria whose text is the judged one.
    void setStats(const rubric::RubricStats &stats);
    const QList<rubric::LintIssue> &lintIssues() const { return m_lint; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    /// "great 100% · base 40%" for a criterion row, empty when it has no judged verdicts.
    QString yesRateText(int row) const;

private:
    void onDraftChanged(bool structural);
    void relint();
    const rubric::CriterionStats *statsFor(int row) const;
    QStringList lintFor(int row, bool reasons) const;

    QPointer<RubricDraft> m_draft;
    QMetaObject::Connection m_connection;
    rubric::RubricStats m_stats;
    QList<rubric::LintIssue> m_lint;
    int m_rows = 0;
};

} // namespace rs::ui

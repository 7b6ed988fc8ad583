#pragma once

#include "rubric/deadcriteria.h"

#include <QAbstractTableModel>

#include <vector>

namespace rs::ui {

/// The project's dead criteria (rubric::deadCriteria): one row per criterion of a prompt's
/// current rubric that all the prompt's top responses pass, or all fail. SortRole holds raw
/// values for the proxy; PromptIdRole and CriterionIdRole identify the row.
class DeadCriteriaModel final : public QAbstractTableModel {
    Q_OBJECT

public:
    /// Few columns: the list shares the Rubric tab with the editor. Dead shows the way and
    /// "judged/top"; the weight is in the criterion's tooltip.
    enum Column { Prompt, Id, Dead, Prompts, Criterion, ColumnCount };

    explicit DeadCriteriaModel(QObject *parent = nullptr);

    void setReport(rubric::DeadCriteriaReport report);
    const rubric::DeadCriteriaReport &report() const { return m_report; }
    const rubric::DeadCriterion &at(int row) const { return m_report.dead[std::size_t(row)]; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    rubric::DeadCriteriaReport m_report;
};

} // namespace rs::ui

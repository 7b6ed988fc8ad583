#pragma once

#include "authoring/rtdrunner.h"
#include "rubric/rubricdiff.h"

#include <QAbstractTableModel>

namespace rs::ui {

/// A proposed RTD rewrite as a diff against the rubric it started from, one row per change
/// (added, removed, rewritten, re-weighted, split, merged; unchanged rows are shown but not
/// checkable). Each change is accepted or rejected on its own; acceptedCriteria() builds the
/// version to save: accepted rows take the new side, rejected rows keep the old one. A saved
/// round's change is shown the same way, read-only.
class RtdProposalModel final : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { AcceptColumn, ChangeColumn, BeforeColumn, AfterColumn, ColumnCount };

    explicit RtdProposalModel(QObject *parent = nullptr);

    void setProposal(const QList<CriterionRecord> &previous, const QList<rubric::CriterionDraft> &proposed);
    /// Shows the change a saved round made (its previous version against its own), with
    /// nothing left to accept or reject.
    void setSavedRound(const QList<CriterionRecord> &previous, const QList<CriterionRecord> &saved);
    /// Whether the rows are a saved round's change rather than a proposal to review.
    bool isSavedRound() const { return m_saved; }
    void clear();
    bool isEmpty() const { return m_diff.entries.isEmpty(); }
    const rubric::RubricDiff &diff() const { return m_diff; }

    void setAllAccepted(bool accepted);
    int acceptedChanges() const;
    int changes() const;
    /// The criteria of the version to save, in the proposal's order.
    QList<rubric::CriterionDraft> acceptedCriteria() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QString sideText(const QList<int> &indices, bool from) const;

    rubric::RubricDiff m_diff;
    QList<rubric::CriterionDraft> m_proposed;
    QList<bool> m_accepted;
    bool m_saved = false;
};

} // namespace rs::ui

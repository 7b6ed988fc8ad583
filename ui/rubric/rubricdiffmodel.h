#pragma once

#include "rubric/rubricdiff.h"

#include <QAbstractTableModel>
#include <QColor>

namespace rs::ui {

/// The diff between two rubric versions, one row per change, colour-coded by its class:
/// green added, red removed, amber rewritten, blue re-weighted, purple split/merged.
class RubricDiffModel final : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { ChangeColumn, OldColumn, NewColumn, ColumnCount };

    /// Translucent tints, so the text keeps its palette colour in light and dark themes.
    static QColor kindColour(rubric::DiffKind kind);

    explicit RubricDiffModel(QObject *parent = nullptr);

    void setDiff(const rubric::RubricDiff &diff, const QString &fromLabel, const QString &toLabel);
    void clear();
    const rubric::RubricDiff &diff() const { return m_diff; }
    /// Unchanged rows are hidden by default: a diff is about what changed.
    void setShowUnchanged(bool show);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    void rebuildRows();
    QString side(const QList<int> &indices, const QList<CriterionRecord> &criteria) const;

    rubric::RubricDiff m_diff;
    QList<int> m_rows; ///< entries shown
    QString m_fromLabel;
    QString m_toLabel;
    bool m_showUnchanged = false;
};

} // namespace rs::ui

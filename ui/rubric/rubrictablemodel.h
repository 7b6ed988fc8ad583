#pragma once

#include "domain/records.h"

#include <QAbstractTableModel>

#include <optional>

namespace rs::ui {

/// The current version of a prompt's rubric, read-only: id, criterion, weight (or points),
/// category, tags. Negative points (penalties, HealthBench-style) are marked in colour and
/// text so they cannot be read as rewards.
class RubricTableModel final : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column {
        IdColumn,
        CriterionColumn,
        WeightColumn,
        CategoryColumn,
        TagsColumn,
        ColumnCount
    };

    explicit RubricTableModel(QObject *parent = nullptr);

    void setProject(const QString &path);
    /// Loads the rubric of `promptId` (0 empties the model).
    void setPrompt(qint64 promptId);
    void reload();

    qint64 promptId() const { return m_promptId; }
    qint64 loadedPromptId() const { return m_loadedPromptId; }
    bool isLoading() const { return m_loading; }

    bool hasRubric() const { return m_rubric.has_value(); }
    /// The loaded rubric; only valid while hasRubric().
    const RubricRecord &rubric() const { return *m_rubric; }
    bool usesPoints() const;
    /// Sum of the positive weights: the most a response can score.
    double maxScore() const;
    int penaltyCount() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void loaded(qint64 promptId);
    void errorOccurred(const QString &message);

private:
    QString m_path;
    std::optional<RubricRecord> m_rubric;
    qint64 m_promptId = 0;
    qint64 m_loadedPromptId = 0;
    quint64 m_generation = 0;
    bool m_loading = false;
};

} // namespace rs::ui

#pragma once

#include "authoring/rtdrounds.h"

#include <QAbstractTableModel>
#include <QHash>

namespace rs::ui {

/// The RTD panel's round history of one prompt: per round the pair that drove it (generators),
/// their scores, ties at the top, the pool size and the version it made.
class RtdRoundModel final : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { RoundColumn, PairColumn, ScoresColumn, TiesColumn, PoolColumn, VersionColumn, ColumnCount };

    explicit RtdRoundModel(QObject *parent = nullptr);

    /// `generators` names the responses of the rounds (id → generator); `versionNumbers` gives
    /// each version of the prompt's rubric its number as the Rubric tab shows it (v1, v2, ...).
    void setRounds(const QList<authoring::RtdRound> &rounds,
                   const QHash<qint64, QString> &generators,
                   const QHash<qint64, int> &versionNumbers = {});
    /// "v3": the number of `versionId` in its rubric's history ("#id" when unknown).
    QString versionText(qint64 versionId) const;
    const authoring::RtdRound &round(int row) const { return m_rounds.at(row); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<authoring::RtdRound> m_rounds;
    QHash<qint64, QString> m_generators;
    QHash<qint64, int> m_versionNumbers;
};

} // namespace rs::ui

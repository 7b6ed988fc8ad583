#pragma once

#include <QAbstractListModel>
#include <QList>

namespace rs::ui {

class VerdictGridModel;

/// The responses of the current prompt as a checklist for the Compare view: up to four can be
/// checked, in the order they were checked (checking a fifth drops the oldest). Follows the
/// grid model: a new prompt clears the choice, a reload of the same prompt keeps it.
class ResponseChoiceModel final : public QAbstractListModel {
    Q_OBJECT

public:
    static constexpr int kMaxChosen = 4;

    explicit ResponseChoiceModel(VerdictGridModel *grid, QObject *parent = nullptr);

    /// The checked responses, oldest choice first.
    QList<qint64> chosen() const { return m_chosen; }
    /// Checks exactly `responseIds` (those of the current prompt, at most kMaxChosen).
    void setChosen(const QList<qint64> &responseIds);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

Q_SIGNALS:
    void chosenChanged();

private:
    void onGridReset();
    void emitAllChanged();

    VerdictGridModel *m_grid = nullptr;
    QList<qint64> m_chosen;
    qint64 m_promptId = 0;
};

} // namespace rs::ui

#pragma once

#include "domain/records.h"

#include <QAbstractTableModel>
#include <QList>

namespace rs::ui {

/// The responses to one prompt: generator, tier, length and a one-line preview.
///
/// Loaded on a worker when the prompt changes; SortRole gives each column a sort key that
/// orders sensibly (tiers best first, lengths as numbers), for a QSortFilterProxyModel.
class ResponseTableModel final : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { GeneratorColumn, TierColumn, LengthColumn, PreviewColumn, ColumnCount };

    explicit ResponseTableModel(QObject *parent = nullptr);

    void setProject(const QString &path);
    /// Loads the responses of `promptId` (0 empties the model).
    void setPrompt(qint64 promptId);
    /// Re-reads the current prompt's responses.
    void reload();

    qint64 promptId() const { return m_promptId; }
    /// The prompt whose responses are in the model now; differs from promptId() while loading.
    qint64 loadedPromptId() const { return m_loadedPromptId; }
    bool isLoading() const { return m_loading; }

    const ResponseRecord &record(int row) const { return m_rows.at(row); }
    int rowOfResponse(qint64 responseId) const;

    /// Orders tiers best first: excellent, great, good, ok, base, bad; unknown tiers after
    /// those, and responses without a tier last.
    static int tierRank(const QString &tier);
    /// The first words of a response on one line, Markdown markers and all.
    static QString previewText(const QString &text);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    /// The responses of loadedPromptId() are in the model (also after an error: then none).
    void loaded(qint64 promptId);
    void errorOccurred(const QString &message);

private:
    QString m_path;
    QList<ResponseRecord> m_rows;
    qint64 m_promptId = 0;
    qint64 m_loadedPromptId = 0;
    quint64 m_generation = 0;
    bool m_loading = false;
};

} // namespace rs::ui

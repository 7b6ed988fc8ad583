#pragma once

#include "domain/records.h"

#include <QAbstractListModel>
#include <QList>
#include <QString>

namespace rs::ui {

/// The project's prompts, filtered by text, fetched lazily a page at a time.
///
/// Every query runs on a worker with its own ProjectReader; rows arrive through
/// beginInsertRows/endInsertRows when the page is ready, so the GUI thread never waits on the
/// disk. A view asks for more with canFetchMore/fetchMore as the user scrolls; a page is only
/// requested while no other is in flight, which keeps pages in order.
class PromptListModel final : public QAbstractListModel {
    Q_OBJECT

public:
    static constexpr int kDefaultPageSize = 200;

    explicit PromptListModel(QObject *parent = nullptr);

    /// Shows the prompts of the project at `path`; an empty path empties the model.
    void setProject(const QString &path);
    QString projectPath() const { return m_path; }

    /// Keeps prompts whose text contains `filter` (case-insensitive); re-queries the store.
    void setFilter(const QString &filter);
    QString filter() const { return m_filter; }

    /// Re-reads from the first page, keeping the filter (after an import, say).
    void refresh();

    void setPageSize(int rows);
    int pageSize() const { return m_pageSize; }

    /// Prompts matching the filter in the project (not only those fetched so far).
    qint64 matchCount() const { return m_total; }
    /// True until the first page of the current query has arrived.
    bool isLoading() const { return m_loading; }
    /// Row of a fetched prompt, -1 when it is not (yet) in the model.
    int rowOfPrompt(qint64 promptId) const;
    qint64 promptIdAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

    /// "#12 How do I…": the id and the first non-empty line of the prompt.
    static QString titleFor(const PromptSummary &prompt);
    /// "16 resp · 7 criteria · v3" (or "· no rubric").
    static QString countsFor(const PromptSummary &prompt);

Q_SIGNALS:
    /// A page of rows (possibly empty) has been added for the current query.
    void pageLoaded();
    void errorOccurred(const QString &message);

private:
    void reload();
    void requestPage(bool withCount);

    QString m_path;
    QString m_filter;
    QList<PromptSummary> m_rows;
    qint64 m_total = 0;
    int m_pageSize = kDefaultPageSize;
    // Bumped on every reset so results of queries that were overtaken are dropped.
    quint64 m_generation = 0;
    bool m_fetching = false;
    bool m_loading = false;
};

} // namespace rs::ui

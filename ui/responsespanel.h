#pragma once

#include "domain/records.h"

#include <QWidget>

class QLabel;
class QSortFilterProxyModel;
class QSplitter;
class QTableView;

namespace rs::ui {

class MarkdownView;
class ResponseTableModel;

/// The Responses tab: the prompt, its responses in a sortable table, and a reader pane that
/// renders the selected response as Markdown.
class ResponsesPanel final : public QWidget {
    Q_OBJECT

public:
    explicit ResponsesPanel(QWidget *parent = nullptr);

    void setProject(const QString &path);
    void setPrompt(qint64 promptId);
    /// Re-reads the prompt and its responses, keeping the selected response.
    void reload();

    qint64 promptId() const;
    /// The prompt whose text and responses are fully shown (both queries arrived).
    bool isSettled() const;
    qint64 currentResponseId() const { return m_currentResponseId; }
    void selectRow(int proxyRow);

    ResponseTableModel *model() const { return m_model; }
    QSortFilterProxyModel *proxy() const { return m_proxy; }
    QTableView *table() const { return m_table; }
    MarkdownView *promptView() const { return m_promptView; }
    MarkdownView *reader() const { return m_reader; }

    QByteArray saveLayout() const;
    void restoreLayout(const QByteArray &state);

Q_SIGNALS:
    /// The responses of `promptId` are listed (and the first one selected when there is one).
    void responsesLoaded(qint64 promptId, int count);
    /// The reader shows another response; an id of 0 means none.
    void currentResponseChanged(const rs::ResponseRecord &record);
    /// The prompt's text is shown above the table.
    void promptTextLoaded(qint64 promptId);

private:
    void loadPromptText();
    void onResponsesLoaded(qint64 promptId);
    void onCurrentRowChanged(const QModelIndex &current);
    void showResponse(const ResponseRecord &record);

    QString m_path;
    ResponseTableModel *m_model = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
    QSplitter *m_splitter = nullptr;
    QLabel *m_promptCaption = nullptr;
    MarkdownView *m_promptView = nullptr;
    QTableView *m_table = nullptr;
    QLabel *m_readerCaption = nullptr;
    MarkdownView *m_reader = nullptr;
    qint64 m_currentResponseId = 0;
    qint64 m_promptTextId = 0; ///< the prompt whose text is shown
    quint64 m_promptGeneration = 0;
};

} // namespace rs::ui

#pragma once

#include "domain/records.h"
#include "verdicts/overridecommand.h"

#include <QWidget>

class QAction;
class QComboBox;
class QLabel;
class QPushButton;
class QSortFilterProxyModel;
class QSplitter;
class QTableView;

namespace rs::ui {

class MarkdownView;
class PYesLegend;
class ProjectEdits;
class VerdictEditor;
class VerdictGridModel;
struct VerdictFocus;

/// The Responses tab: the prompt, its responses ranked by reward under the chosen judge run
/// with a responses × criteria verdict heatmap, and a reader pane that renders the selected
/// response as Markdown.
///
/// Selecting a verdict cell focuses the inspector on it; Y, N and Delete override it (through
/// the VerdictEditor, so the inspector's note goes with the key); arrow keys walk the grid.
/// Several selected rows can go to the Compare tab.
class ResponsesPanel final : public QWidget {
    Q_OBJECT

public:
    explicit ResponsesPanel(QWidget *parent = nullptr);

    void setProject(const QString &path);
    void setPrompt(qint64 promptId);
    /// Re-reads the runs, the prompt and its grid, keeping the selected response.
    void reload();
    /// Overrides and other edits go to `edits`; the grid re-reads after each write.
    void setEdits(ProjectEdits *edits);

    qint64 promptId() const;
    /// The prompt whose text and grid are fully shown (both queries arrived).
    bool isSettled() const;
    qint64 currentResponseId() const { return m_currentResponseId; }
    void selectRow(int proxyRow);
    /// Makes the cell of `responseId` × criterion `criterion` current (row when -1).
    bool selectCell(qint64 responseId, int criterion);
    /// The responses of the selected rows, in table order.
    QList<qint64> selectedResponseIds() const;

    VerdictGridModel *model() const { return m_model; }
    QSortFilterProxyModel *proxy() const { return m_proxy; }
    QTableView *table() const { return m_table; }
    QComboBox *runSelector() const { return m_runs; }
    QLabel *gridSummary() const { return m_summary; }
    /// The key of the P(yes) shading; visible while the grid has soft verdicts.
    PYesLegend *pYesLegend() const { return m_legend; }
    QAction *overrideAction(OverrideChoice choice) const;
    QAction *compareAction() const { return m_compareAction; }
    VerdictEditor *verdictEditor() const { return m_editor; }
    MarkdownView *promptView() const { return m_promptView; }
    MarkdownView *reader() const { return m_reader; }

    QByteArray saveLayout() const;
    void restoreLayout(const QByteArray &state);

Q_SIGNALS:
    /// The grid of `promptId` is shown (and a row selected when there is one).
    void responsesLoaded(qint64 promptId, int count);
    /// The reader shows another response; an id of 0 means none.
    void currentResponseChanged(const rs::ResponseRecord &record);
    /// The prompt's text is shown above the table.
    void promptTextLoaded(qint64 promptId);
    /// The user asked to compare these responses (2–4, table order).
    void compareRequested(const QList<qint64> &responseIds);
    /// Something worth a status-bar line.
    void message(const QString &text);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QWidget *createGridPane();
    void createActions();
    void configureColumns();
    void loadPromptText();
    void fillRunSelector();
    void onGridLoaded(qint64 promptId);
    void onCurrentChanged(const QModelIndex &current);
    void updateFocus();
    VerdictFocus focusAt(const QModelIndex &proxyIndex) const;
    void updateSummary();
    void updateActions();
    void showResponse(const ResponseRecord &record);

    QString m_path;
    VerdictGridModel *m_model = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
    VerdictEditor *m_editor = nullptr;
    QSplitter *m_splitter = nullptr;
    QLabel *m_promptCaption = nullptr;
    MarkdownView *m_promptView = nullptr;
    QComboBox *m_runs = nullptr;
    QLabel *m_summary = nullptr;
    PYesLegend *m_legend = nullptr;
    QPushButton *m_compareButton = nullptr;
    QTableView *m_table = nullptr;
    QAction *m_yesAction = nullptr;
    QAction *m_noAction = nullptr;
    QAction *m_clearAction = nullptr;
    QAction *m_compareAction = nullptr;
    QLabel *m_readerCaption = nullptr;
    MarkdownView *m_reader = nullptr;
    qint64 m_currentResponseId = 0;
    qint64 m_promptTextId = 0; ///< the prompt whose text is shown
    quint64 m_promptGeneration = 0;
};

} // namespace rs::ui

#pragma once

#include <QList>
#include <QWidget>

class QLabel;
class QListView;
class QSplitter;
class QStackedWidget;
class QTableView;

namespace rs::ui {

class CompareVerdictModel;
class MarkdownView;
class PairDiffPane;
class ProjectEdits;
class ResponseChoiceModel;
class ScrollSync;
class VerdictGridModel;

/// The Compare tab: 2–4 responses of the current prompt side by side, rendered as Markdown
/// (nothing remote is loaded) with proportionally synchronised scrolling; under them the
/// verdicts and rationales criterion by criterion with each response's reward, and a pair of
/// them as a word-level diff with the buttons that record a gold preference.
///
/// It reads the Responses tab's grid model, so both always show the same prompt and run.
class ComparePanel final : public QWidget {
    Q_OBJECT

public:
    static constexpr int kMaxColumns = 4;

    explicit ComparePanel(VerdictGridModel *grid, QWidget *parent = nullptr);

    void setEdits(ProjectEdits *edits);
    /// Compares these responses of the current prompt (table order; at most four).
    void setChosen(const QList<qint64> &responseIds);
    QList<qint64> chosen() const;

    ResponseChoiceModel *choiceModel() const { return m_choices; }
    QListView *choiceView() const { return m_choiceView; }
    /// The readers in use, left to right.
    QList<MarkdownView *> readers() const;
    CompareVerdictModel *verdictModel() const { return m_verdicts; }
    QTableView *verdictTable() const { return m_verdictTable; }
    PairDiffPane *diffPane() const { return m_diff; }
    ScrollSync *scrollSync() const { return m_sync; }

Q_SIGNALS:
    /// The readers, the verdict table and the pair show the current choice.
    void comparisonShown();
    /// The user picked the verdict of `responseId` on criterion `criterion` in the table.
    void verdictSelected(qint64 responseId, int criterion);

private:
    void refresh();

    VerdictGridModel *m_grid = nullptr;
    ResponseChoiceModel *m_choices = nullptr;
    CompareVerdictModel *m_verdicts = nullptr;
    ScrollSync *m_sync = nullptr;
    QListView *m_choiceView = nullptr;
    QStackedWidget *m_pages = nullptr;
    QLabel *m_hint = nullptr;
    QSplitter *m_splitter = nullptr;
    QList<QWidget *> m_columns;
    QList<QLabel *> m_captions;
    QList<MarkdownView *> m_readers;
    QList<qint64> m_shownIds; ///< the response in each reader
    QTableView *m_verdictTable = nullptr;
    PairDiffPane *m_diff = nullptr;
};

} // namespace rs::ui

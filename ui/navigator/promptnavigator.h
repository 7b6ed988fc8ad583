#pragma once

#include <QTimer>
#include <QWidget>

class QLabel;
class QLineEdit;
class QListView;

namespace rs::ui {

class PromptListModel;

/// The prompt navigator: a filter box and the lazily-filled list of prompts with their counts.
///
/// Typing re-queries the store after a short pause rather than per keystroke, so typing a word
/// into a 5,000-prompt project costs one query. The current prompt survives refreshes and
/// filter changes whenever it is still listed.
class PromptNavigator final : public QWidget {
    Q_OBJECT

public:
    static constexpr int kFilterDelayMs = 250;

    explicit PromptNavigator(QWidget *parent = nullptr);

    void setProject(const QString &path);
    /// Re-reads the list (after an import), keeping the filter and the current prompt.
    void refresh();

    PromptListModel *model() const { return m_model; }
    QListView *view() const { return m_view; }
    QLineEdit *filterEdit() const { return m_filter; }

    qint64 currentPromptId() const { return m_currentId; }
    void selectRow(int row);

Q_SIGNALS:
    /// The user (or the automatic first selection) picked a prompt.
    void promptSelected(qint64 promptId);
    /// A page of prompts arrived; the list and the count line are up to date.
    void promptsLoaded();

private:
    void onPageLoaded();
    void onCurrentChanged(const QModelIndex &current);
    void updateCountLine();

    PromptListModel *m_model = nullptr;
    QLineEdit *m_filter = nullptr;
    QListView *m_view = nullptr;
    QLabel *m_countLine = nullptr;
    QTimer m_filterDelay;
    qint64 m_currentId = 0;
};

} // namespace rs::ui

#pragma once

#include <QWidget>

class QLabel;
class QTableView;

namespace rs::ui {

class RubricTableModel;

/// The Rubric tab: the selected prompt's rubric, read-only, with a header that says how it
/// scores (weights or points), how many versions it has and where the current one came from.
class RubricPanel final : public QWidget {
    Q_OBJECT

public:
    explicit RubricPanel(QWidget *parent = nullptr);

    void setProject(const QString &path);
    void setPrompt(qint64 promptId);
    void reload();

    RubricTableModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    QLabel *summary() const { return m_summary; }

    /// "weights · 7 criteria · total weight 14 · version 1 of 1 (import)" and the like.
    static QString summaryText(const RubricTableModel &model);

Q_SIGNALS:
    void rubricLoaded(qint64 promptId);

private:
    void onLoaded(qint64 promptId);

    RubricTableModel *m_model = nullptr;
    QLabel *m_summary = nullptr;
    QTableView *m_table = nullptr;
};

} // namespace rs::ui

#pragma once

#include <QLabel>

namespace rs::ui {

/// The status bar's account of the open project: its path and what is in it (prompts,
/// responses, generators, rubrics, criteria), counted on a worker.
class ProjectStatusLabel final : public QLabel {
    Q_OBJECT

public:
    explicit ProjectStatusLabel(QWidget *parent = nullptr);

    /// Counts the project at `path` again; an empty path shows that nothing is open.
    void refresh(const QString &path);

Q_SIGNALS:
    void refreshed();

private:
    quint64 m_generation = 0;
};

} // namespace rs::ui

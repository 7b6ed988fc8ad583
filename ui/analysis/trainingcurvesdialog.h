#pragma once

#include "analytics/trainingcurves.h"
#include "common/error.h"

#include <QDialog>
#include <QStringList>

class QLabel;
class QPushButton;
class QTableView;

namespace rs::ui {

class MetricTableModel;
class ProjectSession;

/// Analysis › Import Training Curves…: RL training curves (step → win rate, mean rubric
/// reward, per rubric arm) from CSV files into the project, the GUI face of `import-curves`,
/// for the over-optimisation chart.
///
/// Choosing files parses them on a worker and previews each arm (points, steps, peak win
/// rate), or shows the first problem as FILE:LINE: reason; Import is possible only when every
/// file parsed. Importing replaces arms of the same name, on a worker with the project held
/// busy, and then announces the change so the Analysis tab recomputes.
class TrainingCurvesDialog final : public QDialog {
    Q_OBJECT

public:
    explicit TrainingCurvesDialog(ProjectSession &session, QWidget *parent = nullptr);

    /// Parses `files` for the preview (asynchronously; previewed() or the error label follows).
    void setFiles(const QStringList &files);
    QStringList files() const { return m_files; }
    /// Stores the previewed curves on a worker; false when that cannot start now.
    bool startImport();

    QLabel *problemLabel() const { return m_problem; }
    QLabel *resultLabel() const { return m_result; }
    QTableView *previewView() const { return m_preview; }
    MetricTableModel *previewModel() const { return m_model; }
    QPushButton *importButton() const { return m_import; }

Q_SIGNALS:
    /// The files were parsed: the preview shows their arms, or problemLabel() why not.
    void previewed(bool ok);
    /// Points stored, over all files.
    void imported(qint64 points);
    void failed(const QString &message);

private:
    void chooseFiles();
    void showPreview(const Expected<std::vector<analytics::TrainingCurve>> &curves);
    void updateButtons();

    ProjectSession &m_session;
    QStringList m_files;
    QLabel *m_fileLabel = nullptr;
    QLabel *m_problem = nullptr;
    QLabel *m_result = nullptr;
    QTableView *m_preview = nullptr;
    MetricTableModel *m_model = nullptr;
    QPushButton *m_import = nullptr;
    quint64 m_generation = 0;
    bool m_parsed = false;
    bool m_busy = false;
};

} // namespace rs::ui

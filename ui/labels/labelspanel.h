#pragma once

#include "labels/labelqueue.h"

#include <QThreadPool>
#include <QWidget>

class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableView;
class QTextBrowser;

namespace rs::store {
class ProjectStore;
}

namespace rs::ui {

class LabelQueueModel;

/// The Labels tab: blind labelling for judge calibration. A stratified sample of judged cells
/// (verdict x tier) is queued in the project; each is shown with its prompt, response and
/// criterion, the judge's verdict hidden until the human answers Y / N / S(kip); Backspace goes
/// back and takes the last answer away. Labels are stored per annotator as they are given, so
/// closing the studio loses nothing and labelling resumes where it stopped. Agreement with the
/// judge so far (kappa over this annotator's labels) is shown live; the full analysis with
/// intervals is in the Analysis tab and `metrics`.
class LabelsPanel final : public QWidget {
    Q_OBJECT

public:
    explicit LabelsPanel(QWidget *parent = nullptr);

    /// The open project (nullptr: none). The store writes labels; reads use their own
    /// connections on the query pool.
    void setProject(store::ProjectStore *store, const QString &path);
    void reload();

    LabelQueueModel *model() const { return m_model; }
    QString annotator() const;
    /// The row shown for labelling, -1 when the queue is done or empty.
    int currentRow() const { return m_row; }
    /// Answers the current cell (what Y, N and S do).
    void answer(labels::LabelValue value);
    /// Goes back one cell and removes its answer (what Backspace does).
    void back();
    /// Replaces the queue with a new stratified sample of `n` cells.
    void newSample(int n, quint64 seed);
    /// Few-shot from corrections: attaches cells where the labels overrule the judge to their
    /// criteria as examples for the judge prompt (labels/corrections).
    void attachCorrections();

Q_SIGNALS:
    /// The queue was read (or re-read) and is shown.
    void loaded();
    /// A label was stored (or removed) by the project's writer.
    void labelStored();

private:
    void showRow(int row);
    void updateSummary();
    void setBusy(bool busy, const QString &text);

    store::ProjectStore *m_store = nullptr;
    QString m_path;
    quint64 m_generation = 0;
    int m_row = -1;
    std::vector<int> m_history; ///< rows answered in this session, for Backspace
    QString m_shownAnnotator;   ///< whose labels the queue shows
    /// Labels on their way to the writer: a read finishing meanwhile may predate them, so it is
    /// dropped and done again once they are stored.
    int m_pendingWrites = 0;
    /// One thread, so labels reach the writer in the order given (a Backspace never overtakes
    /// the answer it takes back).
    QThreadPool m_writes;
    bool m_reloadAfterWrites = false;
    void written(const Expected<void> &result);
    LabelQueueModel *m_model = nullptr;
    QLineEdit *m_annotator = nullptr;
    QSpinBox *m_size = nullptr;
    QSpinBox *m_seed = nullptr;
    QPushButton *m_sample = nullptr;
    QPushButton *m_attach = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_criterion = nullptr;
    QLabel *m_reveal = nullptr;
    QLabel *m_agreement = nullptr;
    QTextBrowser *m_prompt = nullptr;
    QTextBrowser *m_response = nullptr;
    QTableView *m_queue = nullptr;
    QList<QPushButton *> m_answerButtons;
};

} // namespace rs::ui

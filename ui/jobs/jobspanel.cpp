#include "jobs/jobspanel.h"

#include "jobs/joblistmodel.h"
#include "judge/judgejob.h"
#include "jobs/progressdelegate.h"
#include "common/uitext.h"

#include <QDialog>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QStackedWidget>
#include <QStyle>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

namespace rs::ui {
namespace {

QToolButton *toolButton(QWidget *parent, const QString &text, QStyle::StandardPixmap icon,
                        const QString &tip) {
    auto *button = new QToolButton(parent);
    button->setText(text);
    button->setIcon(parent->style()->standardIcon(icon));
    button->setToolTip(tip);
    button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    button->setAutoRaise(true);
    button->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    return button;
}

} // namespace

JobsPanel::JobsPanel(JobListModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model) {
    m_view = new QTreeView(this);
    m_view->setObjectName(QStringLiteral("jobsView"));
    m_view->setModel(model);
    m_view->setRootIsDecorated(false);
    m_view->setUniformRowHeights(true);
    m_view->setAlternatingRowColors(true);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setItemDelegateForColumn(JobListModel::ProgressColumn, new ProgressDelegate(m_view));
    QHeaderView *header = m_view->header();
    header->setStretchLastSection(true);
    header->setSectionResizeMode(JobListModel::NameColumn, QHeaderView::Interactive);
    header->resizeSection(JobListModel::NameColumn, 300);
    header->resizeSection(JobListModel::ProgressColumn, 260);
    header->resizeSection(JobListModel::CountColumn, 120);
    header->resizeSection(JobListModel::EtaColumn, 100);
    header->resizeSection(JobListModel::TokensColumn, 90);
    header->resizeSection(JobListModel::CostColumn, 80);

    auto *empty = new QLabel(tr("No jobs yet. Judge › Run Judge… (Ctrl+J) starts a judge run; "
                                "it shows here with its progress, cost and ETA."),
                             this);
    empty->setAlignment(Qt::AlignCenter);
    empty->setWordWrap(true);
    empty->setEnabled(false); // greyed: a hint, not content
    m_pages = new QStackedWidget(this);
    m_pages->addWidget(empty);
    m_pages->addWidget(m_view);

    m_pause = toolButton(this, tr("Pause"), QStyle::SP_MediaPause,
                         tr("Hold back calls not sent yet; those in flight complete"));
    m_cancel = toolButton(this, tr("Cancel"), QStyle::SP_BrowserStop,
                          tr("Stop the job; verdicts stored so far are kept and running the "
                             "judge again with the same settings resumes it"));
    m_failures = toolButton(this, tr("Failures…"), QStyle::SP_MessageBoxWarning,
                            tr("The first calls that failed, and why"));
    m_clear = toolButton(this, tr("Clear Finished"), QStyle::SP_DialogResetButton,
                         tr("Remove finished jobs from this list (their verdicts stay)"));
    auto *buttons = new QVBoxLayout;
    buttons->setSpacing(0);
    for (QToolButton *b : {m_pause, m_cancel, m_failures, m_clear})
        buttons->addWidget(b);
    buttons->addStretch(1);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addWidget(m_pages, 1);
    layout->addLayout(buttons);

    connect(m_pause, &QToolButton::clicked, this, &JobsPanel::togglePause);
    connect(m_cancel, &QToolButton::clicked, this, [this] {
        if (JudgeJob *job = currentJob())
            job->cancel();
    });
    connect(m_failures, &QToolButton::clicked, this, [this] { showFailures(currentJob()); });
    connect(m_clear, &QToolButton::clicked, this, &JobsPanel::clearFinishedRequested);
    connect(m_view, &QTreeView::doubleClicked, this,
            [this](const QModelIndex &index) { showFailures(m_model->jobAt(index.row())); });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &JobsPanel::updateButtons);
    connect(model, &JobListModel::jobStateChanged, this, &JobsPanel::updateButtons);
    connect(model, &QAbstractItemModel::rowsInserted, this, &JobsPanel::updateButtons);
    connect(model, &QAbstractItemModel::rowsRemoved, this, &JobsPanel::updateButtons);
    connect(model, &QAbstractItemModel::modelReset, this, &JobsPanel::updateButtons);
    updateButtons();
}

JudgeJob *JobsPanel::currentJob() const {
    const QModelIndex current = m_view->selectionModel()->currentIndex();
    return current.isValid() ? m_model->jobAt(current.row()) : nullptr;
}

void JobsPanel::selectJob(JudgeJob *job) {
    const int row = m_model->rowOf(job);
    if (row < 0)
        return;
    m_view->setCurrentIndex(m_model->index(row, 0));
    m_view->scrollTo(m_model->index(row, 0));
}

void JobsPanel::togglePause() {
    JudgeJob *job = currentJob();
    if (job && job->canPause())
        job->setPaused(job->state() != JudgeJob::State::Paused);
}

void JobsPanel::updateButtons() {
    m_pages->setCurrentIndex(m_model->rowCount() > 0 ? 1 : 0);
    JudgeJob *job = currentJob();
    const bool paused = job && job->state() == JudgeJob::State::Paused;
    m_pause->setText(paused ? tr("Resume") : tr("Pause"));
    m_pause->setIcon(style()->standardIcon(paused ? QStyle::SP_MediaPlay : QStyle::SP_MediaPause));
    m_pause->setEnabled(job && job->canPause());
    m_cancel->setEnabled(job && job->isActive() && job->state() != JudgeJob::State::Cancelling);
    m_failures->setEnabled(job && !job->failures().isEmpty());
    m_clear->setEnabled(m_model->rowCount() > m_model->activeCount());
}

void JobsPanel::showFailures(JudgeJob *job) {
    if (!job || job->failures().isEmpty())
        return;
    auto *dialog = new QDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Failures · %1").arg(job->name()));
    QString intro;
    if (job->state() == JudgeJob::State::Failed) {
        intro = tr("The job could not run:");
    } else {
        const judge::JudgeRunSummary &s = job->summary();
        intro = tr("%1 of %2 failed. They are stored as failed verdicts with the raw answer, "
                   "and asked again the next time you run the judge with the same settings.")
                    .arg(countText(s.failedCalls, tr("call"), tr("calls")))
                    .arg(QLocale().toString(s.callsDone));
        if (s.failedCalls > s.failures.size())
            intro += QLatin1Char(' ') + tr("The first %1 are listed.").arg(s.failures.size());
    }
    auto *label = new QLabel(intro, dialog);
    label->setWordWrap(true);
    auto *text = new QPlainTextEdit(dialog);
    text->setReadOnly(true);
    text->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    text->setPlainText(job->failures().join(QLatin1Char('\n')));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::close);
    auto *layout = new QVBoxLayout(dialog);
    layout->addWidget(label);
    layout->addWidget(text, 1);
    layout->addWidget(buttons);
    dialog->resize(720, 360);
    dialog->show();
}

} // namespace rs::ui

#include "analysis/trainingcurvesdialog.h"

#include "analysis/metrictablemodel.h"
#include "common/asynctask.h"
#include "common/theme.h"
#include "project/projectsession.h"
#include "store/projectstore.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPointer>
#include <QPushButton>
#include <QSettings>
#include <QTableView>
#include <QVBoxLayout>

namespace rs::ui {
namespace {

const QString kFolderKey = QStringLiteral("trainingCurves/folder");

/// Every file's curves, or the first file's problem (FILE:LINE: reason).
Expected<std::vector<analytics::TrainingCurve>> parseAll(const QStringList &files)
{
    std::vector<analytics::TrainingCurve> all;
    for (const QString &file : files) {
        auto curves = analytics::parseTrainingCurves(file);
        if (!curves)
            return curves.error();
        for (analytics::TrainingCurve &c : curves.value())
            all.push_back(std::move(c));
    }
    return all;
}

MetricTable previewTable(const std::vector<analytics::TrainingCurve> &curves)
{
    MetricTable t;
    t.headers = {QObject::tr("arm"),
                 QObject::tr("file"),
                 QObject::tr("points"),
                 QObject::tr("steps"),
                 QObject::tr("peak win rate"),
                 QObject::tr("at step"),
                 QObject::tr("last rubric reward")};
    for (const analytics::TrainingCurve &c : curves) {
        const auto &pts = c.points;
        const QString steps =
            pts.empty() ? QString()
                        : QStringLiteral("%1 – %2").arg(pts.front().step).arg(pts.back().step);
        QVariant peak, peakStep, lastReward;
        if (c.peakIndex >= 0) {
            peak = *pts[size_t(c.peakIndex)].winRate;
            peakStep = pts[size_t(c.peakIndex)].step;
        }
        for (auto it = pts.rbegin(); it != pts.rend() && !lastReward.isValid(); ++it)
            if (it->rubricReward)
                lastReward = *it->rubricReward;
        t.rows.append({c.arm, QFileInfo(c.sourceFile).fileName(), qint64(pts.size()), steps, peak,
                       peakStep, lastReward});
    }
    return t;
}

} // namespace

TrainingCurvesDialog::TrainingCurvesDialog(ProjectSession &session, QWidget *parent)
    : QDialog(parent)
    , m_session(session)
    , m_model(new MetricTableModel(this))
{
    setWindowTitle(tr("Import Training Curves"));
    auto *intro = new QLabel(
        tr("CSV files of RL training runs: a header naming <b>step</b>, <b>win_rate</b> and "
           "<b>rubric_reward</b>, and optionally <b>arm</b> (the rubric variant; without it "
           "the file name is the arm). Win rates in percent are read as shares. An arm that "
           "is already in the project is replaced."),
        this);
    intro->setWordWrap(true);
    m_fileLabel = new QLabel(tr("No file chosen."), this);
    m_fileLabel->setWordWrap(true);
    auto *choose = new QPushButton(tr("&Choose Files…"), this);
    connect(choose, &QPushButton::clicked, this, &TrainingCurvesDialog::chooseFiles);
    auto *fileRow = new QHBoxLayout;
    fileRow->addWidget(m_fileLabel, 1);
    fileRow->addWidget(choose);

    m_problem = new QLabel(this);
    m_problem->setWordWrap(true);
    m_problem->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_problem->hide();
    m_preview = new QTableView(this);
    m_preview->setModel(m_model);
    m_preview->verticalHeader()->hide();
    m_preview->horizontalHeader()->setStretchLastSection(true);
    m_preview->setAlternatingRowColors(true);
    m_result = new QLabel(this);
    m_result->setWordWrap(true);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_import = buttons->addButton(tr("&Import"), QDialogButtonBox::ActionRole);
    m_import->setDefault(true);
    connect(m_import, &QPushButton::clicked, this, &TrainingCurvesDialog::startImport);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(fileRow);
    layout->addWidget(m_problem);
    layout->addWidget(m_preview, 1);
    layout->addWidget(m_result);
    layout->addWidget(buttons);
    updateButtons();
    resize(720, 420);
}

void TrainingCurvesDialog::chooseFiles()
{
    const QStringList files = QFileDialog::getOpenFileNames(
        this, tr("Training Curves"), QSettings().value(kFolderKey).toString(),
        tr("CSV files (*.csv);;All files (*)"));
    if (files.isEmpty())
        return;
    QSettings().setValue(kFolderKey, QFileInfo(files.first()).absolutePath());
    setFiles(files);
}

void TrainingCurvesDialog::setFiles(const QStringList &files)
{
    m_files = files;
    m_parsed = false;
    m_result->clear();
    QStringList names;
    for (const QString &f : files)
        names << QDir::toNativeSeparators(f);
    m_fileLabel->setText(files.isEmpty() ? tr("No file chosen.")
                                         : names.join(QStringLiteral("; ")));
    updateButtons();
    const quint64 generation = ++m_generation;
    // Parsing reads the files: a worker's job, even for a few kilobytes on a slow disk.
    runAsync(
        this, queryPool(), [files] { return parseAll(files); },
        [this, generation](Expected<std::vector<analytics::TrainingCurve>> curves) {
            if (generation == m_generation)
                showPreview(curves);
        });
}

void TrainingCurvesDialog::showPreview(
    const Expected<std::vector<analytics::TrainingCurve>> &curves)
{
    m_parsed = curves.ok() && !curves->empty();
    if (!curves) {
        m_model->setTable({});
        m_problem->setText(
            tr("<b>Cannot read the curves:</b> %1").arg(curves.error().toString().toHtmlEscaped()));
        m_problem->setStyleSheet(QStringLiteral("color: %1").arg(Theme::errorColour().name()));
        m_problem->show();
    } else if (curves->empty()) {
        m_model->setTable({});
        m_problem->setText(tr("The files hold no curve points."));
        m_problem->setStyleSheet(QString());
        m_problem->show();
    } else {
        m_problem->hide();
        m_model->setTable(previewTable(curves.value()));
        m_preview->resizeColumnsToContents();
    }
    updateButtons();
    Q_EMIT previewed(m_parsed);
}

bool TrainingCurvesDialog::startImport()
{
    if (!m_parsed || m_busy || !m_session.store() || m_session.isBusy())
        return false;
    store::ProjectStore *store = m_session.store();
    ProjectSession *session = &m_session;
    const QStringList files = m_files;
    session->beginJob();
    m_busy = true;
    m_result->setText(tr("Importing…"));
    updateButtons();
    QPointer<TrainingCurvesDialog> self(this);
    // The session is the context: its job bracket is closed even when the dialog has gone.
    runAsync(
        session, QThreadPool::globalInstance(),
        [store, files]() -> Expected<qint64> {
            qint64 points = 0;
            for (const QString &file : files) {
                auto n = analytics::importTrainingCurves(*store, file);
                if (!n)
                    return n.error();
                points += n.value();
            }
            return points;
        },
        [self, session](Expected<qint64> points) {
            session->endJob();
            session->notifyChanged(); // the over-optimisation chart reads the curves again
            if (!self)
                return;
            self->m_busy = false;
            if (!points) {
                self->m_result->setText(tr("<b>Could not import:</b> %1")
                                            .arg(points.error().toString().toHtmlEscaped()));
                self->updateButtons();
                Q_EMIT self->failed(points.error().toString());
                return;
            }
            self->m_result->setText(
                tr("Stored %n curve point(s). The over-optimisation chart shows them.", nullptr,
                   int(points.value())));
            self->updateButtons();
            Q_EMIT self->imported(points.value());
        });
    return true;
}

void TrainingCurvesDialog::updateButtons()
{
    m_import->setEnabled(m_parsed && !m_busy && m_session.isOpen());
}

} // namespace rs::ui

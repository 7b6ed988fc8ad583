#include "packs/packexportdialog.h"

#include "common/asynctask.h"
#include "pack/packexporter.h"
#include "packs/packpreviewmodel.h"
#include "common/roles.h"
#include "store/database.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QSplitter>
#include <QTableView>
#include <QThreadPool>
#include <QTimer>
#include <QVBoxLayout>

namespace rs::ui {
namespace {

constexpr int kPreviewRecords = 5;

} // namespace

PackExportDialog::PackExportDialog(const QString &projectPath, qint64 selectedPromptId, QWidget *parent)
    : QDialog(parent), m_projectPath(projectPath), m_selectedPromptId(selectedPromptId)
{
    setWindowTitle(tr("Export Rubric Pack"));
    m_format = new QComboBox(this);
    m_format->addItem(tr("Rubric Studio pack (lossless, with manifest and reward.py)"), int(pack::PackFormat::Native));
    m_format->addItem(tr("Paper dataset {prompt, rubrics: [{criterion, weight}]}"), int(pack::PackFormat::Paper));
    m_format->addItem(tr("HealthBench {prompt, rubrics: [{criterion, points, tags}]}"), int(pack::PackFormat::HealthBench));
    m_format->addItem(tr("RaR [{title, description, weight}]"), int(pack::PackFormat::Rar));
    m_version = new QComboBox(this);
    m_version->addItem(tr("Latest version of each rubric"), QString());
    m_allPrompts = new QRadioButton(tr("All prompts with a rubric"), this);
    m_selectedPrompt = new QRadioButton(selectedPromptId ? tr("The selected prompt (#%1)").arg(selectedPromptId)
                                                         : tr("The selected prompt (none selected)"),
                                        this);
    m_selectedPrompt->setEnabled(selectedPromptId != 0);
    m_allPrompts->setChecked(true);
    auto *prompts = new QHBoxLayout;
    prompts->addWidget(m_allPrompts);
    prompts->addWidget(m_selectedPrompt);
    prompts->addStretch();

    m_out = new QLineEdit(this);
    m_out->setPlaceholderText(tr("Folder to write rubrics.jsonl and manifest.json into"));
    const QFileInfo project(projectPath);
    m_out->setText(project.dir().filePath(project.completeBaseName() + QStringLiteral("-pack")));
    auto *browseButton = new QPushButton(tr("Browse…"), this);
    auto *out = new QHBoxLayout;
    out->addWidget(m_out, 1);
    out->addWidget(browseButton);

    m_losses = new QLabel(this);
    m_losses->setWordWrap(true);
    m_losses->setTextFormat(Qt::PlainText);

    auto *form = new QFormLayout;
    form->addRow(tr("&Format:"), m_format);
    form->addRow(tr("&Version:"), m_version);
    form->addRow(tr("Prompts:"), prompts);
    auto *outLabel = new QLabel(tr("&Output folder:"), this);
    outLabel->setBuddy(m_out);
    form->addRow(outLabel, out);
    form->addRow(tr("Not carried:"), m_losses);

    m_previewModel = new PackPreviewModel(this);
    m_preview = new QTableView(this);
    m_preview->setModel(m_previewModel);
    m_preview->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_preview->setSelectionMode(QAbstractItemView::SingleSelection);
    m_preview->horizontalHeader()->setSectionResizeMode(PackPreviewModel::PromptColumn, QHeaderView::Stretch);
    m_preview->horizontalHeader()->setSectionResizeMode(PackPreviewModel::CriteriaColumn, QHeaderView::ResizeToContents);
    m_preview->verticalHeader()->hide();
    m_preview->setWordWrap(false);
    m_record = new QPlainTextEdit(this);
    m_record->setReadOnly(true);
    m_record->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_record->setLineWrapMode(QPlainTextEdit::NoWrap);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_preview);
    split->addWidget(m_record);
    split->setStretchFactor(1, 2);

    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_progress = new QProgressBar(this);
    m_progress->hide();
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_export = buttons->addButton(tr("&Export"), QDialogButtonBox::AcceptRole);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(new QLabel(tr("Preview of the first records:"), this));
    layout->addWidget(split, 1);
    layout->addWidget(m_status);
    layout->addWidget(m_progress);
    layout->addWidget(buttons);
    resize(900, 680);

    m_previewTimer = new QTimer(this);
    m_previewTimer->setSingleShot(true);
    m_previewTimer->setInterval(150); // one query after a burst of changes
    m_progressTimer = new QTimer(this);
    m_progressTimer->setInterval(100);
    connect(m_previewTimer, &QTimer::timeout, this, &PackExportDialog::loadPreview);
    connect(m_progressTimer, &QTimer::timeout, this, &PackExportDialog::pollProgress);
    connect(m_format, &QComboBox::currentIndexChanged, this, [this] {
        updateLosses();
        schedulePreview();
    });
    connect(m_version, &QComboBox::currentIndexChanged, this, &PackExportDialog::schedulePreview);
    connect(m_allPrompts, &QRadioButton::toggled, this, &PackExportDialog::schedulePreview);
    connect(browseButton, &QPushButton::clicked, this, &PackExportDialog::browse);
    connect(m_export, &QPushButton::clicked, this, &PackExportDialog::startExport);
    connect(buttons, &QDialogButtonBox::rejected, this, [this] {
        if (m_exporting)
            m_job->cancel = true; // the worker stops at its next record; nothing half-written stays
        else
            reject();
    });
    connect(m_preview->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                m_record->setPlainText(current.data(PackRecordJsonRole).toString());
            });
    connect(m_previewModel, &QAbstractItemModel::modelReset, this, [this] {
        if (m_previewModel->rowCount() > 0)
            m_preview->selectRow(0);
        else
            m_record->clear();
    });

    updateLosses();
    loadTags();
    schedulePreview();
}

PackExportDialog::~PackExportDialog()
{
    if (m_job)
        m_job->cancel = true;
}

void PackExportDialog::setFormat(pack::PackFormat format)
{
    m_format->setCurrentIndex(m_format->findData(int(format)));
}

void PackExportDialog::setOutputDir(const QString &dir) { m_out->setText(dir); }

pack::PackFormat PackExportDialog::format() const { return pack::PackFormat(m_format->currentData().toInt()); }

pack::PackSelection PackExportDialog::selection() const
{
    pack::PackSelection s;
    s.tag = m_version->currentData().toString();
    if (m_selectedPrompt->isChecked() && m_selectedPromptId)
        s.promptIds = {m_selectedPromptId};
    return s;
}

void PackExportDialog::updateLosses()
{
    const QStringList losses = pack::formatLosses(format());
    m_losses->setText(losses.isEmpty() ? tr("nothing: the native pack round-trips exactly (same content hashes).")
                                       : QStringLiteral("• ") + losses.join(QStringLiteral("\n• ")));
}

void PackExportDialog::schedulePreview() { m_previewTimer->start(); }

void PackExportDialog::loadPreview()
{
    const int generation = ++m_previewGeneration;
    const pack::PackFormat fmt = format();
    const pack::PackSelection sel = selection();
    runDbQuery<QStringList>(
        this, m_projectPath,
        [fmt, sel](store::Database &db) { return pack::previewPack(db, fmt, sel, kPreviewRecords); },
        [this, generation](Expected<QStringList> records) {
            if (generation != m_previewGeneration)
                return; // a newer preview is on its way
            if (!records) {
                m_previewModel->clear();
                m_status->setText(records.error().toString());
            } else {
                m_previewModel->setRecords(records.value());
                if (!m_exporting)
                    m_status->setText(records->isEmpty() ? tr("No rubric matches this choice.") : QString());
            }
            Q_EMIT previewUpdated();
        });
}

void PackExportDialog::loadTags()
{
    runDbQuery<QStringList>(
        this, m_projectPath,
        [](store::Database &db) -> Expected<QStringList> {
            auto st = db.prepare("SELECT DISTINCT tag FROM rubric_versions WHERE coalesce(tag, '') != '' ORDER BY tag");
            if (!st)
                return st.error();
            QStringList tags;
            auto walked = st->forEach([&] { tags << st->columnText(0); });
            if (!walked)
                return walked.error();
            return tags;
        },
        [this](Expected<QStringList> tags) {
            if (!tags)
                return;
            for (const QString &t : tags.value())
                m_version->addItem(tr("Tagged \"%1\"").arg(t), t);
        });
}

void PackExportDialog::browse()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Export Rubric Pack To"), m_out->text());
    if (!dir.isEmpty())
        m_out->setText(dir);
}

void PackExportDialog::startExport()
{
    if (m_exporting)
        return;
    if (m_out->text().trimmed().isEmpty()) {
        m_status->setText(tr("Choose an output folder."));
        return;
    }
    pack::PackExportOptions options;
    options.format = format();
    options.selection = selection();
    options.outDir = m_out->text().trimmed();
    options.projectName = QFileInfo(m_projectPath).completeBaseName();
    options.toolVersion = QStringLiteral(RS_VERSION);
    m_job = std::make_shared<Progress>();
    m_exporting = true;
    m_export->setEnabled(false);
    m_progress->setRange(0, 0);
    m_progress->show();
    m_status->setText(tr("Exporting…"));
    m_progressTimer->start();
    const QString path = m_projectPath;
    auto job = m_job;
    runAsync(
        this, QThreadPool::globalInstance(),
        [path, options, job]() -> Expected<pack::PackExportResult> {
            auto db = store::Database::open(path, store::Database::Mode::ReadOnly);
            if (!db)
                return db.error();
            return pack::exportPack(db.value(), options, [job](qint64 done, qint64 total) {
                job->done = done;
                job->total = total;
                return !job->cancel.load();
            });
        },
        [this](Expected<pack::PackExportResult> result) { finishExport(result); });
}

void PackExportDialog::pollProgress()
{
    if (!m_job || m_job->total == 0)
        return;
    m_progress->setRange(0, int(m_job->total));
    m_progress->setValue(int(m_job->done));
}

void PackExportDialog::finishExport(const Expected<pack::PackExportResult> &result)
{
    m_progressTimer->stop();
    m_progress->hide();
    m_exporting = false;
    m_export->setEnabled(true);
    QString message;
    if (!result) {
        message = result.error().toString();
    } else {
        message = tr("Wrote %1 rubrics (%2 criteria) to %3: %4.")
                      .arg(result->rubrics)
                      .arg(result->criteria)
                      .arg(QDir::toNativeSeparators(result->dir), result->files.join(QStringLiteral(", ")));
        if (!result->skipped.isEmpty())
            message += tr(" %1 prompts skipped (no version with that tag).").arg(result->skipped.size());
    }
    m_status->setText(message);
    Q_EMIT exportFinished(result.ok(), message);
}

} // namespace rs::ui

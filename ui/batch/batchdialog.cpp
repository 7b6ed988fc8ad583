#include "batch/batchdialog.h"

#include "batch/batchjoblistmodel.h"
#include "common/asynctask.h"
#include "common/roles.h"
#include "common/theme.h"
#include "judge/judgesettings.h"
#include "judge/responsescopebox.h"
#include "llm/llmscheduler.h"
#include "llm/providerregistry.h"
#include "project/projectsession.h"
#include "providers/providerlistmodel.h"
#include "store/projectstore.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QStringListModel>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace rs::ui {
namespace {

// Typed settings, declared next to their use.
const QString kOutputKey = QStringLiteral("batches/outputFolder");
const QString kImportDirKey = QStringLiteral("batches/importFolder");

QString formatText(batch::BatchFormat format)
{
    return format == batch::BatchFormat::Anthropic
               ? QObject::tr(
                     "Anthropic Message Batches (JSONL, one {custom_id, params} per request)")
               : QObject::tr(
                     "OpenAI Batch API (JSONL, one {custom_id, method, url, body} per request)");
}

} // namespace

BatchDialog::BatchDialog(ProjectSession &session, ProviderListModel *providers, QWidget *parent)
    : QDialog(parent)
    , m_session(session)
    , m_providers(providers)
    , m_saved(JudgeSettings::load(*providers))
    , m_batches(new BatchJobListModel(this))
{
    setWindowTitle(tr("Provider Batches"));
    m_pages = new QTabWidget(this);
    m_pages->addTab(createExportPage(), tr("&Export"));
    m_pages->addTab(createImportPage(), tr("&Import"));
    m_pages->addTab(createStatusPage(), tr("&Status"));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_pages, 1);
    layout->addWidget(buttons);

    m_poll.setInterval(100);
    connect(&m_poll, &QTimer::timeout, this, &BatchDialog::pollProgress);
    connect(m_providers, &QAbstractItemModel::modelReset, this, &BatchDialog::updateButtons);
    m_batches->setProject(m_session.path());
    m_scope->load(m_session.path(), m_saved.tier);
    updateButtons();
    resize(820, 560);
}

BatchDialog::~BatchDialog()
{
    // A running import stops at its next progress report; the session keeps the project busy
    // until it has.
    if (m_importProgress)
        m_importProgress->cancel = true;
}

QWidget *BatchDialog::createExportPage()
{
    auto *page = new QWidget(this);
    auto *intro = new QLabel(
        tr("Write the calls a judge run still needs as batch input files, to submit to the "
           "provider's batch API (cheaper, answered within a day). Bring the output files "
           "back on the Import page. Settings start from Judge ▸ Run Judge, whose templates, "
           "temperatures and retries are used as they are, so the batch and a live run are "
           "the same run."),
        page);
    intro->setWordWrap(true);

    m_provider = new QComboBox(page);
    m_provider->setModel(m_providers);
    m_provider->setModelColumn(ProviderListModel::NameColumn);
    m_provider->setCurrentIndex(m_providers->rowOf(m_saved.provider.name) >= 0
                                    ? m_providers->rowOf(m_saved.provider.name)
                                    : (m_providers->rowCount() > 0 ? 0 : -1));
    m_format = new QLabel(page);
    m_format->setWordWrap(true);
    m_mode = new QComboBox(page);
    m_mode->addItem(tr("All criteria in one call (the paper)"), int(judge::JudgeMode::Joint));
    m_mode->addItem(tr("One call per criterion (HealthBench)"),
                    int(judge::JudgeMode::PerCriterion));
    m_mode->setCurrentIndex(qMax(0, m_mode->findData(int(m_saved.mode))));
    m_showWeights = new QCheckBox(tr("Show the criteria's weights to the judge"), page);
    m_showWeights->setChecked(m_saved.showWeights);
    m_gradings = new QSpinBox(page);
    m_gradings->setRange(1, 9);
    m_gradings->setValue(qBound(1, m_saved.gradings, 9));
    m_gradings->setToolTip(tr("Repeated gradings per criterion, decided by majority"));
    m_scope = new ResponseScopeBox(page);
    m_includeCached = new QCheckBox(tr("Include calls already answered in the cache"), page);
    m_includeCached->setToolTip(
        tr("Normally left out: they cost nothing to store with a live run"));

    m_output = new QLineEdit(page);
    const QString projectDir = QFileInfo(m_session.path()).absolutePath();
    m_output->setText(QSettings()
                          .value(kOutputKey, QDir(projectDir).filePath(QStringLiteral("batches")))
                          .toString());
    auto *browse = new QPushButton(tr("Choose…"), page);
    connect(browse, &QPushButton::clicked, this, &BatchDialog::chooseOutputFolder);
    auto *outputRow = new QHBoxLayout;
    outputRow->addWidget(m_output, 1);
    outputRow->addWidget(browse);

    m_export = new QPushButton(tr("&Write Batch Files"), page);
    m_export->setDefault(true);
    connect(m_export, &QPushButton::clicked, this, &BatchDialog::startExport);
    m_exportResult = new QLabel(page);
    m_exportResult->setWordWrap(true);
    m_exportResult->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *form = new QFormLayout;
    form->addRow(tr("&Provider:"), m_provider);
    form->addRow(tr("Format:"), m_format);
    form->addRow(tr("&Mode:"), m_mode);
    form->addRow(QString(), m_showWeights);
    form->addRow(tr("&Gradings:"), m_gradings);
    form->addRow(tr("&Responses:"), m_scope);
    form->addRow(QString(), m_includeCached);
    auto *outputLabel = new QLabel(tr("&Output folder:"), page);
    outputLabel->setBuddy(m_output);
    form->addRow(outputLabel, outputRow);
    auto *layout = new QVBoxLayout(page);
    layout->addWidget(intro);
    layout->addLayout(form);
    auto *run = new QHBoxLayout;
    run->addStretch(1);
    run->addWidget(m_export);
    layout->addLayout(run);
    layout->addWidget(m_exportResult);
    layout->addStretch(1);

    connect(m_provider, &QComboBox::currentIndexChanged, this, &BatchDialog::updateButtons);
    connect(m_output, &QLineEdit::textChanged, this, &BatchDialog::updateButtons);
    return page;
}

QWidget *BatchDialog::createImportPage()
{
    auto *page = new QWidget(this);
    auto *intro = new QLabel(
        tr("Import the output files the provider returned. Each answer is checked against the "
           "request that was sent, stored in the cache, and turned into verdicts of its judge "
           "run. A partial download imports what it has; export again to re-send the rest."),
        page);
    intro->setWordWrap(true);
    m_files = new QStringListModel(this);
    m_fileView = new QListView(page);
    m_fileView->setModel(m_files);
    m_fileView->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_fileView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    auto *add = new QPushButton(tr("&Add Files…"), page);
    auto *remove = new QPushButton(tr("&Remove"), page);
    connect(add, &QPushButton::clicked, this, &BatchDialog::addImportFiles);
    connect(remove, &QPushButton::clicked, this, [this] {
        QStringList files = m_files->stringList();
        QList<int> rows;
        for (const QModelIndex &i : m_fileView->selectionModel()->selectedRows())
            rows << i.row();
        std::sort(rows.rbegin(), rows.rend());
        for (int r : rows)
            files.removeAt(r);
        setImportFiles(files);
    });
    auto *fileButtons = new QVBoxLayout;
    fileButtons->addWidget(add);
    fileButtons->addWidget(remove);
    fileButtons->addStretch(1);
    auto *fileRow = new QHBoxLayout;
    fileRow->addWidget(m_fileView, 1);
    fileRow->addLayout(fileButtons);

    m_import = new QPushButton(tr("&Import"), page);
    connect(m_import, &QPushButton::clicked, this, &BatchDialog::startImport);
    m_cancel = new QPushButton(tr("Cancel"), page);
    connect(m_cancel, &QPushButton::clicked, this, &BatchDialog::cancelImport);
    m_progress = new QProgressBar(page);
    m_progress->setRange(0, 100);
    m_progress->setValue(0);
    m_progress->setTextVisible(true);
    auto *run = new QHBoxLayout;
    run->addWidget(m_progress, 1);
    run->addWidget(m_cancel);
    run->addWidget(m_import);
    m_importResult = new QLabel(page);
    m_importResult->setWordWrap(true);
    m_problems = new QPlainTextEdit(page);
    m_problems->setReadOnly(true);
    m_problems->setPlaceholderText(
        tr("Lines that could not be used are listed here, as FILE:LINE: reason."));

    auto *layout = new QVBoxLayout(page);
    layout->addWidget(intro);
    layout->addLayout(fileRow, 2);
    layout->addLayout(run);
    layout->addWidget(m_importResult);
    layout->addWidget(m_problems, 1);
    connect(m_files, &QAbstractItemModel::modelReset, this, &BatchDialog::updateButtons);
    return page;
}

QWidget *BatchDialog::createStatusPage()
{
    auto *page = new QWidget(this);
    auto *proxy = new QSortFilterProxyModel(this);
    proxy->setSourceModel(m_batches);
    proxy->setSortRole(SortRole);
    m_batchView = new QTableView(page);
    m_batchView->setModel(proxy);
    m_batchView->setSortingEnabled(true);
    m_batchView->sortByColumn(BatchJobListModel::BatchColumn, Qt::DescendingOrder); // newest first
    m_batchView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_batchView->setAlternatingRowColors(true);
    m_batchView->verticalHeader()->hide();
    m_batchView->horizontalHeader()->setStretchLastSection(true);
    auto *empty = new QLabel(tr("No batch written yet."), page);
    auto *refresh = new QPushButton(tr("Re&fresh"), page);
    connect(refresh, &QPushButton::clicked, m_batches, &BatchJobListModel::reload);
    connect(m_batches, &BatchJobListModel::loaded, this, [this, empty] {
        empty->setVisible(m_batches->rowCount() == 0);
        m_batchView->resizeColumnsToContents();
    });
    connect(m_batches, &BatchJobListModel::errorOccurred, empty, &QLabel::setText);
    auto *bar = new QHBoxLayout;
    bar->addWidget(empty, 1);
    bar->addWidget(refresh);
    auto *layout = new QVBoxLayout(page);
    layout->addWidget(m_batchView, 1);
    layout->addLayout(bar);
    return page;
}

void BatchDialog::showPage(Page page)
{
    m_pages->setCurrentIndex(int(page));
}

judge::JudgeConfig BatchDialog::config() const
{
    judge::JudgeConfig c = m_saved;
    c.provider = m_providers->provider(m_provider->currentIndex());
    const auto mode = judge::JudgeMode(m_mode->currentData().toInt());
    if (mode != c.mode) {
        // The saved templates were written for the other mode's answer format.
        c.systemTemplate.clear();
        c.userTemplate.clear();
    }
    c.mode = mode;
    c.showWeights = m_showWeights->isChecked();
    c.gradings = m_gradings->value();
    c.tier = m_scope->tier();
    return c;
}

std::optional<batch::BatchFormat> BatchDialog::format() const
{
    if (m_provider->currentIndex() < 0)
        return std::nullopt;
    return m_providers->provider(m_provider->currentIndex()).kind == llm::ProviderKind::Anthropic
               ? batch::BatchFormat::Anthropic
               : batch::BatchFormat::OpenAi;
}

void BatchDialog::setOutputFolder(const QString &dir)
{
    m_output->setText(dir);
}

void BatchDialog::chooseOutputFolder()
{
    const QString dir =
        QFileDialog::getExistingDirectory(this, tr("Folder for the Batch Files"), m_output->text());
    if (!dir.isEmpty())
        setOutputFolder(dir);
}

bool BatchDialog::startExport()
{
    const auto fmt = format();
    const QString out = m_output->text().trimmed();
    if (m_busy || !fmt || out.isEmpty() || !m_session.store() || m_session.isBusy())
        return false;
    QSettings().setValue(kOutputKey, out);
    const judge::JudgeConfig c = config();
    const bool includeCached = m_includeCached->isChecked();
    store::ProjectStore *store = m_session.store();
    ProjectSession *session = &m_session;
    session->beginJob();
    setBusy(true);
    m_exportResult->setText(tr("Writing…"));
    QPointer<BatchDialog> self(this);
    // The session is the context: its job bracket is closed even when the dialog has gone.
    runAsync(
        session, QThreadPool::globalInstance(),
        [store, c, fmt, out, includeCached]() -> Expected<batch::BatchExportResult> {
            if (!QDir().mkpath(out))
                return makeError(QObject::tr("cannot create the folder"), out);
            auto prices = llm::ProviderRegistry::loadPrices();
            if (!prices)
                return prices.error();
            // Only plans and renders requests: nothing is sent, no key is needed.
            llm::LlmScheduler scheduler(prices.value(), store);
            return batch::exportJudgeBatch(*store, scheduler, c, *fmt, out,
                                           batch::BatchLimits::forFormat(*fmt), includeCached);
        },
        [self, session](Expected<batch::BatchExportResult> result) {
            session->endJob();
            if (result && result->runId)
                session->notifyChanged(); // the run is listed from now on
            if (self)
                self->onExported(result);
        });
    return true;
}

void BatchDialog::onExported(const Expected<batch::BatchExportResult> &result)
{
    setBusy(false);
    m_batches->reload();
    if (!result) {
        m_exportResult->setText(tr("<b>Could not write the batch:</b> %1")
                                    .arg(result.error().toString().toHtmlEscaped()));
        Q_EMIT failed(result.error().toString());
        return;
    }
    const batch::BatchExportResult &r = result.value();
    const QLocale locale;
    if (r.requests == 0) {
        m_exportResult->setText(
            tr("Nothing to send for judge run %1: its %2 planned calls are answered in the cache "
               "already. Run the judge with these settings to store them as verdicts.")
                .arg(r.runId)
                .arg(locale.toString(r.cached)));
    } else {
        QStringList files;
        for (const QString &f : r.files)
            files << QDir::toNativeSeparators(f).toHtmlEscaped();
        m_exportResult->setText(
            tr("<b>Batch %1</b> for judge run %2: %3 requests in %4 file(s)%5. Submit them to the "
               "provider, then import its output files.<br>%6")
                .arg(r.batchId)
                .arg(r.runId)
                .arg(locale.toString(r.requests))
                .arg(r.files.size())
                .arg(r.cached
                         ? tr("; %1 answered in the cache, left out").arg(locale.toString(r.cached))
                         : QString())
                .arg(files.join(QStringLiteral("<br>"))));
    }
    Q_EMIT exported(r);
}

void BatchDialog::addImportFiles()
{
    const QStringList chosen =
        QFileDialog::getOpenFileNames(this, tr("Batch Output Files"),
                                      QSettings().value(kImportDirKey, m_output->text()).toString(),
                                      tr("Batch output (*.jsonl *.json);;All files (*)"));
    if (chosen.isEmpty())
        return;
    QSettings().setValue(kImportDirKey, QFileInfo(chosen.first()).absolutePath());
    QStringList files = m_files->stringList();
    for (const QString &f : chosen)
        if (!files.contains(f))
            files << f;
    setImportFiles(files);
}

void BatchDialog::setImportFiles(const QStringList &files)
{
    m_files->setStringList(files);
}

QStringList BatchDialog::importFiles() const
{
    return m_files->stringList();
}

bool BatchDialog::startImport()
{
    const QStringList files = importFiles();
    if (m_busy || files.isEmpty() || !m_session.store() || m_session.isBusy())
        return false;
    store::ProjectStore *store = m_session.store();
    ProjectSession *session = &m_session;
    auto progress = std::make_shared<Progress>();
    m_importProgress = progress;
    session->beginJob();
    setBusy(true);
    m_progress->setValue(0);
    m_problems->clear();
    m_importResult->setText(tr("Importing…"));
    m_poll.start();
    QPointer<BatchDialog> self(this);
    runAsync(
        session, QThreadPool::globalInstance(),
        [store, files, progress]() -> Expected<batch::BatchImportResult> {
            auto prices = llm::ProviderRegistry::loadPrices();
            if (!prices)
                return prices.error();
            // The runs are replayed from the cache only: nothing is sent, no key is needed.
            llm::LlmScheduler scheduler(prices.value(), store);
            return batch::importBatchOutputs(*store, scheduler, files,
                                             [progress](const judge::JudgeProgress &p) {
                                                 progress->done = p.callsDone;
                                                 progress->total = p.callsTotal;
                                                 return !progress->cancel.load();
                                             });
        },
        [self, session](Expected<batch::BatchImportResult> result) {
            session->endJob();
            session->notifyChanged(); // verdicts may have been stored even when it stopped early
            if (self)
                self->onImported(result);
        });
    return true;
}

void BatchDialog::cancelImport()
{
    if (m_importProgress)
        m_importProgress->cancel = true;
}

void BatchDialog::pollProgress()
{
    if (!m_importProgress)
        return;
    const qint64 total = m_importProgress->total;
    const qint64 done = m_importProgress->done;
    m_progress->setValue(total > 0 ? int(100 * done / total) : 0);
}

void BatchDialog::onImported(const Expected<batch::BatchImportResult> &result)
{
    m_poll.stop();
    const bool cancelled = m_importProgress && m_importProgress->cancel;
    m_importProgress.reset();
    setBusy(false);
    m_batches->reload();
    if (!result) {
        m_importResult->setText(
            tr("<b>Could not import:</b> %1").arg(result.error().toString().toHtmlEscaped()));
        Q_EMIT failed(result.error().toString());
        return;
    }
    const batch::BatchImportResult &r = result.value();
    m_progress->setValue(100);
    const QLocale locale;
    QString text = tr("Imported %1 answers (%2 failed, %3 unknown, %4 duplicate, %5 unreadable "
                      "lines); %6 verdicts "
                      "stored.")
                       .arg(locale.toString(r.answered))
                       .arg(locale.toString(r.failed))
                       .arg(r.unknown.size())
                       .arg(r.duplicates.size())
                       .arg(r.problems.size())
                       .arg(locale.toString(r.verdictsStored));
    if (r.remaining > 0)
        text +=
            QLatin1Char(' ') + tr("%1 requests are still unanswered: export again to re-send them.")
                                   .arg(locale.toString(r.remaining));
    if (cancelled)
        text += QLatin1Char(' ') +
                tr("Cancelled: the answers are in the cache, so running the judge with the "
                   "same settings stores the remaining verdicts at no cost.");
    m_importResult->setText(text);
    QStringList lines = r.problems;
    lines += r.unknown;
    lines += r.duplicates;
    for (const QString &f : r.failures)
        lines << tr("failed: %1").arg(f);
    m_problems->setPlainText(lines.join(QLatin1Char('\n')));
    Q_EMIT imported(r);
}

void BatchDialog::setBusy(bool busy)
{
    m_busy = busy;
    updateButtons();
}

void BatchDialog::updateButtons()
{
    const auto fmt = format();
    m_format->setText(fmt ? formatText(*fmt)
                          : tr("<i>No provider yet: add one in Judge ▸ Providers… (its kind "
                               "decides the format).</i>"));
    const bool open = m_session.isOpen();
    m_export->setEnabled(open && !m_busy && fmt && !m_output->text().trimmed().isEmpty());
    m_import->setEnabled(open && !m_busy && m_files->rowCount() > 0);
    m_cancel->setEnabled(m_busy && m_importProgress != nullptr);
}

} // namespace rs::ui

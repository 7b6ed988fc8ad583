#include "project/importdialog.h"

#include "common/asynctask.h"
#include "project/importjob.h"
#include "project/importpreviewmodel.h"
#include "project/projectsession.h"
#include "common/uitext.h"
#include "common/theme.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCompleter>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QStringListModel>
#include <QTableView>
#include <QVBoxLayout>

namespace rs::ui {
namespace {

constexpr int kPreviewDelayMs = 300;

QString formatDescription(import::Format format)
{
    switch (format) {
    case import::Format::Auto:
        return ImportDialog::tr("Auto-detect from the first record");
    case import::Format::AlpacaEval:
        return ImportDialog::tr("AlpacaEval outputs [{instruction, output, generator}]");
    case import::Format::Rollouts:
        return ImportDialog::tr("Rollouts [{id, prompt, responses: [{generator, response}]}]");
    case import::Format::Jsonl:
        return ImportDialog::tr("Generic JSON/JSONL (map fields below)");
    case import::Format::HealthBench:
        return ImportDialog::tr("HealthBench examples (conversation, rubric with points)");
    case import::Format::Rubrics:
        return ImportDialog::tr("Paper rubrics {prompt, rubrics: [{criterion, weight}]}");
    case import::Format::Pairwise:
        return ImportDialog::tr("Pairwise annotations {instruction, output_1, output_2, preference}");
    }
    return import::formatName(format);
}

QLineEdit *mapEdit(QWidget *parent, const QString &hint, QCompleter *completer)
{
    auto *edit = new QLineEdit(parent);
    edit->setPlaceholderText(hint);
    edit->setCompleter(completer);
    edit->setClearButtonEnabled(true);
    return edit;
}

QString summaryOf(const import::ImportResult &r)
{
    const auto n = [](qint64 v, const char *one, const char *many) {
        return countText(v, ImportDialog::tr(one), ImportDialog::tr(many));
    };
    QStringList formats;
    for (auto it = r.formats.begin(); it != r.formats.end(); ++it)
        formats << QStringLiteral("%1 (%2)").arg(QFileInfo(it.key()).fileName(),
                                                 import::formatName(it.value()));
    QString text = ImportDialog::tr("<b>Read %1</b> (%2) from %3.<br>")
                       .arg(n(r.records, "record", "records"), QLocale().formattedDataSize(r.bytes),
                            formats.join(QStringLiteral(", ")).toHtmlEscaped());
    QStringList added{n(r.promptsAdded, "new prompt", "new prompts"),
                      n(r.responsesAdded, "response", "responses")};
    if (r.rubricVersionsAdded > 0)
        added << ImportDialog::tr("%1 (%2 new, %3)")
                     .arg(n(r.rubricVersionsAdded, "rubric version", "rubric versions"),
                          QString::number(r.rubricsAdded),
                          n(r.criteriaAdded, "criterion", "criteria"));
    text += ImportDialog::tr("Added: ") + added.join(QStringLiteral(", ")) + QStringLiteral(".");
    QStringList notes;
    if (r.duplicates)
        notes << n(r.duplicates, "duplicate response stored once",
                   "duplicate responses stored once");
    if (r.emptyResponses)
        notes << n(r.emptyResponses, "empty response flagged", "empty responses flagged");
    if (r.skipped)
        notes << n(r.skipped, "bad record skipped", "bad records skipped");
    if (!notes.isEmpty())
        text += QStringLiteral("<br>") + notes.join(QStringLiteral(", ")) + QStringLiteral(".");
    return text;
}

} // namespace

ImportDialog::ImportDialog(ProjectSession &session, QWidget *parent)
    : QDialog(parent)
    , m_session(session)
    , m_job(new ImportJob(session, this))
    , m_files(new QStringListModel(this))
    , m_fieldNames(new QStringListModel(this))
    , m_preview(new ImportPreviewModel(this))
    , m_warnings(new QStringListModel(this))
{
    setWindowTitle(tr("Import into %1").arg(QFileInfo(session.path()).fileName()));

    auto *top = new QHBoxLayout;
    top->addWidget(createFilesGroup(), 3);
    top->addWidget(createOptionsGroup(), 2);

    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 100);
    m_progress->setValue(0);
    m_eta = new QLabel(this);
    auto *progressRow = new QHBoxLayout;
    progressRow->addWidget(m_progress, 1);
    progressRow->addWidget(m_eta);

    m_buttons = new QDialogButtonBox(this);
    m_importButton = m_buttons->addButton(tr("&Import"), QDialogButtonBox::AcceptRole);
    m_importButton->setDefault(true);
    m_closeButton = m_buttons->addButton(QDialogButtonBox::Close);
    connect(m_importButton, &QPushButton::clicked, this, &ImportDialog::startImport);
    connect(m_closeButton, &QPushButton::clicked, this, &ImportDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(createMappingGroup());
    layout->addWidget(createPreviewGroup(), 3);
    layout->addLayout(progressRow);
    layout->addWidget(createResultGroup(), 2);
    layout->addWidget(m_buttons);

    m_previewDelay.setSingleShot(true);
    m_previewDelay.setInterval(kPreviewDelayMs);
    connect(&m_previewDelay, &QTimer::timeout, this, &ImportDialog::updatePreview);
    connect(m_job, &ImportJob::progressChanged, this, &ImportDialog::onProgress);
    connect(m_job, &ImportJob::succeeded, this, &ImportDialog::onSucceeded);
    connect(m_job, &ImportJob::failed, this, &ImportDialog::onFailed);

    restoreChoices();
    updateControls();
    resize(980, 760);
}

ImportDialog::~ImportDialog() = default;

QWidget *ImportDialog::createFilesGroup()
{
    auto *group = new QGroupBox(tr("Files"), this);
    m_fileList = new QListView(group);
    m_fileList->setModel(m_files);
    m_fileList->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_fileList->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_fileList->setMaximumHeight(m_fileList->fontMetrics().height() * 7);
    auto *add = new QPushButton(tr("&Add…"), group);
    m_removeButton = new QPushButton(tr("&Remove"), group);
    connect(add, &QPushButton::clicked, this, &ImportDialog::addFiles);
    connect(m_removeButton, &QPushButton::clicked, this, &ImportDialog::removeSelectedFiles);
    connect(m_fileList->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &ImportDialog::schedulePreview);
    auto *buttons = new QVBoxLayout;
    buttons->addWidget(add);
    buttons->addWidget(m_removeButton);
    buttons->addStretch();
    auto *layout = new QHBoxLayout(group);
    layout->addWidget(m_fileList, 1);
    layout->addLayout(buttons);
    return group;
}

QWidget *ImportDialog::createOptionsGroup()
{
    auto *group = new QGroupBox(tr("Options"), this);
    m_format = new QComboBox(group);
    for (const QString &name : import::formatNames()) {
        const auto format = import::formatFromName(name);
        m_format->addItem(formatDescription(*format), name);
    }
    m_detected = new QLabel(group);
    m_detected->setWordWrap(true);
    m_tier = new QComboBox(group);
    m_tier->setEditable(true);
    m_tier->addItems(
        {QString(), QStringLiteral("great"), QStringLiteral("good"), QStringLiteral("base")});
    m_tier->setToolTip(tr("Tier tag for responses whose records carry none"));
    m_offPolicy = new QCheckBox(tr("Responses come from other models than the policy"), group);
    m_skipBad = new QRadioButton(tr("Skip bad records and list them"), group);
    m_abortOnBad = new QRadioButton(tr("Abort on the first bad record (project unchanged)"), group);
    m_abortOnBad->setChecked(true);

    auto *form = new QFormLayout(group);
    form->addRow(tr("&Format:"), m_format);
    form->addRow(QString(), m_detected);
    form->addRow(tr("Default &tier:"), m_tier);
    form->addRow(QString(), m_offPolicy);
    form->addRow(tr("Bad records:"), m_skipBad);
    form->addRow(QString(), m_abortOnBad);

    connect(m_format, &QComboBox::currentIndexChanged, this, [this] {
        updateControls();
        schedulePreview();
    });
    connect(m_tier, &QComboBox::currentTextChanged, this, &ImportDialog::schedulePreview);
    return group;
}

QWidget *ImportDialog::createMappingGroup()
{
    m_mappingGroup = new QGroupBox(tr("Field mapping for generic JSON/JSONL"), this);
    auto *completer = new QCompleter(m_fieldNames, m_mappingGroup);
    completer->setCaseSensitivity(Qt::CaseInsensitive);
    m_mapPrompt = mapEdit(m_mappingGroup, tr("field with the prompt, e.g. instruction"), completer);
    m_mapResponse = mapEdit(m_mappingGroup, tr("field with the response, e.g. output"), completer);
    m_mapGenerator = mapEdit(m_mappingGroup, tr("optional, e.g. meta.model"), completer);
    m_mapTier = mapEdit(m_mappingGroup, tr("optional"), completer);
    m_fieldsLine = new QLabel(m_mappingGroup);
    m_fieldsLine->setWordWrap(true);
    m_fieldsLine->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *left = new QFormLayout;
    left->addRow(tr("&Prompt:"), m_mapPrompt);
    left->addRow(tr("R&esponse:"), m_mapResponse);
    auto *right = new QFormLayout;
    right->addRow(tr("&Generator:"), m_mapGenerator);
    right->addRow(tr("Tie&r:"), m_mapTier);
    auto *columns = new QHBoxLayout;
    columns->addLayout(left, 1);
    columns->addLayout(right, 1);
    auto *layout = new QVBoxLayout(m_mappingGroup);
    layout->addLayout(columns);
    layout->addWidget(m_fieldsLine);
    for (QLineEdit *edit : {m_mapPrompt, m_mapResponse, m_mapGenerator, m_mapTier})
        connect(edit, &QLineEdit::textChanged, this, [this] {
            updateControls();
            schedulePreview();
        });
    return m_mappingGroup;
}

QWidget *ImportDialog::createPreviewGroup()
{
    auto *group = new QGroupBox(tr("Preview: the first records of the selected file"), this);
    m_previewView = new QTableView(group);
    m_previewView->setModel(m_preview);
    m_previewView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_previewView->setWordWrap(false);
    m_previewView->verticalHeader()->hide();
    m_previewView->verticalHeader()->setDefaultSectionSize(m_previewView->fontMetrics().height() +
                                                           8);
    m_previewView->setMinimumHeight(m_previewView->fontMetrics().height() * 9);
    QHeaderView *header = m_previewView->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setSectionResizeMode(ImportPreviewModel::LineColumn, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(ImportPreviewModel::PromptColumn, QHeaderView::Stretch);
    header->resizeSection(ImportPreviewModel::ResponsesColumn, 220);
    header->resizeSection(ImportPreviewModel::RubricColumn, 130);
    header->resizeSection(ImportPreviewModel::ProblemColumn, 160);
    auto *layout = new QVBoxLayout(group);
    layout->addWidget(m_previewView);
    return group;
}

QWidget *ImportDialog::createResultGroup()
{
    m_resultGroup = new QGroupBox(tr("Result"), this);
    m_result = new QLabel(m_resultGroup);
    m_result->setWordWrap(true);
    m_result->setTextFormat(Qt::RichText);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_warningList = new QListView(m_resultGroup);
    m_warningList->setModel(m_warnings);
    m_warningList->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_warningList->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_warningList->setUniformItemSizes(true);
    auto *layout = new QVBoxLayout(m_resultGroup);
    layout->addWidget(m_result);
    layout->addWidget(m_warningList, 1);
    m_resultGroup->hide();
    return m_resultGroup;
}

void ImportDialog::setFiles(const QStringList &files)
{
    m_files->setStringList(files);
    if (!files.isEmpty())
        m_fileList->setCurrentIndex(m_files->index(0));
    updateControls();
    schedulePreview();
}

QStringList ImportDialog::files() const
{
    return m_files->stringList();
}

void ImportDialog::setFormat(import::Format format)
{
    m_format->setCurrentIndex(m_format->findData(import::formatName(format)));
}

void ImportDialog::setFieldMap(const import::FieldMap &map)
{
    m_mapPrompt->setText(map.prompt);
    m_mapResponse->setText(map.response);
    m_mapGenerator->setText(map.generator);
    m_mapTier->setText(map.tier);
}

void ImportDialog::setOnError(import::OnError onError)
{
    (onError == import::OnError::Skip ? m_skipBad : m_abortOnBad)->setChecked(true);
}

void ImportDialog::setDefaultTier(const QString &tier)
{
    m_tier->setCurrentText(tier);
}

import::ImportConfig ImportDialog::config() const {import::ImportConfig config;
config.files = files();
config.format =
    import::formatFromName(m_format->currentData().toString()).value_or(import::Format::Auto);
if (config.format == import::Format::Auto || config.format == import::Format::Jsonl) {
    config.map.prompt = m_mapPrompt->text().trimmed();
    config.map.response = m_mapResponse->text().trimmed();
    config.map.generator = m_mapGenerator->text().trimmed();
    config.map.tier = m_mapTier->text().trimmed();
}
config.tier = m_tier->currentText().trimmed();
config.offPolicy = m_offPolicy->isChecked();
config.onError = m_skipBad->isChecked() ? import::OnError::Skip : import::OnError::Abort;
return config;
} // namespace rs::ui

bool ImportDialog::canImport() const
{
    if (m_job->isRunning() || !m_session.isOpen() || files().isEmpty())
        return false;
    const import::ImportConfig c = config();
    return c.format != import::Format::Jsonl ||
           (!c.map.prompt.isEmpty() && !c.map.response.isEmpty());
}

bool ImportDialog::isImporting() const
{
    return m_job->isRunning();
}

void ImportDialog::addFiles()
{
    QSettings settings;
    const QString dir = settings.value(QStringLiteral("import/lastDir")).toString();
    const QStringList chosen = QFileDialog::getOpenFileNames(
        this, tr("Choose files to import"), dir,
        tr("Model outputs and rubrics (*.json *.jsonl *.ndjson);;All files (*)"));
    if (chosen.isEmpty())
        return;
    settings.setValue(QStringLiteral("import/lastDir"), QFileInfo(chosen.first()).absolutePath());
    QStringList all = files();
    for (const QString &f : chosen)
        if (!all.contains(f))
            all << f;
    setFiles(all);
}

void ImportDialog::removeSelectedFiles()
{
    QStringList all = files();
    const QModelIndexList selected = m_fileList->selectionModel()->selectedRows();
    QList<int> rows;
    for (const QModelIndex &i : selected)
        rows << i.row();
    std::sort(rows.rbegin(), rows.rend());
    for (int row : rows)
        all.removeAt(row);
    setFiles(all);
}

QString ImportDialog::previewFile() const
{
    const QModelIndex current = m_fileList->currentIndex();
    if (current.isValid())
        return current.data().toString();
    return files().value(0);
}

void ImportDialog::schedulePreview()
{
    m_previewDelay.start();
}

void ImportDialog::updatePreview()
{
    const quint64 generation = ++m_previewGeneration;
    const QString file = previewFile();
    if (file.isEmpty()) {
        m_preview->clear();
        m_fieldNames->setStringList({});
        m_fieldsLine->clear();
        m_detected->clear();
        Q_EMIT previewUpdated();
        return;
    }
    const import::ImportConfig cfg = config();
    runAsync(
        this, queryPool(),
        [file, cfg] { return ImportPreviewModel::read(file, cfg, kPreviewRecords); },
        [this, generation, file](Expected<ImportPreviewModel::Preview> preview) {
            if (generation != m_previewGeneration)
                return;
            const QString name = QFileInfo(file).fileName().toHtmlEscaped();
            if (!preview) {
                m_preview->clear();
                m_detected->setText(QStringLiteral("<span style=\"color:%2\">%1</span>")
                                        .arg(preview.error().toString().toHtmlEscaped(), Theme::errorColour().name()));
            } else {
                const ImportPreviewModel::Preview &p = preview.value();
                m_preview->setPreview(p);
                m_fieldNames->setStringList(p.fields);
                m_fieldsLine->setText(
                    p.fields.isEmpty()
                        ? QString()
                        : tr("Fields in %1: %2").arg(name, p.fields.join(QStringLiteral(", "))));
                if (!p.formatProblem.isEmpty())
                    m_detected->setText(QStringLiteral("<span style=\"color:%2\">%1</span>")
                                            .arg(p.formatProblem.toHtmlEscaped(), Theme::errorColour().name()));
                else if (p.detected == import::Format::Auto)
                    m_detected->setText(tr("%1: layout not recognised").arg(name));
                else if (p.detected != p.format)
                    m_detected->setText(tr("%1 looks like <b>%2</b>, not the chosen %3")
                                            .arg(name, import::formatName(p.detected),
                                                 import::formatName(p.format)));
                else
                    m_detected->setText(tr("Detected format of %1: <b>%2</b>")
                                            .arg(name, import::formatName(p.detected)));
            }
            m_previewView->resizeColumnToContents(ImportPreviewModel::LineColumn);
            Q_EMIT previewUpdated();
        });
}

void ImportDialog::updateControls()
{
    const bool running = m_job->isRunning();
    const auto format = import::formatFromName(m_format->currentData().toString());
    m_mappingGroup->setEnabled(!running &&
                               (format == import::Format::Auto || format == import::Format::Jsonl));
    for (QWidget *w : std::initializer_list<QWidget *>{m_fileList, m_format, m_tier, m_offPolicy,
                                                       m_skipBad, m_abortOnBad})
        w->setEnabled(!running);
    m_removeButton->setEnabled(!running && !files().isEmpty());
    m_importButton->setEnabled(canImport());
    m_closeButton->setText(running ? tr("Cancel") : tr("Close"));
    m_closeButton->setEnabled(!(running && m_job->cancelRequested()));
}

bool ImportDialog::startImport()
{
    if (!canImport())
        return false;
    saveChoices();
    m_resultGroup->hide();
    m_warnings->setStringList({});
    m_eta->setText(tr("Starting…"));
    if (!m_job->start(config()))
        return false;
    updateControls();
    return true;
}

void ImportDialog::reject()
{
    if (!m_job->isRunning()) {
        QDialog::reject();
        return;
    }
    m_closeWhenDone = true;
    m_job->cancel();
    m_eta->setText(tr("Cancelling…"));
    updateControls();
}

void ImportDialog::onProgress(int percent, qint64 etaSeconds)
{
    m_progress->setValue(percent);
    m_eta->setText(etaSeconds < 0 ? tr("%1%").arg(percent)
                                  : tr("%1% · ETA %2").arg(percent).arg(durationText(etaSeconds)));
}

void ImportDialog::onSucceeded(const import::ImportResult &result)
{
    m_eta->setText(tr("Done"));
    m_result->setText(summaryOf(result));
    QStringList lines;
    for (const import::ImportWarning &w : result.warnings)
        lines << w.toString();
    if (result.warningCount > result.warnings.size())
        lines << tr("… and %1 more").arg(result.warningCount - result.warnings.size());
    m_warnings->setStringList(lines);
    m_warningList->setVisible(!lines.isEmpty());
    m_resultGroup->setTitle(
        lines.isEmpty()
            ? tr("Result")
            : tr("Result · %1").arg(countText(result.warningCount, tr("warning"), tr("warnings"))));
    m_resultGroup->show();
    updateControls();
    m_session.notifyChanged();
    Q_EMIT imported(result);
    if (m_closeWhenDone)
        QDialog::reject(); // the cancel came too late: the import finished, and it is kept
}

void ImportDialog::onFailed(const Error &error, bool cancelled)
{
    m_progress->setValue(0);
    m_eta->setText(cancelled ? tr("Cancelled") : tr("Failed"));
    const QString message = cancelled ? tr("Import cancelled; the project is unchanged.")
                                      : tr("Import failed; the project is unchanged.<br>%1")
                                            .arg(error.toString().toHtmlEscaped());
    m_result->setText(QStringLiteral("<span style=\"color:%2\">%1</span>").arg(message, Theme::errorColour().name()));
    m_warnings->setStringList(cancelled ? QStringList() : QStringList{error.toString()});
    m_warningList->setVisible(!cancelled);
    m_resultGroup->setTitle(tr("Result"));
    m_resultGroup->show();
    updateControls();
    Q_EMIT importFailed(error.toString());
    if (m_closeWhenDone)
        QDialog::reject();
}

QString ImportDialog::resultText() const
{
    return m_result->text();
}

QStringList ImportDialog::warnings() const
{
    return m_warnings->stringList();
}

QString ImportDialog::detectedText() const
{
    return m_detected->text();
}

void ImportDialog::saveChoices() const
{
    QSettings settings;
    settings.setValue(QStringLiteral("import/format"), m_format->currentData());
    settings.setValue(QStringLiteral("import/skipBad"), m_skipBad->isChecked());
    settings.setValue(QStringLiteral("import/map"),
                      QStringList{m_mapPrompt->text(), m_mapResponse->text(),
                                  m_mapGenerator->text(), m_mapTier->text()});
}

void ImportDialog::restoreChoices()
{
    // Researchers import the same kind of file again and again: start from the last choices.
    QSettings settings;
    const int format = m_format->findData(settings.value(QStringLiteral("import/format")));
    if (format >= 0)
        m_format->setCurrentIndex(format);
    setOnError(settings.value(QStringLiteral("import/skipBad")).toBool() ? import::OnError::Skip
                                                                         : import::OnError::Abort);
    const QStringList map = settings.value(QStringLiteral("import/map")).toStringList();
    if (map.size() == 4)
        setFieldMap({map[0], map[1], map[2], map[3]});
}

} // namespace rs::ui

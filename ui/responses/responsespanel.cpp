#include "responses/responsespanel.h"

#include "common/asynctask.h"
#include "common/markdownview.h"
#include "project/projectedits.h"
#include "common/roles.h"
#include "common/uitext.h"
#include "verdicts/verdictcelldelegate.h"
#include "verdicts/verdicteditor.h"
#include "verdicts/verdictfocus.h"
#include "verdicts/pyeslegend.h"
#include "verdicts/verdictgridmodel.h"
#include "common/theme.h"

#include <QAction>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include <set>

namespace rs::ui {
namespace {

constexpr int kMinCompare = 2;
constexpr int kMaxCompare = 4;

QLabel *makeCaption(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setTextFormat(Qt::RichText);
    label->setContentsMargins(2, 4, 2, 2);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

QWidget *stack(QWidget *parent, QWidget *top, QWidget *body)
{
    auto *box = new QWidget(parent);
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(top);
    layout->addWidget(body, 1);
    return box;
}

} // namespace

ResponsesPanel::ResponsesPanel(QWidget *parent)
    : QWidget(parent)
    , m_model(new VerdictGridModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_editor(new VerdictEditor(this))
{
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(SortRole);
    m_proxy->setSortCaseSensitivity(Qt::CaseInsensitive);

    m_promptCaption = makeCaption(this);
    m_promptView = new MarkdownView(this);
    m_promptView->setPlaceholderText(tr("Select a prompt in the navigator."));

    m_readerCaption = makeCaption(this);
    m_reader = new MarkdownView(this);
    m_reader->setPlaceholderText(tr("Select a response to read it here."));

    m_splitter = new QSplitter(Qt::Vertical, this);
    m_splitter->setChildrenCollapsible(false);
    m_splitter->addWidget(stack(m_splitter, m_promptCaption, m_promptView));
    m_splitter->addWidget(createGridPane());
    m_splitter->addWidget(stack(m_splitter, m_readerCaption, m_reader));
    m_splitter->setStretchFactor(0, 0);
    m_splitter->setStretchFactor(1, 0);
    m_splitter->setStretchFactor(2, 1);
    m_splitter->setSizes({100, 260, 440});

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_splitter);

    createActions();
    connect(m_model, &VerdictGridModel::loaded, this, &ResponsesPanel::onGridLoaded);
    connect(m_model, &VerdictGridModel::runsLoaded, this, &ResponsesPanel::fillRunSelector);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &ResponsesPanel::configureColumns);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex &current) { onCurrentChanged(current); });
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &ResponsesPanel::updateActions);
    connect(m_editor, &VerdictEditor::message, this, &ResponsesPanel::message);
    connect(m_editor, &VerdictEditor::draftNoteChanged, this, &ResponsesPanel::updateActions);
    setProject({});
}

QWidget *ResponsesPanel::createGridPane()
{
    auto *pane = new QWidget(this);
    m_runs = new QComboBox(pane);
    m_runs->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_runs->setToolTip(tr("The judge run whose verdicts the grid shows"));
    m_summary = new QLabel(pane);
    m_summary->setTextFormat(Qt::RichText);
    m_compareButton = new QPushButton(tr("Compare selected"), pane);
    m_compareButton->setToolTip(
        tr("Select 2–4 responses (Ctrl+click rows) and open them side by side"));
    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    auto *runLabel = new QLabel(tr("Judge run:"), pane);
    runLabel->setBuddy(m_runs);
    bar->addWidget(runLabel);
    bar->addWidget(m_runs);
    bar->addSpacing(12);
    bar->addWidget(m_summary, 1);
    m_legend = new PYesLegend(pane);
    m_legend->hide();
    bar->addSpacing(12);
    bar->addWidget(m_legend);
    bar->addSpacing(12);
    bar->addWidget(m_compareButton);

    m_table = new QTableView(pane);
    m_table->setModel(m_proxy);
    auto *delegate = new VerdictCellDelegate(m_table);
    delegate->setBadgeColumn(VerdictGridModel::RankColumn);
    m_table->setItemDelegate(delegate);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(VerdictGridModel::RankColumn, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectItems);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideRight);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 10);
    m_table->horizontalHeader()->setHighlightSections(true);
    m_table->horizontalHeader()->setMinimumSectionSize(24);
    m_table->installEventFilter(this);

    auto *layout = new QVBoxLayout(pane);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(bar);
    layout->addWidget(m_table, 1);

    connect(m_runs, &QComboBox::activated, this, [this](int index) {
        // The first entry is the latest run: choosing it follows new runs as they come.
        m_model->setRun(index <= 0 ? 0 : m_runs->itemData(index).toLongLong());
    });
    configureColumns();
    return pane;
}

void ResponsesPanel::createActions()
{
    const auto make = [this](const QString &text, const QKeySequence &key, OverrideChoice choice) {
        auto *action = new QAction(text, m_table);
        action->setShortcut(key);
        action->setShortcutContext(Qt::WidgetShortcut);
        connect(action, &QAction::triggered, m_editor, [this, choice] { m_editor->apply(choice); });
        m_table->addAction(action);
        return action;
    };
    m_yesAction = make(tr("Override to &yes"), QKeySequence(Qt::Key_Y), OverrideChoice::Yes);
    m_noAction = make(tr("Override to &no"), QKeySequence(Qt::Key_N), OverrideChoice::No);
    m_clearAction =
        make(tr("&Clear override"), QKeySequence(QKeySequence::Delete), OverrideChoice::Clear);
    auto *separator = new QAction(m_table);
    separator->setSeparator(true);
    m_table->addAction(separator);
    m_compareAction = new QAction(tr("Co&mpare selected responses"), m_table);
    connect(m_compareAction, &QAction::triggered, this, [this] {
        const QList<qint64> ids = selectedResponseIds();
        if (ids.size() >= kMinCompare && ids.size() <= kMaxCompare)
            Q_EMIT compareRequested(ids);
    });
    m_table->addAction(m_compareAction);
    m_table->setContextMenuPolicy(Qt::ActionsContextMenu);
    connect(m_compareButton, &QPushButton::clicked, m_compareAction, &QAction::trigger);
    updateActions();
}

QAction *ResponsesPanel::overrideAction(OverrideChoice choice) const
{
    switch (choice) {
    case OverrideChoice::Yes:
        return m_yesAction;
    case OverrideChoice::No:
        return m_noAction;
    case OverrideChoice::Clear:
        return m_clearAction;
    }
    return nullptr;
}

void ResponsesPanel::configureColumns()
{
    QHeaderView *header = m_table->horizontalHeader();
    const int em = m_table->fontMetrics().horizontalAdvance(QLatin1Char('M'));
    header->setStretchLastSection(false);
    header->setSectionResizeMode(QHeaderView::Interactive);
    // The rank holds the tie@top badge beside the number.
    header->resizeSection(VerdictGridModel::RankColumn, em * 7);
    header->resizeSection(VerdictGridModel::RewardColumn, em * 5);
    header->resizeSection(VerdictGridModel::GeneratorColumn, em * 10);
    header->resizeSection(VerdictGridModel::TierColumn, em * 5);
    header->resizeSection(VerdictGridModel::LengthColumn, em * 5);
    for (int c = VerdictGridModel::FirstCriterionColumn; c < m_proxy->columnCount(); ++c) {
        header->setSectionResizeMode(c, QHeaderView::Fixed);
        header->resizeSection(c, qMax(30, em * 2 + 10));
    }
}

void ResponsesPanel::setEdits(ProjectEdits *edits)
{
    m_editor->setEdits(edits);
    if (!edits)
        return;
    connect(edits, &ProjectEdits::written, this, [this](qint64 promptId) {
        if (promptId == 0 || promptId == m_model->promptId())
            m_model->reloadGrid();
    });
    updateActions();
}

void ResponsesPanel::setProject(const QString &path)
{
    m_path = path;
    m_currentResponseId = 0;
    m_model->setProject(path);
    loadPromptText();
}

void ResponsesPanel::setPrompt(qint64 promptId)
{
    if (promptId == m_model->promptId())
        return;
    m_currentResponseId = 0;
    m_model->setPrompt(promptId);
    loadPromptText();
}

void ResponsesPanel::reload()
{
    m_model->reload();
    loadPromptText();
}

qint64 ResponsesPanel::promptId() const
{
    return m_model->promptId();
}

bool ResponsesPanel::isSettled() const
{
    return !m_model->isLoading() && m_model->loadedPromptId() == m_model->promptId() &&
           m_promptTextId == m_model->promptId();
}

void ResponsesPanel::loadPromptText()
{
    const quint64 generation = ++m_promptGeneration;
    const qint64 promptId = m_model->promptId();
    if (m_path.isEmpty() || promptId == 0) {
        m_promptTextId = promptId;
        m_promptCaption->setText(tr("<b>Prompt</b>"));
        m_promptView->showMarkdown({});
        return;
    }
    runQuery<QString>(
        this, m_path,
        [promptId](store::ProjectReader &reader) { return reader.promptText(promptId); },
        [this, generation, promptId](Expected<QString> text) {
            if (generation != m_promptGeneration)
                return;
            m_promptTextId = promptId;
            m_promptCaption->setText(tr("<b>Prompt #%1</b>").arg(promptId));
            m_promptView->showMarkdown(text ? text.value() : text.error().toString());
            Q_EMIT promptTextLoaded(promptId);
        });
}

void ResponsesPanel::fillRunSelector()
{
    const QSignalBlocker blocker(m_runs);
    m_runs->clear();
    const QList<judge::RunInfo> &runs = m_model->runs();
    if (runs.isEmpty()) {
        m_runs->addItem(tr("no judge run yet"), 0);
        m_runs->setEnabled(false);
        return;
    }
    for (qsizetype i = 0; i < runs.size(); ++i) {
        const judge::RunInfo &run = runs[i];
        QString text = tr("#%1 %2").arg(run.id).arg(run.name);
        if (run.status != QLatin1String("complete"))
            text += tr(" (%1)").arg(run.status);
        if (i == 0)
            text += tr(" · latest");
        m_runs->addItem(text, run.id);
        m_runs->setItemData(
            int(i), tr("%1 verdicts · status %2").arg(QLocale().toString(run.verdicts), run.status),
            Qt::ToolTipRole);
    }
    const int chosen = m_model->runChoice() ? m_runs->findData(m_model->runChoice()) : 0;
    m_runs->setCurrentIndex(qMax(0, chosen));
    m_runs->setEnabled(true);
}

void ResponsesPanel::onGridLoaded(qint64 promptId)
{
    const int rows = m_proxy->rowCount();
    const QModelIndex current = m_table->currentIndex();
    if (current.isValid()) {
        // The same prompt re-read in place (an override, another run): same cell, new data.
        showResponse(m_model->record(m_proxy->mapToSource(current).row()));
        updateFocus();
    } else if (rows > 0) {
        int row = 0;
        if (m_currentResponseId) {
            const int source = m_model->rowOfResponse(m_currentResponseId);
            if (source >= 0)
                row = m_proxy->mapFromSource(m_model->index(source, 0)).row();
        }
        selectRow(row);
    } else {
        showResponse({});
        updateFocus();
    }
    updateSummary();
    updateActions();
    Q_EMIT responsesLoaded(promptId, rows);
}

void ResponsesPanel::updateSummary()
{
    QStringList parts;
    const int rows = m_model->rowCount();
    m_legend->setVisible(m_model->hasShadedCells());
    if (m_model->loadedPromptId() == 0) {
        m_summary->clear();
        return;
    }
    parts << countText(rows, tr("response"), tr("responses"))
          << countText(m_model->criterionCount(), tr("criterion"), tr("criteria"));
    if (m_model->criterionCount() == 0)
        parts << tr("no rubric yet");
    else if (m_model->runId() == 0)
        parts << tr("not judged yet: verdicts pending");
    if (const int ties = m_model->tiedAtTopCount(); ties > 1)
        parts << tr("<span style=\"color:%2\"><b>tie@top: %1</b></span>").arg(ties).arg(Theme::warningColour().name());
    m_summary->setText(parts.join(QStringLiteral(" · ")));
}

void ResponsesPanel::selectRow(int proxyRow)
{
    const QModelIndex index = m_proxy->index(proxyRow, VerdictGridModel::GeneratorColumn);
    if (!index.isValid())
        return;
    m_table->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                          QItemSelectionModel::Rows);
    m_table->scrollTo(index);
    // Selecting the index that is already current emits nothing, yet after a reload the record
    // behind it is new: show it either way.
    showResponse(m_model->record(m_proxy->mapToSource(index).row()));
    updateFocus();
}

bool ResponsesPanel::selectCell(qint64 responseId, int criterion)
{
    const int source = m_model->rowOfResponse(responseId);
    if (source < 0 || criterion >= m_model->criterionCount())
        return false;
    const int column = criterion < 0 ? int(VerdictGridModel::GeneratorColumn)
                                     : VerdictGridModel::FirstCriterionColumn + criterion;
    const QModelIndex index = m_proxy->mapFromSource(m_model->index(source, column));
    m_table->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect);
    m_table->scrollTo(index);
    return m_table->currentIndex() == index;
}

QList<qint64> ResponsesPanel::selectedResponseIds() const
{
    std::set<int> rows;
    for (const QModelIndex &index : m_table->selectionModel()->selectedIndexes())
        rows.insert(index.row());
    QList<qint64> ids;
    for (int row : rows)
        ids << m_proxy->index(row, 0).data(ResponseIdRole).toLongLong();
    return ids;
}

void ResponsesPanel::onCurrentChanged(const QModelIndex &current)
{
    if (!current.isValid())
        return;
    // The fact columns stand for the response: the whole row lights up and the inspector
    // shows the reward breakdown. A criterion column is one verdict.
    if (m_model->criterionAt(current.column()) < 0)
        m_table->selectionModel()->select(current,
                                          QItemSelectionModel::Select | QItemSelectionModel::Rows);
    showResponse(m_model->record(m_proxy->mapToSource(current).row()));
    updateFocus();
}

VerdictFocus ResponsesPanel::focusAt(const QModelIndex &proxyIndex) const
{
    const judge::VerdictGrid &grid = m_model->grid();
    VerdictFocus focus;
    focus.projectPath = m_path;
    focus.promptId = grid.promptId;
    focus.runId = grid.runId;
    focus.rubricId = grid.rubricId;
    focus.scoring = grid.scoring;
    focus.implicit = grid.implicit;
    focus.criteria = grid.criteria;
    focus.missing = m_model->missingPolicy();
    if (!proxyIndex.isValid())
        return focus;
    const QModelIndex source = m_proxy->mapToSource(proxyIndex);
    focus.response = m_model->record(source.row());
    focus.row = m_model->row(source.row());
    focus.judged = m_model->isJudged(source.row());
    focus.criterion = m_model->criterionAt(source.column());
    return focus;
}

void ResponsesPanel::updateFocus()
{
    m_editor->setFocus(focusAt(m_table->currentIndex()));
    updateActions();
}

void ResponsesPanel::updateActions()
{
    m_yesAction->setEnabled(m_editor->canApply(OverrideChoice::Yes));
    m_noAction->setEnabled(m_editor->canApply(OverrideChoice::No));
    m_clearAction->setEnabled(m_editor->canApply(OverrideChoice::Clear));
    const qsizetype chosen = selectedResponseIds().size();
    m_compareAction->setEnabled(chosen >= kMinCompare && chosen <= kMaxCompare);
    m_compareButton->setEnabled(m_compareAction->isEnabled());
    m_compareButton->setText(chosen >= kMinCompare ? tr("Compare %1 selected").arg(chosen)
                                                   : tr("Compare selected"));
}

bool ResponsesPanel::eventFilter(QObject *watched, QEvent *event)
{
    // The same keys as the actions' shortcuts, for when the shortcut map does not see them
    // (a key sent straight to the table); a triggered shortcut never arrives here.
    if (watched == m_table && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if (key->modifiers() == Qt::NoModifier || key->modifiers() == Qt::KeypadModifier) {
            switch (key->key()) {
            case Qt::Key_Y:
                m_editor->apply(OverrideChoice::Yes);
                return true;
            case Qt::Key_N:
                m_editor->apply(OverrideChoice::No);
                return true;
            case Qt::Key_Delete:
            case Qt::Key_Backspace:
                m_editor->apply(OverrideChoice::Clear);
                return true;
            default:
                break;
            }
        }
    }
    return QWidget::eventFilter(watched, event);
}

void ResponsesPanel::showResponse(const ResponseRecord &record)
{
    if (record.id == 0) {
        m_currentResponseId = 0;
        m_readerCaption->setText(tr("<b>Response</b>"));
        m_reader->showMarkdown({});
        Q_EMIT currentResponseChanged(record);
        return;
    }
    if (record.id == m_currentResponseId && m_reader->markdown() == record.text)
        return;
    m_currentResponseId = record.id;
    QStringList parts{QStringLiteral("<b>%1</b>").arg(record.generator.toHtmlEscaped())};
    if (!record.tier.isEmpty())
        parts << record.tier.toHtmlEscaped();
    parts << countText(record.length, tr("character"), tr("characters"));
    if (record.offPolicy)
        parts << tr("off-policy");
    m_readerCaption->setText(parts.join(QStringLiteral(" · ")));
    m_reader->showMarkdown(record.empty ? tr("*This response is empty.*") : record.text);
    Q_EMIT currentResponseChanged(record);
}

QByteArray ResponsesPanel::saveLayout() const
{
    return m_splitter->saveState();
}

void ResponsesPanel::restoreLayout(const QByteArray &state)
{
    if (!state.isEmpty())
        m_splitter->restoreState(state);
}

} // namespace rs::ui

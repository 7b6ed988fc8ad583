#include "responsespanel.h"

#include "asynctask.h"
#include "markdownview.h"
#include "responsetablemodel.h"
#include "roles.h"
#include "uitext.h"

#include <QHeaderView>
#include <QLabel>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace rs::ui {
namespace {

QLabel *makeCaption(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setTextFormat(Qt::RichText);
    label->setContentsMargins(2, 4, 2, 2);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

QWidget *stack(QWidget *parent, QLabel *caption, QWidget *body)
{
    auto *box = new QWidget(parent);
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(caption);
    layout->addWidget(body, 1);
    return box;
}

} // namespace

ResponsesPanel::ResponsesPanel(QWidget *parent)
    : QWidget(parent)
    , m_model(new ResponseTableModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
{
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(SortRole);
    m_proxy->setSortCaseSensitivity(Qt::CaseInsensitive);

    m_promptCaption = makeCaption(this);
    m_promptView = new MarkdownView(this);
    m_promptView->setPlaceholderText(tr("Select a prompt in the navigator."));

    m_table = new QTableView(this);
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    // Best tier first; the proxy's sort is stable, so equal tiers keep their import order.
    m_table->sortByColumn(ResponseTableModel::TierColumn, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideRight);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 10);
    QHeaderView *header = m_table->horizontalHeader();
    header->setHighlightSections(false);
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setSectionResizeMode(ResponseTableModel::PreviewColumn, QHeaderView::Stretch);
    const int em = m_table->fontMetrics().horizontalAdvance(QLatin1Char('M'));
    header->resizeSection(ResponseTableModel::GeneratorColumn, em * 11);
    header->resizeSection(ResponseTableModel::TierColumn, em * 5);
    header->resizeSection(ResponseTableModel::LengthColumn, em * 5);

    m_readerCaption = makeCaption(this);
    m_reader = new MarkdownView(this);
    m_reader->setPlaceholderText(tr("Select a response to read it here."));

    m_splitter = new QSplitter(Qt::Vertical, this);
    m_splitter->setChildrenCollapsible(false);
    m_splitter->addWidget(stack(m_splitter, m_promptCaption, m_promptView));
    m_splitter->addWidget(m_table);
    m_splitter->addWidget(stack(m_splitter, m_readerCaption, m_reader));
    m_splitter->setStretchFactor(0, 0);
    m_splitter->setStretchFactor(1, 0);
    m_splitter->setStretchFactor(2, 1);
    m_splitter->setSizes({100, 200, 500});

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_splitter);

    connect(m_model, &ResponseTableModel::loaded, this, &ResponsesPanel::onResponsesLoaded);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) { onCurrentRowChanged(current); });
    setProject({});
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

void ResponsesPanel::onResponsesLoaded(qint64 promptId)
{
    const int rows = m_proxy->rowCount();
    int row = 0;
    if (m_currentResponseId) {
        const int source = m_model->rowOfResponse(m_currentResponseId);
        if (source >= 0)
            row = m_proxy->mapFromSource(m_model->index(source, 0)).row();
    }
    if (rows > 0) {
        selectRow(row);
    } else {
        showResponse({});
    }
    Q_EMIT responsesLoaded(promptId, rows);
}

void ResponsesPanel::selectRow(int proxyRow)
{
    const QModelIndex index = m_proxy->index(proxyRow, 0);
    if (!index.isValid())
        return;
    m_table->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                          QItemSelectionModel::Rows);
    m_table->scrollTo(index);
    // Selecting the row that is already current emits nothing, yet after a reload the record
    // behind it is new: show it either way.
    showResponse(m_model->record(m_proxy->mapToSource(index).row()));
}

void ResponsesPanel::onCurrentRowChanged(const QModelIndex &current)
{
    if (!current.isValid())
        return;
    showResponse(m_model->record(m_proxy->mapToSource(current).row()));
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

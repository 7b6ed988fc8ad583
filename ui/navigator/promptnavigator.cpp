#include "navigator/promptnavigator.h"

#include "navigator/promptitemdelegate.h"
#include "navigator/promptlistmodel.h"
#include "common/roles.h"
#include "common/uitext.h"

#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QVBoxLayout>

namespace rs::ui {

PromptNavigator::PromptNavigator(QWidget *parent)
    : QWidget(parent)
    , m_model(new PromptListModel(this))
{
    m_filter = new QLineEdit(this);
    m_filter->setPlaceholderText(tr("Filter prompts…"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setToolTip(tr("Shows prompts whose text contains this (case-insensitive)"));

    m_view = new QListView(this);
    m_view->setModel(m_model);
    m_view->setItemDelegate(new PromptItemDelegate(m_view));
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setUniformItemSizes(true); // lets the view skip measuring every fetched row
    m_view->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);

    m_countLine = new QLabel(this);
    m_countLine->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_countLine->setContentsMargins(4, 0, 4, 2);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(4);
    layout->addWidget(m_filter);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_countLine);

    m_filterDelay.setSingleShot(true);
    m_filterDelay.setInterval(kFilterDelayMs);
    connect(m_filter, &QLineEdit::textChanged, &m_filterDelay, qOverload<>(&QTimer::start));
    connect(&m_filterDelay, &QTimer::timeout, this,
            [this] { m_model->setFilter(m_filter->text().trimmed()); });
    connect(m_model, &PromptListModel::pageLoaded, this, &PromptNavigator::onPageLoaded);
    connect(m_model, &PromptListModel::modelReset, this, &PromptNavigator::updateCountLine);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex &current) { onCurrentChanged(current); });
    updateCountLine();
}

void PromptNavigator::setProject(const QString &path)
{
    m_currentId = 0;
    m_model->setProject(path);
}

void PromptNavigator::refresh()
{
    m_model->refresh();
}

void PromptNavigator::selectRow(int row)
{
    const QModelIndex index = m_model->index(row, 0);
    if (!index.isValid())
        return;
    m_view->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect);
    m_view->scrollTo(index);
}

void PromptNavigator::onPageLoaded()
{
    updateCountLine();
    if (!m_view->currentIndex().isValid()) {
        // Keep showing the prompt the user was on; with none, start at the first so the
        // other panes are never blank while there is something to show.
        const int row = m_currentId ? m_model->rowOfPrompt(m_currentId) : 0;
        if (row >= 0)
            selectRow(row);
    }
    Q_EMIT promptsLoaded();
}

void PromptNavigator::onCurrentChanged(const QModelIndex &current)
{
    if (!current.isValid())
        return; // a reset clears the current index; the prompt shown elsewhere stays
    const qint64 id = current.data(PromptIdRole).toLongLong();
    if (id == m_currentId)
        return;
    m_currentId = id;
    Q_EMIT promptSelected(id);
}

void PromptNavigator::updateCountLine()
{
    if (m_model->projectPath().isEmpty()) {
        m_countLine->setText(tr("No project open"));
    } else if (m_model->isLoading()) {
        m_countLine->setText(tr("Loading…"));
    } else if (m_model->filter().isEmpty()) {
        m_countLine->setText(countText(m_model->matchCount(), tr("prompt"), tr("prompts")));
    } else {
        m_countLine->setText(
            countText(m_model->matchCount(), tr("prompt matches"), tr("prompts match")));
    }
}

} // namespace rs::ui

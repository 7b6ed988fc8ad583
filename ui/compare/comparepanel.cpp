#include "compare/comparepanel.h"

#include "compare/compareverdictmodel.h"
#include "common/markdownview.h"
#include "compare/pairdiffpane.h"
#include "compare/responsechoicemodel.h"
#include "common/roles.h"
#include "common/scrollsync.h"
#include "verdicts/verdictcelldelegate.h"
#include "verdicts/verdictgridmodel.h"
#include "verdicts/verdicttext.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListView>
#include <QScrollBar>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace rs::ui {
namespace {

QString letter(int i)
{
    return QString(QChar(u'A' + i));
}

} // namespace

ComparePanel::ComparePanel(VerdictGridModel *grid, QWidget *parent)
    : QWidget(parent)
    , m_grid(grid)
    , m_choices(new ResponseChoiceModel(grid, this))
    , m_verdicts(new CompareVerdictModel(this))
    , m_sync(new ScrollSync(this))
{
    m_choiceView = new QListView(this);
    m_choiceView->setModel(m_choices);
    m_choiceView->setFlow(QListView::LeftToRight);
    m_choiceView->setWrapping(true);
    m_choiceView->setResizeMode(QListView::Adjust);
    m_choiceView->setSpacing(2);
    m_choiceView->setUniformItemSizes(false);
    m_choiceView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_choiceView->setMaximumHeight(m_choiceView->fontMetrics().height() * 3 + 16);
    m_choiceView->setToolTip(tr("Check 2–4 responses to compare them"));
    auto *choiceLabel = new QLabel(tr("Compare:"), this);

    m_hint = new QLabel(this);
    m_hint->setAlignment(Qt::AlignCenter);
    m_hint->setWordWrap(true);

    // Four reader columns are made once and shown as needed: a new choice only swaps texts.
    auto *readersRow = new QWidget(this);
    auto *readersLayout = new QHBoxLayout(readersRow);
    readersLayout->setContentsMargins(0, 0, 0, 0);
    for (int i = 0; i < kMaxColumns; ++i) {
        auto *column = new QWidget(readersRow);
        auto *caption = new QLabel(column);
        caption->setTextFormat(Qt::RichText);
        caption->setWordWrap(true);
        auto *reader = new MarkdownView(column);
        auto *columnLayout = new QVBoxLayout(column);
        columnLayout->setContentsMargins(0, 0, 0, 0);
        columnLayout->setSpacing(2);
        columnLayout->addWidget(caption);
        columnLayout->addWidget(reader, 1);
        readersLayout->addWidget(column, 1);
        m_columns << column;
        m_captions << caption;
        m_readers << reader;
        m_shownIds << 0;
    }

    m_verdictTable = new QTableView(this);
    m_verdictTable->setModel(m_verdicts);
    m_verdictTable->setItemDelegate(new VerdictCellDelegate(m_verdictTable));
    m_verdictTable->setWordWrap(true);
    m_verdictTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_verdictTable->setSelectionMode(QAbstractItemView::SingleSelection);
    QHeaderView *columns = m_verdictTable->horizontalHeader();
    columns->setSectionResizeMode(QHeaderView::Stretch);
    columns->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_verdictTable->verticalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignTop);
    // Rows as tall as their wrapped rationales at the columns' current widths.
    connect(columns, &QHeaderView::sectionResized, m_verdictTable,
            [this] { m_verdictTable->resizeRowsToContents(); });
    connect(m_verdicts, &QAbstractItemModel::modelReset, this, [this] {
        // The criterion column is narrower than the response columns: a sentence each.
        QHeaderView *header = m_verdictTable->horizontalHeader();
        const int em = m_verdictTable->fontMetrics().horizontalAdvance(QLatin1Char('M'));
        header->setSectionResizeMode(CompareVerdictModel::CriterionColumn,
                                     QHeaderView::Interactive);
        header->resizeSection(CompareVerdictModel::CriterionColumn, em * 13);
        m_verdictTable->resizeRowsToContents();
    });

    connect(m_verdictTable->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex &current) {
                const qint64 responseId = current.data(ResponseIdRole).toLongLong();
                if (responseId != 0)
                    Q_EMIT verdictSelected(responseId, current.row());
            });

    m_diff = new PairDiffPane(this);

    auto *bottom = new QSplitter(Qt::Horizontal, this);
    bottom->setChildrenCollapsible(false);
    bottom->addWidget(m_verdictTable);
    bottom->addWidget(m_diff);
    bottom->setStretchFactor(0, 3);
    bottom->setStretchFactor(1, 2);

    m_splitter = new QSplitter(Qt::Vertical, this);
    m_splitter->setChildrenCollapsible(false);
    m_splitter->addWidget(readersRow);
    m_splitter->addWidget(bottom);
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 1);

    m_pages = new QStackedWidget(this);
    m_pages->addWidget(m_hint);
    m_pages->addWidget(m_splitter);

    auto *top = new QHBoxLayout;
    top->setContentsMargins(0, 0, 0, 0);
    top->addWidget(choiceLabel, 0, Qt::AlignTop);
    top->addWidget(m_choiceView, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(top);
    layout->addWidget(m_pages, 1);

    connect(m_choices, &ResponseChoiceModel::chosenChanged, this, &ComparePanel::refresh);
    connect(grid, &VerdictGridModel::loaded, this, &ComparePanel::refresh);
    refresh();
}

void ComparePanel::setEdits(ProjectEdits *edits)
{
    m_diff->setEdits(edits);
}

void ComparePanel::setChosen(const QList<qint64> &responseIds)
{
    m_choices->setChosen(responseIds);
}

QList<qint64> ComparePanel::chosen() const
{
    return m_choices->chosen();
}

QList<MarkdownView *> ComparePanel::readers() const
{
    QList<MarkdownView *> out;
    for (int i = 0; i < kMaxColumns; ++i)
        if (m_shownIds[i] != 0)
            out << m_readers[i];
    return out;
}

void ComparePanel::refresh()
{
    const QList<qint64> ids = m_choices->chosen();
    if (ids.size() < 2) {
        m_hint->setText(m_grid->rowCount() < 2
                            ? tr("The selected prompt has fewer than two responses to compare.")
                            : tr("Check two to four responses above, or select rows in the "
                                 "Responses tab and press “Compare selected”."));
        m_pages->setCurrentIndex(0);
        for (qint64 &id : m_shownIds)
            id = 0;
        m_sync->setScrollBars({});
        m_verdicts->setResponses(*m_grid, {});
        m_diff->setChoices(m_grid->projectPath(), m_grid->loadedPromptId(), {});
        Q_EMIT comparisonShown();
        return;
    }
    m_pages->setCurrentIndex(1);
    QList<QScrollBar *> bars;
    QList<PairDiffPane::Choice> choices;
    for (int i = 0; i < kMaxColumns; ++i) {
        const bool used = i < ids.size();
        m_columns[i]->setVisible(used);
        if (!used) {
            m_shownIds[i] = 0;
            continue;
        }
        const int row = m_grid->rowOfResponse(ids[i]);
        const ResponseRecord record = m_grid->record(row);
        const judge::GridRow &r = m_grid->row(row);
        QStringList parts{QStringLiteral("<b>%1</b>").arg(letter(i)),
                          QStringLiteral("<b>%1</b>").arg(r.generator.toHtmlEscaped())};
        if (!r.tier.isEmpty())
            parts << r.tier.toHtmlEscaped();
        parts << (m_grid->isJudged(row)
                      ? tr("#%1 · reward <b>%2</b>").arg(r.rank).arg(rewardText(r.reward))
                      : tr("reward —"));
        m_captions[i]->setText(parts.join(QStringLiteral(" · ")));
        // Only a different response resets the reader (and its scroll position).
        if (m_shownIds[i] != ids[i] || m_readers[i]->markdown() != record.text)
            m_readers[i]->showMarkdown(record.empty ? tr("*This response is empty.*")
                                                    : record.text);
        m_shownIds[i] = ids[i];
        bars << m_readers[i]->verticalScrollBar();
        choices << PairDiffPane::Choice{ids[i], tr("%1 · %2").arg(letter(i), r.generator),
                                        record.text};
    }
    m_sync->setScrollBars(bars);
    m_verdicts->setResponses(*m_grid, ids);
    m_verdictTable->resizeRowsToContents();
    m_diff->setChoices(m_grid->projectPath(), m_grid->loadedPromptId(), choices);
    Q_EMIT comparisonShown();
}

} // namespace rs::ui

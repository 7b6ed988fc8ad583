#include "rubric/aggregationpane.h"

#include "analysis/chartpanel.h"
#include "common/asynctask.h"
#include "common/uilogging.h"
#include "project/projectedits.h"
#include "rubric/advantagechart.h"
#include "rubric/aggregationcandidatemodel.h"
#include "rubric/aggregationresponsemodel.h"
#include "rubric/aggregationuse.h"
#include "store/database.h"
#include "verdicts/missingverdictsetting.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace rs::ui {
namespace {

QTableView *makeTable(QAbstractItemModel *model, const QString &name, QWidget *parent) {
    auto *view = new QTableView(parent);
    view->setObjectName(name);
    view->setModel(model);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->verticalHeader()->hide();
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 8);
    view->horizontalHeader()->setHighlightSections(false);
    view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    view->horizontalHeader()->setStretchLastSection(false);
    return view;
}

} // namespace

AggregationPane::AggregationPane(QWidget *parent)
    : QWidget(parent)
    , m_candidates(new AggregationCandidateModel(this))
    , m_responses(new AggregationResponseModel(this)) {
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_status->setStyleSheet(QStringLiteral("color: palette(mid);"));
    m_use = new QPushButton(tr("&Use for this rubric"), this);
    auto *header = new QHBoxLayout;
    header->addWidget(new QLabel(tr("<b>Aggregation</b>"), this), 1);
    header->addWidget(m_use);

    m_candidateView = makeTable(m_candidates, QStringLiteral("aggregationCandidates"), this);
    m_candidateView->horizontalHeader()->setSectionResizeMode(AggregationCandidateModel::NameColumn,
                                                              QHeaderView::Stretch);
    // The pane shares the side with History, so it is often narrow: long names wrap at their
    // " · " rather than being cut.
    m_candidateView->setWordWrap(true);
    const auto fitRows = [this] { m_candidateView->resizeRowsToContents(); };
    connect(m_candidates, &QAbstractItemModel::modelReset, m_candidateView, fitRows);
    connect(m_candidateView->horizontalHeader(), &QHeaderView::sectionResized, m_candidateView,
            fitRows);
    m_promptTitle = new QLabel(this);
    m_promptTitle->setWordWrap(true);
    m_responseView = makeTable(m_responses, QStringLiteral("aggregationResponses"), this);
    m_chart = new ChartPanel(this);

    auto *top = new QWidget(this);
    auto *topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addLayout(header);
    topLayout->addWidget(m_candidateView, 1);
    topLayout->addWidget(m_status);
    auto *middle = new QWidget(this);
    auto *middleLayout = new QVBoxLayout(middle);
    middleLayout->setContentsMargins(0, 0, 0, 0);
    middleLayout->addWidget(m_promptTitle);
    middleLayout->addWidget(m_responseView, 1);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(top);
    split->addWidget(middle);
    split->addWidget(m_chart);
    split->setSizes({2600, 1500, 1900});
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(split);

    connect(m_candidateView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this] {
                showPrompt();
                updateUse();
            });
    connect(m_use, &QPushButton::clicked, this, &AggregationPane::useSelected);
    connect(MissingVerdictSetting::instance(), &MissingVerdictSetting::changed, this,
            &AggregationPane::refresh);
    updateUse();
}

AggregationPane::~AggregationPane() {
    if (m_cancel)
        m_cancel->store(true);
}

void AggregationPane::setProject(const QString &path) {
    m_path = path;
    m_promptRows.clear();
    m_rowsPrompt = 0;
    m_candidates->clear();
    m_responses->clear();
    m_chart->setSpec({});
    refresh();
}

void AggregationPane::setEdits(ProjectEdits *edits) {
    m_edits = edits;
    if (!edits)
        return;
    // Any write may change a reward (an override, a version): the preview follows.
    connect(edits, &ProjectEdits::written, this, [this] {
        m_saving = false;
        refresh();
    });
    connect(edits, &ProjectEdits::failed, this, [this] {
        m_saving = false;
        updateUse();
    });
}

void AggregationPane::setRubric(qint64 promptId, const RubricRecord &head) {
    const bool moved = promptId != m_promptId;
    m_promptId = promptId;
    m_head = head;
    if (moved)
        computePrompt();
    updateUse();
}

void AggregationPane::setDraftDirty(bool dirty) {
    m_draftDirty = dirty;
    updateUse();
}

void AggregationPane::refresh() {
    m_stale = true;
    if (isVisible())
        computeProject();
}

void AggregationPane::showEvent(QShowEvent *event) {
    QWidget::showEvent(event);
    if (m_stale)
        computeProject();
    else if (m_rowsPrompt != m_promptId)
        computePrompt();
}

int AggregationPane::selectedRow() const {
    const QModelIndex i = m_candidateView->selectionModel()->currentIndex();
    return i.isValid() ? i.row() : 0;
}

void AggregationPane::selectCandidate(int row) {
    m_candidateView->selectionModel()->setCurrentIndex(m_candidates->index(row, 0),
                                                       QItemSelectionModel::ClearAndSelect |
                                                           QItemSelectionModel::Rows);
}

void AggregationPane::computeProject() {
    m_stale = false;
    if (m_cancel)
        m_cancel->store(true); // the older computation stops after its next candidate
    const quint64 generation = ++m_generation;
    if (m_path.isEmpty()) {
        m_status->clear();
        return;
    }
    auto cancel = std::make_shared<std::atomic_bool>(false);
    m_cancel = cancel;
    m_status->setText(tr("Computing…"));
    m_chart->setBusy(true);
    analytics::AggregationPreviewOptions o;
    o.metrics.missing = MissingVerdictSetting::instance()->policy();
    o.promptId = m_promptId;
    runAsync(
        this, queryPool(),
        [path = m_path, o, cancel]() mutable -> Expected<analytics::AggregationPreview> {
            auto db = store::Database::open(path, store::Database::Mode::ReadOnly);
            if (!db)
                return db.error();
            if (auto adapted = analytics::adaptTiersToProject(db.value(), o.metrics); !adapted)
                return adapted.error();
            return analytics::previewAggregations(db.value(), o,
                                                  [cancel](int, int) { return !cancel->load(); });
        },
        [this, generation, o](Expected<analytics::AggregationPreview> result) {
            if (generation != m_generation)
                return; // superseded
            m_chart->setBusy(false);
            if (!result) {
                qCWarning(lcUi) << "aggregation preview failed:" << result.error().toString();
                m_status->setText(tr("Cannot compute the preview: %1").arg(result.error().message));
                Q_EMIT computed();
                return;
            }
            analytics::AggregationPreview &p = result.value();
            m_options = o.metrics;
            m_options.tierA = p.tierA;
            m_options.tierB = p.tierB;
            const int keep = selectedRow();
            m_promptRows.clear();
            for (analytics::CandidatePreview &c : p.candidates)
                m_promptRows.push_back(std::move(c.prompt));
            m_rowsPrompt = p.promptId;
            m_candidates->setPreview(std::move(p.candidates), p.currentSummary);
            selectCandidate(keep < m_candidates->rowCount() ? keep : 0);
            m_status->setText(
                tr("Run %1 · %2 scored responses · %3 gold pairs · top tier %4 vs %5 · "
                   "%6. Bold: each rubric's current aggregation.")
                    .arg(p.runId)
                    .arg(p.scoredResponses)
                    .arg(p.goldPairs)
                    .arg(p.tierA, p.tierB, MissingVerdictSetting::description(o.metrics.missing)));
            if (m_rowsPrompt != m_promptId)
                computePrompt();
            else
                showPrompt();
            Q_EMIT computed();
        });
}

void AggregationPane::computePrompt() {
    const quint64 generation = ++m_promptGeneration;
    if (!isVisible())
        return; // showEvent asks again
    if (m_path.isEmpty() || m_candidates->rowCount() == 0) {
        showPrompt(); // the project preview brings this prompt's rows when it arrives
        return;
    }
    std::vector<analytics::AggregationCandidate> candidates;
    for (const analytics::CandidatePreview &c : m_candidates->candidates())
        candidates.push_back(c.candidate);
    runAsync(
        this, queryPool(),
        [path = m_path, promptId = m_promptId, candidates,
         options = m_options]() -> Expected<std::vector<std::vector<analytics::ResponseOutcome>>> {
            auto db = store::Database::open(path, store::Database::Mode::ReadOnly);
            if (!db)
                return db.error();
            return analytics::previewPromptAggregations(db.value(), promptId, candidates, options);
        },
        [this, generation, promptId = m_promptId](
            Expected<std::vector<std::vector<analytics::ResponseOutcome>>> rows) {
            if (generation != m_promptGeneration)
                return;
            if (!rows) {
                Q_EMIT message(tr("Aggregation preview: %1").arg(rows.error().message));
                return;
            }
            m_promptRows = std::move(rows.value());
            m_rowsPrompt = promptId;
            showPrompt();
        });
}

void AggregationPane::showPrompt() {
    const int row = selectedRow();
    const bool ready =
        m_rowsPrompt == m_promptId && !m_promptRows.empty() && row < int(m_promptRows.size());
    if (m_promptId == 0 || !ready) {
        m_responses->clear();
        m_chart->setSpec(advantageChart({}, {}, {}));
        m_promptTitle->setText(m_promptId ? tr("Prompt #%1: computing…").arg(m_promptId)
                                          : tr("Select a prompt to see its responses."));
        return;
    }
    const analytics::CandidatePreview *c = m_candidates->candidateAt(row);
    const QString name = row > 0 && c ? c->candidate.name : QString();
    m_responses->setRows(m_promptRows.front(), m_promptRows[std::size_t(row)],
                         name.isEmpty() ? tr("current") : name);
    m_chart->setSpec(advantageChart(m_promptRows.front(), m_promptRows[std::size_t(row)], name));
    m_promptTitle->setText(
        name.isEmpty()
            ? tr("<b>Prompt #%1</b>: reward and GRPO advantage per response. Select a row above "
                 "to compare.")
                  .arg(m_promptId)
            : tr("<b>Prompt #%1</b>: current (Reward, A) against <i>%2</i> (Reward′, A′)")
                  .arg(m_promptId)
                  .arg(name.toHtmlEscaped()));
    Q_EMIT promptComputed();
}

void AggregationPane::updateUse() {
    const analytics::CandidatePreview *c = m_candidates->candidateAt(selectedRow());
    const QString why = AggregationUse::blocker(m_head, c ? &c->candidate : nullptr,
                                                m_edits != nullptr, m_draftDirty, m_saving);
    m_use->setEnabled(why.isEmpty());
    m_use->setToolTip(why.isEmpty() ? tr("Save a new version of this prompt's rubric, its criteria "
                                         "unchanged, aggregated as %1")
                                          .arg(c->candidate.name)
                                    : why);
}

void AggregationPane::useSelected() {
    updateUse();
    if (!m_use->isEnabled())
        return;
    const analytics::AggregationCandidate candidate =
        m_candidates->candidateAt(selectedRow())->candidate;
    m_saving = true;
    updateUse();
    AggregationUse::submit(*m_edits, m_promptId, m_head, candidate);
    Q_EMIT message(
        tr("Saving rubric of prompt #%1 aggregated as %2").arg(m_promptId).arg(candidate.name));
}

} // namespace rs::ui

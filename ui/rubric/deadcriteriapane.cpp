#include "rubric/deadcriteriapane.h"

#include "analytics/metricoptions.h"
#include "common/asynctask.h"
#include "common/roles.h"
#include "project/projectedits.h"
#include "rubric/deadcriteriamodel.h"
#include "rubric/prunecriteria.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

#include <memory>
#include <optional>

namespace rs::ui {

DeadCriteriaPane::DeadCriteriaPane(QWidget *parent)
    : QWidget(parent)
    , m_model(new DeadCriteriaModel(this))
    , m_proxy(new QSortFilterProxyModel(this)) {
    m_top = new QSpinBox(this);
    m_top->setRange(2, 100); // one response cannot be all-pass-or-all-fail in any useful sense
    m_top->setValue(5);
    m_top->setPrefix(tr("top "));
    m_top->setToolTip(tr("How many of each prompt's best responses (by reward) count as its top"));
    // The top tiers are the metrics' high tiers (`metrics --high-tiers`).
    const QStringList tiers = analytics::MetricOptions().highTiers;
    m_topTier = new QCheckBox(tr("top tier"), this);
    m_topTier->setToolTip(tr("Use the responses tagged %1 as the top instead of the best by reward")
                              .arg(tiers.join(QStringLiteral(", "))));
    m_minPrompts = new QSpinBox(this);
    m_minPrompts->setRange(1, 9999);
    m_minPrompts->setPrefix(tr("≥ "));
    m_minPrompts->setSuffix(tr(" prompts"));
    m_minPrompts->setToolTip(tr("Only criteria whose text is dead in at least this many prompts"));
    connect(m_top, &QSpinBox::valueChanged, this, &DeadCriteriaPane::load);
    connect(m_minPrompts, &QSpinBox::valueChanged, this, &DeadCriteriaPane::load);
    connect(m_topTier, &QCheckBox::toggled, this, [this](bool on) {
        m_top->setEnabled(!on);
        load();
    });
    // A tool bar folds what does not fit into its extension menu, so the pane never forces
    // the Rubric tab's splitter (and the criteria editor beside it) wider than it wants.
    auto *controls = new QToolBar(this);
    controls->setObjectName(QStringLiteral("deadControls"));
    controls->addWidget(m_top);
    controls->addWidget(m_topTier);
    controls->addWidget(m_minPrompts);
    controls->addSeparator();
    controls->addAction(tr("Refresh"), this, &DeadCriteriaPane::load)
        ->setToolTip(tr("Read the judge run's verdicts again"));

    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("deadSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::RichText);

    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(SortRole);
    m_view = new QTableView(this);
    m_view->setObjectName(QStringLiteral("deadCriteria"));
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(DeadCriteriaModel::Prompt, Qt::AscendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false); // thousands of rows: one line each, the full text in the tooltip
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    QHeaderView *header = m_view->horizontalHeader();
    header->setHighlightSections(false);
    // Short columns sized to what they hold (the header samples rows, so thousands cost
    // little) and the criterion taking the rest: the pane shares the tab with the editor.
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(DeadCriteriaModel::Criterion, QHeaderView::Stretch);
    connect(m_view, &QTableView::doubleClicked, this, [this](const QModelIndex &index) {
        Q_EMIT promptActivated(index.data(PromptIdRole).toLongLong());
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &DeadCriteriaPane::updateButtons);

    m_prune = new QPushButton(tr("Prune selected"), this);
    m_prune->setToolTip(tr("Save a version of each affected rubric without the selected "
                           "criteria (never an empty rubric; restore from the history to undo)"));
    m_rewrite = new QPushButton(tr("Rewrite selected…"), this);
    m_rewrite->setToolTip(tr("Have the proposer rewrite the selected criteria so that they "
                             "separate the top responses"));
    connect(m_prune, &QPushButton::clicked, this, &DeadCriteriaPane::pruneSelected);
    connect(m_rewrite, &QPushButton::clicked, this, &DeadCriteriaPane::rewriteSelected);
    auto *actions = new QHBoxLayout;
    actions->setContentsMargins(0, 0, 0, 0);
    actions->addWidget(m_prune);
    actions->addWidget(m_rewrite);
    actions->addStretch(1);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 4, 0, 0);
    layout->addWidget(controls);
    layout->addWidget(m_summary);
    layout->addWidget(m_view, 1);
    layout->addLayout(actions);
    updateButtons();
}

void DeadCriteriaPane::setProject(const QString &path) {
    m_path = path;
    m_model->setReport({});
    reload();
}

void DeadCriteriaPane::setEdits(ProjectEdits *edits) {
    m_edits = edits;
}

void DeadCriteriaPane::reload() {
    m_dirty = true;
    if (isVisible())
        load();
}

void DeadCriteriaPane::showEvent(QShowEvent *event) {
    QWidget::showEvent(event);
    if (m_dirty)
        load();
}

rubric::DeadCriteriaOptions DeadCriteriaPane::options() const {
    rubric::DeadCriteriaOptions o;
    o.top.k = m_top->value();
    if (m_topTier->isChecked())
        o.top.tiers = analytics::MetricOptions().highTiers;
    o.minPrompts = m_minPrompts->value();
    return o;
}

void DeadCriteriaPane::load() {
    m_dirty = false;
    const quint64 generation = ++m_generation;
    if (m_path.isEmpty()) {
        m_model->setReport({});
        m_summary->setText(tr("No project is open."));
        m_loading = false;
        updateButtons();
        return;
    }
    m_loading = true;
    m_summary->setText(tr("Finding dead criteria…"));
    updateButtons();
    const rubric::DeadCriteriaOptions o = options();
    runDbQuery<rubric::DeadCriteriaReport>(
        this, m_path, [o](store::Database &db) { return rubric::deadCriteria(db, o); },
        [this, generation](Expected<rubric::DeadCriteriaReport> report) {
            if (generation != m_generation)
                return; // a newer read is on its way
            m_loading = false;
            if (!report) {
                m_model->setReport({});
                m_summary->setText(tr("Cannot list dead criteria: %1")
                                       .arg(report.error().toString().toHtmlEscaped()));
            } else {
                m_model->setReport(std::move(report.value()));
                showReport();
            }
            updateButtons();
            Q_EMIT loaded();
        });
}

void DeadCriteriaPane::showReport() {
    const rubric::DeadCriteriaReport &r = m_model->report();
    if (!r.runId) {
        m_summary->setText(tr("No judge run yet: judge the responses to find dead criteria."));
        return;
    }
    QString text = tr("<b>%1</b> dead criteria in <b>%2</b> of %3 prompts · run %4, %5")
                       .arg(r.dead.size())
                       .arg(r.promptsWithDead)
                       .arg(r.promptsExamined)
                       .arg(r.runId)
                       .arg(r.top.describe().toHtmlEscaped());
    if (r.checks > 0)
        text += tr(" · %1 checked by code").arg(r.checks);
    QStringList many;
    for (std::size_t i = 0; i < r.groups.size() && i < 3; ++i)
        many << tr("“%1” (%2 prompts)")
                    .arg(r.groups[i].text.toHtmlEscaped())
                    .arg(r.groups[i].prompts);
    if (!many.isEmpty())
        text += QStringLiteral("<br>") +
                tr("Dead in many prompts: %1").arg(many.join(QStringLiteral("; ")));
    m_summary->setText(text);
}

void DeadCriteriaPane::updateButtons() {
    const bool any = !m_loading && m_view->selectionModel()->hasSelection();
    m_prune->setEnabled(any && m_edits);
    m_rewrite->setEnabled(any);
}

QList<rubric::DeadCriterion> DeadCriteriaPane::selectedCriteria() const {
    QList<int> rows;
    for (const QModelIndex &i : m_view->selectionModel()->selectedRows())
        rows << m_proxy->mapToSource(i).row();
    std::sort(rows.begin(), rows.end());
    QList<rubric::DeadCriterion> out;
    for (const int r : rows)
        out << m_model->at(r);
    return out;
}

void DeadCriteriaPane::pruneSelected() {
    const QList<rubric::DeadCriterion> picked = selectedCriteria();
    if (picked.isEmpty() || !m_edits)
        return;
    const qint64 runId = m_model->report().runId;
    const rubric::TopSelection top = m_model->report().top;
    // The summary comes back through the write; `written` (also sent after a failed write,
    // whose message the window shows) then reports it, refusals included.
    struct Outcome {
        bool ran = false;
        std::optional<rubric::PruneSummary> summary;
    };
    auto outcome = std::make_shared<Outcome>();
    auto *done = new QMetaObject::Connection;
    *done = connect(m_edits, &ProjectEdits::written, this, [this, outcome, done] {
        if (!outcome->ran)
            return; // an earlier write finished
        disconnect(*done);
        delete done;
        if (const auto &s = outcome->summary)
            Q_EMIT message(tr("Pruned %1 criteria: %2 new versions, %3 refused (the rubric "
                              "would be empty), %4 already gone")
                               .arg(s->removed)
                               .arg(s->pruned)
                               .arg(s->refused)
                               .arg(s->skipped));
        Q_EMIT rubricsChanged();
        reload();
    });
    m_edits->submit(tr("Prune %1 dead criteria").arg(picked.size()), 0,
                    [picked, runId, top, outcome](store::ProjectStore &store) -> Expected<void> {
                        outcome->ran = true;
                        auto s = rubric::pruneCriteria(store, picked, runId, top);
                        if (!s)
                            return s.error();
                        outcome->summary = std::move(s.value());
                        return {};
                    });
}

void DeadCriteriaPane::rewriteSelected() {
    authoring::PruneRewriteConfig config;
    int checks = 0;
    for (const rubric::DeadCriterion &d : selectedCriteria()) {
        if (d.check)
            ++checks; // the proposer writes prose; a check's parameters decide its verdict
        else
            config.criteria << d;
    }
    if (config.criteria.isEmpty()) {
        if (checks > 0)
            Q_EMIT message(tr("The selected criteria are checked by code: prune them, or edit "
                              "their checks in the editor."));
        return;
    }
    config.runId = m_model->report().runId;
    config.top = m_model->report().top;
    Q_EMIT rewriteRequested(config);
}

} // namespace rs::ui

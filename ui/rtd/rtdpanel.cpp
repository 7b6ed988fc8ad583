#include "rtd/rtdpanel.h"

#include "common/asynctask.h"
#include "common/markdownview.h"
#include "judge/judgecontroller.h"
#include "project/projectsession.h"
#include "providers/providerlistmodel.h"
#include "rtd/authoringtasks.h"
#include "rtd/rtdproposalmodel.h"
#include "rtd/rtdroundmodel.h"
#include "rubric/rubricversions.h"
#include "store/database.h"
#include "store/projectstore.h"

#include <QAction>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPointer>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

namespace rs::ui {
namespace {

constexpr int kServedScope = 2; ///< the scope entry of a served step, after prompt and all

} // namespace

RtdPanel::RtdPanel(QWidget *parent) : QWidget(parent)
{
    m_header = new QLabel(tr("Select a prompt."), this);
    m_header->setWordWrap(true);
    m_noProvider =
        new QLabel(tr("No LLM provider is set up, so no new round can be proposed; the rounds "
                      "below are the prompt's recorded history. <a href=\"providers\">Add a "
                      "provider…</a>"),
                   this);
    m_noProvider->setWordWrap(true);
    m_noProvider->setTextFormat(Qt::RichText);
    m_noProvider->hide();
    connect(m_noProvider, &QLabel::linkActivated, this, [this] {
        if (m_controller)
            m_controller->showProviders(this);
    });
    m_proposer = new QComboBox(this);
    m_proposer->setToolTip(tr("The proposer that rewrites the rubric"));
    m_judge = new QComboBox(this);
    m_judge->setToolTip(tr("The judge that scores the pool (its judge template carries the judge role)"));
    // Provider names arrive later and can be long: boxes of one width whatever the names.
    for (QComboBox *box : {m_proposer, m_judge}) {
        box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        box->setMinimumContentsLength(14);
    }
    m_select = new QComboBox(this);
    m_select->addItem(tr("Top two"), int(authoring::PairSelection::Top2));
    m_select->addItem(tr("Random among tied"), int(authoring::PairSelection::Tied));
    m_scope = new QComboBox(this);
    m_scope->addItem(tr("This prompt"));
    m_scope->addItem(tr("All prompts"));
    m_scope->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_roundsSpin = new QSpinBox(this);
    m_roundsSpin->setRange(1, 20);
    m_roundsSpin->setValue(4);
    m_roundsSpin->setPrefix(tr("K = "));
    // `refine --sample K`: a step of a large GRPO batch holds many responses per prompt.
    m_sampleSpin = new QSpinBox(this);
    m_sampleSpin->setObjectName(QStringLiteral("rtdServedSample"));
    m_sampleSpin->setRange(0, 1000);
    m_sampleSpin->setSpecialValueText(tr("all served"));
    m_sampleSpin->setPrefix(tr("sample "));
    m_sampleSpin->setSuffix(tr(" per prompt"));
    m_sampleSpin->setToolTip(tr("At most this many of a prompt's responses served at the step, "
                                "a seeded draw (the same on every run); \"all served\" uses "
                                "every one."));
    m_proposeButton = new QPushButton(tr("Propose Round"), this);
    m_proposeButton->setToolTip(tr("Judge the pool, pick the pair and show the proposer's rewrite for review"));
    m_runButton = new QPushButton(tr("Run K Rounds"), this);
    m_runButton->setToolTip(tr("Run rounds up to K per prompt, accepting each rewrite (resumes where it stopped)"));
    connect(m_proposeButton, &QPushButton::clicked, this, &RtdPanel::proposeRound);
    connect(m_runButton, &QPushButton::clicked, this, &RtdPanel::runRounds);

    // A toolbar, so the tab never asks the window for more width than it has (what does not
    // fit goes behind the extension button; see AnalysisPanel's).
    auto *bar = new QToolBar(this);
    bar->setObjectName(QStringLiteral("rtdToolbar"));
    bar->addWidget(new QLabel(tr("Proposer "), this));
    bar->addWidget(m_proposer);
    bar->addWidget(new QLabel(tr(" Judge "), this));
    bar->addWidget(m_judge);
    bar->addSeparator();
    bar->addWidget(m_select);
    bar->addWidget(m_scope);
    bar->addWidget(m_roundsSpin);
    m_sampleAction = bar->addWidget(m_sampleSpin);
    m_sampleAction->setVisible(false);
    connect(m_scope, &QComboBox::currentIndexChanged, this,
            [this](int index) { m_sampleAction->setVisible(index == kServedScope); });
    bar->addSeparator();
    bar->addWidget(m_proposeButton);
    bar->addWidget(m_runButton);

    m_rounds = new RtdRoundModel(this);
    m_roundView = new QTableView(this);
    m_roundView->setModel(m_rounds);
    m_roundView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_roundView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_roundView->verticalHeader()->hide();
    m_roundView->horizontalHeader()->setSectionResizeMode(RtdRoundModel::PairColumn, QHeaderView::Stretch);
    connect(m_roundView, &QTableView::clicked, this, [this](const QModelIndex &i) { onRoundClicked(i.row()); });

    auto side = [this](QLabel *&caption, QLabel *&verdicts, MarkdownView *&reader) {
        auto *w = new QWidget(this);
        auto *l = new QVBoxLayout(w);
        l->setContentsMargins(0, 0, 0, 0);
        caption = new QLabel(w);
        caption->setStyleSheet(QStringLiteral("font-weight: bold"));
        verdicts = new QLabel(w);
        verdicts->setWordWrap(true);
        reader = new MarkdownView(w);
        l->addWidget(caption);
        l->addWidget(verdicts);
        l->addWidget(reader, 1);
        return w;
    };
    auto *pair = new QSplitter(Qt::Horizontal, this);
    pair->addWidget(side(m_captionA, m_verdictsA, m_readerA));
    pair->addWidget(side(m_captionB, m_verdictsB, m_readerB));

    m_proposal = new RtdProposalModel(this);
    m_proposalView = new QTableView(this);
    m_proposalView->setModel(m_proposal);
    m_proposalView->verticalHeader()->hide();
    m_proposalView->setWordWrap(true);
    m_proposalView->horizontalHeader()->setSectionResizeMode(RtdProposalModel::BeforeColumn, QHeaderView::Stretch);
    m_proposalView->horizontalHeader()->setSectionResizeMode(RtdProposalModel::AfterColumn, QHeaderView::Stretch);
    m_proposalLabel = new QLabel(tr("No proposal waiting. Propose a round to review one here."), this);
    m_proposalLabel->setWordWrap(true);
    m_acceptButton = new QPushButton(tr("Accept Checked Changes"), this);
    m_rejectButton = new QPushButton(tr("Reject Round"), this);
    connect(m_acceptButton, &QPushButton::clicked, this, &RtdPanel::acceptProposal);
    connect(m_rejectButton, &QPushButton::clicked, this, &RtdPanel::rejectProposal);
    connect(m_proposal, &QAbstractItemModel::dataChanged, this, &RtdPanel::updateButtons);
    auto *proposalBox = new QWidget(this);
    auto *pl = new QVBoxLayout(proposalBox);
    pl->setContentsMargins(0, 0, 0, 0);
    auto *pbar = new QHBoxLayout;
    pbar->addWidget(m_proposalLabel, 1);
    pbar->addWidget(m_rejectButton);
    pbar->addWidget(m_acceptButton);
    pl->addLayout(pbar);
    pl->addWidget(m_proposalView, 1);

    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_roundView);
    split->addWidget(pair);
    split->addWidget(proposalBox);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 3);
    split->setStretchFactor(2, 2);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_header);
    layout->addWidget(m_noProvider);
    layout->addWidget(bar);
    layout->addWidget(split, 1);
    updateButtons();
}

RtdPanel::~RtdPanel() = default;

void RtdPanel::setController(ProjectSession *session, JudgeController *controller)
{
    m_session = session;
    m_controller = controller;
    auto fill = [this] {
        const QString p = m_proposer->currentData().toString(), j = m_judge->currentData().toString();
        m_proposer->clear();
        m_judge->clear();
        m_judge->addItem(tr("Same as proposer"), QString());
        for (const auto &pr : m_controller->providers()->providers()) {
            m_proposer->addItem(QStringLiteral("%1 · %2").arg(pr.name, pr.model), pr.name);
            m_judge->addItem(QStringLiteral("%1 · %2").arg(pr.name, pr.model), pr.name);
        }
        m_proposer->setCurrentIndex(std::max(0, m_proposer->findData(p)));
        m_judge->setCurrentIndex(std::max(0, m_judge->findData(j)));
        updateButtons();
    };
    connect(m_controller->providers(), &QAbstractItemModel::modelReset, this, fill);
    connect(m_controller->providers(), &QAbstractItemModel::rowsInserted, this, fill);
    connect(m_controller->providers(), &QAbstractItemModel::dataChanged, this, fill);
    fill();
}

void RtdPanel::setProject(const QString &path)
{
    m_path = path;
    if (m_scope->count() > kServedScope) // a step of another project's training
        m_scope->removeItem(kServedScope);
    rejectProposal();
    reload();
}

void RtdPanel::setPrompt(qint64 promptId)
{
    if (promptId == m_promptId)
        return;
    m_promptId = promptId;
    if (m_pending && m_pending->round.promptId != promptId)
        rejectProposal();
    reload();
}

void RtdPanel::reload()
{
    if (m_pending)
        loadSnapshot(RtdFocus{m_pending->round.responseA, m_pending->round.responseB,
                              m_pending->round.judgeRunId, m_pending->round.previousVersionId,
                              m_pending->round.scoreA, m_pending->round.scoreB, 0});
    else
        loadSnapshot(RtdFocus{});
}

void RtdPanel::loadSnapshot(const RtdFocus &focus) {
    if (m_path.isEmpty() || m_promptId <= 0) {
        show(RtdSnapshot{});
        return;
    }
    const quint64 generation = ++m_generation;
    const qint64 promptId = m_promptId;
    const bool waiting = m_pending != nullptr;
    runDbQuery<RtdSnapshot>(
        this, m_path,
        [promptId, focus, waiting](store::Database &db) {
            return readRtdSnapshot(db, promptId, focus, waiting);
        },
        [this, generation](Expected<RtdSnapshot> s) {
            if (generation != m_generation)
                return; // a newer prompt or round was asked for meanwhile
            if (!s) {
                Q_EMIT message(tr("RTD: %1").arg(s.error().toString()));
                return;
            }
            show(s.value());
        });
}

void RtdPanel::show(const RtdSnapshot &s) {
    if (s.promptId == 0) {
        m_header->setText(tr("Select a prompt."));
    } else {
        const int done = int(std::count_if(s.rounds.begin(), s.rounds.end(),
                                           [&](const authoring::RtdRound &r) { return r.series == s.series; }));
        m_header->setText(tr("<b>Prompt %1</b> · %2 round(s) in series %3 · %4 unused responses left in the "
                             "pool<br><i>%5</i>")
                              .arg(s.promptId)
                              .arg(done)
                              .arg(std::max(1, s.series))
                              .arg(s.pool)
                              .arg(s.promptText.left(220).toHtmlEscaped()));
    }
    m_rounds->setRounds(s.rounds, s.generators, s.versionNumbers);
    m_captionA->setText(s.shownA ? s.captionA : tr("A"));
    m_captionB->setText(s.shownB ? s.captionB : tr("B"));
    m_verdictsA->setText(s.verdictsA);
    m_verdictsB->setText(s.verdictsB);
    m_readerA->showMarkdown(s.textA);
    m_readerB->showMarkdown(s.textB);
    if (!m_pending) {
        m_shownRound = s.savedRound;
        m_shownVersion = s.savedVersion;
        m_shownNote = s.note;
        if (s.savedVersion) {
            m_proposal->setSavedRound(s.before, s.after);
            m_proposalView->resizeRowsToContents();
        } else {
            m_proposal->clear();
        }
    }
    if (s.shownA) {
        for (int row = 0; row < m_rounds->rowCount(); ++row)
            if (m_rounds->round(row).responseA == s.shownA && m_rounds->round(row).responseB == s.shownB)
                m_roundView->selectRow(row);
    }
    updateButtons();
    Q_EMIT loaded();
}

void RtdPanel::onRoundClicked(int row)
{
    if (m_pending || row < 0 || row >= m_rounds->rowCount())
        return;
    const auto &r = m_rounds->round(row);
    loadSnapshot(RtdFocus{r.responseA, r.responseB, r.judgeRunId, r.previousVersionId, r.scoreA,
                          r.scoreB, r.versionId});
}

authoring::RtdConfig RtdPanel::baseConfig() const
{
    authoring::RtdConfig c;
    ProviderListModel *providers = m_controller->providers();
    c.providers.proposer = providers->provider(providers->rowOf(m_proposer->currentData().toString()));
    const QString judgeName = m_judge->currentData().toString();
    c.judge.provider = judgeName.isEmpty() ? c.providers.proposer : providers->provider(providers->rowOf(judgeName));
    c.selection = authoring::PairSelection(m_select->currentData().toInt());
    c.rounds = m_roundsSpin->value();
    if (const auto step = servedStep())
        c.servedPool = authoring::ServedPool{*step, m_sampleSpin->value()};
    return c;
}

void RtdPanel::setServedStep(qint64 step)
{
    const QString text = tr("Served at step %1").arg(step);
    if (m_scope->count() <= kServedScope)
        m_scope->addItem(text, step);
    m_scope->setItemText(kServedScope, text);
    m_scope->setItemData(kServedScope, step);
    m_scope->setItemData(kServedScope,
                         tr("The responses serve rewarded at training step %1, for the prompts "
                            "they answer. Saved versions are what the running serve rewards "
                            "with next.")
                             .arg(step),
                         Qt::ToolTipRole);
    m_scope->setCurrentIndex(kServedScope);
    Q_EMIT message(tr("RTD on the responses served at step %1: choose the proposer, judge and "
                      "K, then Run K Rounds (or Propose Round for the current prompt).")
                       .arg(step));
}

std::optional<qint64> RtdPanel::servedStep() const
{
    if (m_scope->currentIndex() != kServedScope)
        return std::nullopt;
    return m_scope->currentData().toLongLong();
}

void RtdPanel::proposeRound()
{
    if (!m_controller || m_promptId <= 0 || m_proposer->count() == 0)
        return;
    authoring::RtdConfig c = baseConfig();
    c.promptIds = {m_promptId};
    c.rounds = 1000; // one proposal: the runner stops after proposing when autoAccept is off
    c.autoAccept = false;
    auto pending = std::make_shared<QList<authoring::PendingRound>>();
    llm::JobOptions o;
    o.kind = QStringLiteral("refine");
    JudgeJob *job = m_controller->startTask(tr("RTD proposal · prompt %1").arg(m_promptId),
                                            c.providers.proposer, refineTask(c, o, pending));
    if (!job)
        return;
    QPointer<RtdPanel> self(this);
    connect(job, &JudgeJob::finished, this, [self, pending] {
        if (self && !pending->isEmpty())
            self->showProposal(pending->first());
    });
}

void RtdPanel::runRounds()
{
    if (!m_controller || m_proposer->count() == 0)
        return;
    authoring::RtdConfig c = baseConfig();
    if (m_scope->currentIndex() == 0) {
        if (m_promptId <= 0)
            return;
        c.promptIds = {m_promptId};
    }
    llm::JobOptions o;
    o.kind = QStringLiteral("refine");
    const QString where = c.servedPool            ? tr("served at step %1").arg(*c.servedPool->step)
                          : c.promptIds.isEmpty() ? tr("all prompts")
                                                  : tr("prompt %1").arg(m_promptId);
    m_controller->startTask(tr("RTD · %1 rounds · %2").arg(c.rounds).arg(where), c.providers.proposer,
                            refineTask(c, o));
}

void RtdPanel::showProposal(const authoring::PendingRound &pending)
{
    m_pending = std::make_unique<authoring::PendingRound>(pending);
    m_proposal->setProposal(pending.previous, pending.proposed);
    m_proposalView->resizeRowsToContents();
    if (pending.round.promptId != m_promptId) {
        m_promptId = pending.round.promptId;
    }
    reload();
    Q_EMIT proposalShown();
}

void RtdPanel::acceptProposal()
{
    if (!m_pending || !m_session || !m_session->store())
        return;
    const authoring::PendingRound pending = *m_pending;
    const QList<rubric::CriterionDraft> accepted = m_proposal->acceptedCriteria();
    store::ProjectStore *store = m_session->store();
    ProjectSession *session = m_session;
    session->beginJob();
    QPointer<RtdPanel> self(this);
    runAsync(
        session, QThreadPool::globalInstance(),
        [store, pending, accepted]() { return authoring::RtdRunner::acceptRound(*store, pending, accepted); },
        [self, session](Expected<qint64> v) {
            session->endJob();
            if (!self)
                return;
            if (!v) {
                Q_EMIT self->message(tr("Could not save the round: %1").arg(v.error().toString()));
                return;
            }
            Q_EMIT self->message(tr("Round saved as version %1.").arg(v.value()));
            self->rejectProposal();
            session->notifyChanged();
        });
}

void RtdPanel::rejectProposal()
{
    m_pending.reset();
    m_proposal->clear();
    reload();
}

void RtdPanel::updateButtons()
{
    const bool ready = m_controller && m_proposer->count() > 0 && !m_path.isEmpty();
    m_proposeButton->setEnabled(ready && m_promptId > 0 && !m_pending);
    m_runButton->setEnabled(ready && !m_pending);
    m_acceptButton->setEnabled(m_pending != nullptr);
    m_rejectButton->setEnabled(m_pending != nullptr);
    // Accept and Reject only mean something while a proposal waits.
    m_acceptButton->setVisible(m_pending != nullptr);
    m_rejectButton->setVisible(m_pending != nullptr);
    m_noProvider->setVisible(m_controller && m_proposer->count() == 0);
    m_proposalView->setColumnHidden(RtdProposalModel::AcceptColumn,
                                    !m_pending && m_proposal->isSavedRound());
    if (m_pending)
        m_proposalLabel->setText(tr("Round %1 proposal: %2 of %3 changes checked (%4). Unchecked changes keep "
                                    "the current criterion.")
                                     .arg(m_pending->round.round)
                                     .arg(m_proposal->acceptedChanges())
                                     .arg(m_proposal->changes())
                                     .arg(m_proposal->diff().summary()));
    else if (m_shownVersion)
        m_proposalLabel->setText(
            tr("<b>Round %1</b>, accepted as %2: %3.%4")
                .arg(m_shownRound)
                .arg(m_rounds->versionText(m_shownVersion))
                .arg(m_proposal->diff().summary().toHtmlEscaped())
                .arg(m_shownNote.isEmpty()
                         ? QString()
                         : QStringLiteral("<br><i>%1</i>").arg(m_shownNote.toHtmlEscaped())));
    else
        m_proposalLabel->setText(tr("No proposal waiting. Propose a round to review one here."));
}

} // namespace rs::ui

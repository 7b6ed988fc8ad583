#include "training/trainingpanel.h"

#include "common/asynctask.h"
#include "common/theme.h"
#include "judge/judgecontroller.h"
#include "judge/judgejob.h"
#include "providers/providerlistmodel.h"
#include "store/database.h"
#include "training/panelcheckdialog.h"
#include "training/panelchecktask.h"
#include "training/trainingcriterionmodel.h"
#include "training/trainingstepmodel.h"

#include <QChart>
#include <QChartView>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineSeries>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTextBrowser>
#include <QToolBar>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>

namespace rs::ui {
namespace {

constexpr int kPollMs = 15000;
// The panel checks the top responses the tab shows: the same K as the read.
const int kTopK = analytics::TrainingStatsOptions{}.topK;

QTableView *trainingTable(QAbstractItemModel *model, QWidget *parent) {
    auto *view = new QTableView(parent);
    view->setModel(model);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->verticalHeader()->hide();
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 6);
    view->setWordWrap(false);
    return view;
}

} // namespace

TrainingPanel::TrainingPanel(QWidget *parent)
    : QWidget(parent)
    , m_steps(new TrainingStepModel(this))
    , m_criteria(new TrainingCriterionModel(this)) {
    auto *bar = new QToolBar(this);
    bar->setObjectName(QStringLiteral("trainingToolbar"));
    auto *refresh = new QPushButton(tr("Refresh"), bar);
    refresh->setObjectName(QStringLiteral("trainingRefresh"));
    refresh->setToolTip(
        tr("Read the served rewards again (serve keeps logging while training runs)"));
    connect(refresh, &QPushButton::clicked, this, &TrainingPanel::reload);
    bar->addWidget(refresh);
    m_refine = new QPushButton(tr("Refine on This Step…"), bar);
    m_refine->setObjectName(QStringLiteral("trainingRefine"));
    m_refine->setToolTip(
        tr("Refine the rubrics by differentiation (RTD) on the responses served at the selected "
           "step: opens the RTD tab with that pool. Versions it saves are what the running "
           "serve rewards with next; it reads each prompt's newest version, no restart needed."));
    m_refine->setEnabled(false);
    connect(m_refine, &QPushButton::clicked, this, [this] {
        if (const auto step = selectedStep())
            Q_EMIT refineStepRequested(*step);
    });
    bar->addWidget(m_refine);
    m_checkButton = new QPushButton(tr("Panel check…"), bar);
    m_checkButton->setObjectName(QStringLiteral("trainingPanelCheck"));
    m_checkButton->setToolTip(
        tr("Ask other judge models, without the rubric, whether the selected step's top responses "
           "are really better than a median response of their prompt"));
    connect(m_checkButton, &QPushButton::clicked, this, &TrainingPanel::openPanelCheck);
    bar->addWidget(m_checkButton);
    m_status = new QLabel(bar);
    m_status->setContentsMargins(8, 0, 0, 0);
    bar->addWidget(m_status);

    m_stepView = trainingTable(m_steps, this);
    m_stepView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_stepView->setObjectName(QStringLiteral("trainingSteps"));
    m_criterionView = trainingTable(m_criteria, this);
    m_criterionView->setObjectName(QStringLiteral("trainingCriteria"));
    m_criterionView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    // The criterion's text takes the room left, so the table never scrolls sideways.
    m_criterionView->horizontalHeader()->setSectionResizeMode(TrainingCriterionModel::Text,
                                                              QHeaderView::Stretch);
    m_criterionView->setToolTip(
        tr("Select a criterion to draw its pass rate by step on the chart"));

    m_chart = new QChartView(this);
    m_chart->setRenderHint(QPainter::Antialiasing);
    m_chart->setMinimumSize(320, 220);
    rebuildChart();

    m_top = new QTextBrowser(this);
    m_top->setObjectName(QStringLiteral("trainingTop"));
    m_top->setOpenLinks(false);
    m_top->setPlaceholderText(tr("The top-rewarded responses of the selected step"));

    auto *upper = new QSplitter(Qt::Horizontal);
    upper->addWidget(m_stepView);
    upper->addWidget(m_chart);
    // The steps table needs about its columns' width; the chart, with its criterion line,
    // gets the rest.
    upper->setStretchFactor(0, 2);
    upper->setStretchFactor(1, 3);
    upper->setSizes({500, 760});
    auto *lower = new QSplitter(Qt::Horizontal);
    lower->addWidget(m_criterionView);
    lower->addWidget(m_top);
    lower->setStretchFactor(0, 3);
    lower->setStretchFactor(1, 2);
    lower->setSizes({560, 360});
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(upper);
    split->addWidget(lower);
    split->setSizes({420, 420});
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(bar);
    layout->addWidget(split, 1);

    connect(
        m_stepView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex &current) { showStep(current.isValid() ? current.row() : -1); });
    connect(m_criterionView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                const analytics::CriterionPassRate *c =
                    m_criteria->criterionAt(current.isValid() ? current.row() : -1);
                if (!c ||
                    (m_trend && m_trend->first == c->promptId && m_trend->second == c->stableId))
                    return;
                m_trend = std::make_pair(c->promptId, c->stableId);
                rebuildChart();
            });
    updateCheckButton();
}

void TrainingPanel::setController(JudgeController *controller) {
    m_controller = controller;
    updateCheckButton();
}

void TrainingPanel::updateCheckButton() {
    const std::optional<qint64> step = selectedStep();
    m_checkButton->setEnabled(m_controller && !m_path.isEmpty() && step && !m_running.count(*step));
}

void TrainingPanel::openPanelCheck() {
    const std::optional<qint64> step = selectedStep();
    if (!m_controller || !step)
        return;
    auto *dialog = new PanelCheckDialog(*m_controller->providers(), *step, kTopK, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    const qint64 s = *step;
    connect(dialog, &QDialog::accepted, this,
            [this, dialog, s] { startPanelCheck(s, dialog->panel()); });
    dialog->open();
}

JudgeJob *TrainingPanel::startPanelCheck(qint64 step, std::vector<llm::ProviderConfig> panel) {
    if (!m_controller || m_path.isEmpty() || panel.empty() || m_running.count(step))
        return nullptr;
    analytics::TopHackCheckOptions o;
    o.step = step;
    o.topK = kTopK;
    o.panel = panel;
    auto result =
        std::make_shared<Expected<analytics::TopHackCheck>>(makeError(QStringLiteral("not run")));
    JudgeJob *job = m_controller->startTask(tr("Panel check · step %1").arg(step), panel.front(),
                                            panelCheckTask(o, result));
    if (!job)
        return nullptr;
    m_running.insert(step);
    updateCheckButton();
    const QString path = m_path;
    // The job belongs to the controller and outlives this call; `this` as the context drops
    // the result if the tab goes first.
    connect(job, &JudgeJob::finished, this, [this, job, step, result, path] {
        m_running.erase(step);
        if (path != m_path)
            return; // another project was opened meanwhile
        if (*result)
            m_checks[step] = std::move(result->value());
        else
            m_status->setText(
                tr("Panel check of step %1 failed: %2")
                    .arg(step)
                    .arg(job->errorText().isEmpty() ? result->error().message : job->errorText()));
        updateCheckButton();
        if (selectedStep() == step)
            showStep(m_stepView->currentIndex().row());
        Q_EMIT panelCheckFinished(step);
    });
    return job;
}

const analytics::TopHackCheck *TrainingPanel::panelCheck(qint64 step) const {
    auto it = m_checks.find(step);
    return it == m_checks.end() ? nullptr : &it->second;
}

QString TrainingPanel::panelMark(qint64 step, qint64 servedId) const {
    const analytics::TopHackCheck *check = panelCheck(step);
    if (!check)
        return {};
    for (const analytics::TopHackResult &r : check->results) {
        if (r.pair.servedId != servedId)
            continue;
        const analytics::TopHackPair &p = r.pair;
        if (!p.planned())
            return tr("not checked: %1").arg(p.skipReason).toHtmlEscaped();
        // "#N" in the header is the served reward's id: the contrast is named as a response.
        const QString contrast =
            tr("response #%1 (%2, reward %3)")
                .arg(p.contrastResponseId)
                .arg(p.source == analytics::ContrastSource::StepMedian ? tr("median of the step")
                                                                       : tr("best unserved"))
                .arg(p.contrastReward, 0, 'f', 3);
        if (!r.checked)
            return (r.error.isEmpty() ? tr("not asked (cancelled)")
                                      : tr("panel failed: %1").arg(r.error))
                .toHtmlEscaped();
        const QString odds = tr("P(top better) %1").arg(r.preferenceTop, 0, 'f', 2);
        if (r.suspect)
            return QStringLiteral("<span style=\"color:#c0392b\"><b>%1</b></span> · %2")
                .arg(tr("SUSPECT: panel prefers %1").arg(contrast), odds);
        return QStringLiteral("%1 · %2 · %3")
            .arg(r.preferenceTop > 0.5 ? tr("panel agrees") : tr("panel ties"), odds,
                 tr("vs %1").arg(contrast));
    }
    return {}; // not among the top responses when the check ran
}

void TrainingPanel::showEvent(QShowEvent *event) {
    QWidget::showEvent(event);
    // Coming back to the tab shows what was served meanwhile.
    if (!m_loading && !m_path.isEmpty())
        reload();
}

void TrainingPanel::setProject(const QString &path) {
    m_path = path;
    m_checks.clear();
    m_running.clear(); // a check of the old project still finishes in the Jobs dock
    reload();
}

std::optional<qint64> TrainingPanel::selectedStep() const {
    const QModelIndex i = m_stepView->currentIndex();
    if (!i.isValid() || std::size_t(i.row()) >= m_steps->steps().size())
        return std::nullopt;
    return m_steps->steps()[std::size_t(i.row())].step;
}

void TrainingPanel::reload() {
    const quint64 generation = ++m_generation;
    if (m_path.isEmpty()) {
        m_loading = false;
        showStats({});
        m_status->clear();
        return;
    }
    m_loading = true;
    m_status->setText(tr("Reading served rewards…"));
    runDbQuery<analytics::TrainingStats>(
        this, m_path, [](store::Database &db) { return analytics::loadTrainingStats(db); },
        [this, generation](Expected<analytics::TrainingStats> result) {
            if (generation != m_generation)
                return; // a newer read is on its way
            m_loading = false;
            if (!result) {
                showStats({});
                m_status->setText(
                    tr("Cannot read the served rewards: %1").arg(result.error().message));
            } else {
                const analytics::TrainingStats &t = result.value();
                m_status->setText(
                    t.total == 0
                        ? tr("No served rewards yet: run `rubric-studio-cli serve` and point a "
                             "trainer at it")
                        : tr("%1 served rewards · %2 steps · %3 without a step")
                              .arg(t.total)
                              .arg(t.steps.size())
                              .arg(t.withoutStep));
                showStats(std::move(result.value()));
            }
            Q_EMIT loaded();
        });
}

void TrainingPanel::showStats(analytics::TrainingStats stats) {
    // Keep the step the user was reading across a refresh; else follow the newest step.
    const std::optional<qint64> previous = selectedStep();
    const bool wasLast = !previous || m_stepView->currentIndex().row() == m_steps->rowCount() - 1;
    m_steps->setSteps(std::move(stats.steps));
    rebuildChart();
    const auto &steps = m_steps->steps();
    int row = int(steps.size()) - 1;
    if (previous && !wasLast) {
        auto it = std::find_if(steps.begin(), steps.end(),
                               [&](const analytics::StepStats &s) { return s.step == *previous; });
        if (it != steps.end())
            row = int(it - steps.begin());
    }
    if (row >= 0)
        m_stepView->setCurrentIndex(m_steps->index(row, 0));
    showStep(row);
}

void TrainingPanel::showStep(int row) {
    const auto &steps = m_steps->steps();
    updateCheckButton();
    if (row < 0 || std::size_t(row) >= steps.size()) {
        m_refine->setEnabled(false);
        m_criteria->setCriteria({});
        m_top->clear();
        return;
    }
    const analytics::StepStats &s = steps[std::size_t(row)];
    m_refine->setEnabled(s.rewarded > 0); // nothing rewarded, nothing to refine on
    m_criteria->setCriteria(s.criteria);
    // The criterion whose trend is drawn stays selected from step to step (a step that did not
    // judge it selects nothing and keeps the curve).
    if (m_trend)
        if (const int r = m_criteria->rowOf(m_trend->first, m_trend->second); r >= 0)
            m_criterionView->setCurrentIndex(m_criteria->index(r, 0));
    QString html = QStringLiteral("<h3>%1</h3>").arg(tr("Top rewarded at step %1").arg(s.step));
    if (const analytics::TopHackCheck *c = panelCheck(s.step)) {
        QString summary = tr("Panel check (%1): %2 checked, %3 suspect, panel win rate %4")
                              .arg(c->models.join(QStringLiteral(" + ")))
                              .arg(c->checked)
                              .arg(c->suspect)
                              .arg(c->winRate ? QString::number(*c->winRate, 'f', 2) : tr("n/a"));
        if (c->cancelled)
            summary += tr(" (cancelled: the rest not asked)");
        html += QStringLiteral("<p><i>%1</i></p>").arg(summary.toHtmlEscaped());
    }
    for (const analytics::TopResponse &t : s.top) {
        const QString mark = panelMark(s.step, t.servedId);
        html +=
            QStringLiteral("<p><b>#%1 · reward %2</b> · prompt %3 · %4 chars%7<br>%5%6</p>")
                .arg(t.servedId)
                .arg(t.reward, 0, 'f', 3)
                .arg(t.promptId)
                .arg(t.length)
                .arg(t.excerpt.toHtmlEscaped().replace(QLatin1Char('\n'), QStringLiteral("<br>")),
                     t.length > t.excerpt.size() ? QStringLiteral("…") : QString(),
                     mark.isEmpty() ? QString() : QStringLiteral("<br>") + mark);
    }
    if (s.top.empty())
        html += QStringLiteral("<p>%1</p>").arg(tr("No rewarded response at this step."));
    m_top->setHtml(html);
}

void TrainingPanel::rebuildChart() {
    auto *chart = new QChart;
    chart->setTheme(Theme::isDark() ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->setTitle(tr("Reward by training step"));
    chart->legend()->setAlignment(Qt::AlignBottom);
    auto *mean = new QLineSeries(chart);
    mean->setName(tr("mean"));
    auto *p10 = new QLineSeries(chart);
    p10->setName(tr("p10"));
    auto *p90 = new QLineSeries(chart);
    p90->setName(tr("p90"));
    double lo = 0, hi = 1;
    qint64 first = 0, last = 1;
    const auto &steps = m_steps->steps();
    if (!steps.empty()) {
        lo = hi = steps.front().meanReward;
        first = steps.front().step;
        last = steps.back().step;
    }
    for (const analytics::StepStats &s : steps) {
        mean->append(double(s.step), s.meanReward);
        p10->append(double(s.step), s.p10);
        p90->append(double(s.step), s.p90);
        lo = std::min({lo, s.p10, s.meanReward});
        hi = std::max({hi, s.p90, s.meanReward});
    }
    std::vector<QLineSeries *> lines{p90, mean, p10};
    // The selected criterion's pass rate shares the [0, 1] axis with the reward: a criterion
    // racing to 100% while the reward climbs is where the policy found what the judge rewards.
    QLineSeries *trend = nullptr;
    if (m_trend) {
        const auto points = analytics::passRateTrend(steps, m_trend->first, m_trend->second);
        if (!points.empty()) {
            trend = new QLineSeries(chart);
            trend->setName(
                tr("pass rate: %1 (prompt %2)").arg(m_trend->second).arg(m_trend->first));
            for (const analytics::PassRatePoint &p : points)
                trend->append(double(p.step), p.passRate);
            trend->setPointsVisible(true);
            lines.push_back(trend);
            chart->setTitle(
                tr("Reward and the pass rate of %1 by training step").arg(m_trend->second));
        }
    }
    for (QLineSeries *s : lines)
        chart->addSeries(s);
    auto *x = new QValueAxis;
    x->setTitleText(tr("step"));
    x->setLabelFormat(QStringLiteral("%d"));
    x->setRange(double(first), double(std::max(last, first + 1)));
    x->applyNiceNumbers(); // ticks on round steps (0, 20, 40), not on fractions of the range
    auto *y = new QValueAxis;
    y->setTitleText(trend ? tr("reward · pass rate") : tr("reward"));
    // Rewards live in [0, 1]: a fixed frame shows drift honestly; a wider range still fits.
    y->setRange(std::min(0.0, lo), std::max(1.0, hi));
    y->setTickCount(6);
    y->setLabelFormat(QStringLiteral("%.1f"));
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    for (QLineSeries *s : lines) {
        s->attachAxis(x);
        s->attachAxis(y);
    }
    QPen thick = mean->pen();
    thick.setWidthF(2.5);
    mean->setPen(thick);
    for (QLineSeries *s : {p10, p90}) {
        QPen pen = s->pen();
        pen.setStyle(Qt::DashLine);
        pen.setWidthF(1.2);
        s->setPen(pen);
    }
    if (trend) {
        QPen pen = trend->pen();
        pen.setStyle(Qt::DotLine);
        pen.setWidthF(2.2);
        trend->setPen(pen);
    }
    QChart *old = m_chart->chart();
    m_chart->setChart(chart);
    delete old;
}

} // namespace rs::ui

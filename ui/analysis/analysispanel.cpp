#include "analysis/analysispanel.h"

#include "analysis/analysispage.h"
#include "analysis/theoryview.h"
#include "common/asynctask.h"
#include "judge/verdictgrid.h"
#include "verdicts/missingverdictsetting.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QToolBar>
#include <QVBoxLayout>

namespace rs::ui {

AnalysisPanel::AnalysisPanel(QWidget *parent)
    : QWidget(parent)
{
    QWidget *bar = createToolbar();

    m_families = new QListWidget(this);
    const QStringList names = {tr("Tail accuracy"),       tr("Top-tier separation"),
                               tr("Criterion discrimination"), tr("Style confound"),
                               tr("Judge reliability"),   tr("Over-optimisation"),
                               tr("Refinement timeline"), tr("Theory explorer")};
    m_families->addItems(names);
    m_families->setMaximumWidth(170);
    m_stack = new QStackedWidget(this);
    for (int i = 0; i < FamilyCount; ++i) {
        auto *page = new AnalysisPage(m_stack);
        connect(page, &AnalysisPage::pointActivated, this, &AnalysisPanel::pointActivated);
        m_stack->addWidget(page);
        m_pages.append(page);
    }
    connect(m_families, &QListWidget::currentRowChanged, m_stack, &QStackedWidget::setCurrentIndex);

    // Theory controls live on the theory page: they change only that page.
    auto *theoryBar = new QWidget;
    auto *theoryLayout = new QHBoxLayout(theoryBar);
    theoryLayout->setContentsMargins(0, 0, 0, 0);
    m_c = new QDoubleSpinBox(theoryBar);
    m_c->setRange(0.01, 1.0);
    m_c->setSingleStep(0.05);
    m_c->setDecimals(2);
    m_c->setValue(0.1);
    m_beta = new QDoubleSpinBox(theoryBar);
    m_beta->setRange(0.01, 10.0);
    m_beta->setSingleStep(0.05);
    m_beta->setDecimals(2);
    m_beta->setValue(0.2);
    theoryLayout->addWidget(new QLabel(tr("Mis-ranked share c:"), theoryBar));
    theoryLayout->addWidget(m_c);
    theoryLayout->addWidget(new QLabel(tr("beta for the table and sweep:"), theoryBar));
    theoryLayout->addWidget(m_beta);
    theoryLayout->addStretch(1);
    m_pages[Theory]->setControls(theoryBar);
    m_theoryDelay.setSingleShot(true);
    m_theoryDelay.setInterval(150);
    connect(&m_theoryDelay, &QTimer::timeout, this, &AnalysisPanel::computeTheory);
    connect(m_c, &QDoubleSpinBox::valueChanged, &m_theoryDelay, qOverload<>(&QTimer::start));
    connect(m_beta, &QDoubleSpinBox::valueChanged, &m_theoryDelay, qOverload<>(&QTimer::start));

    auto *split = new QSplitter(this);
    split->addWidget(m_families);
    split->addWidget(m_stack);
    split->setStretchFactor(1, 1);
    split->setSizes({170, 1000});
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(bar);
    layout->addWidget(split, 1);

    m_recompute.setSingleShot(true);
    m_recompute.setInterval(kRecomputeDelayMs);
    connect(&m_recompute, &QTimer::timeout, this, &AnalysisPanel::recompute);
    m_families->setCurrentRow(0);
    computeTheory();
}

AnalysisPanel::~AnalysisPanel()
{
    if (m_cancel)
        m_cancel->store(true);
}

QWidget *AnalysisPanel::createToolbar()
{
    // A toolbar rather than a row of widgets: what does not fit goes behind its extension
    // button instead of widening the tab. The tab widget is as wide as its widest page, and a
    // page wider than the room between the docks makes the main window shrink the docks, which
    // never grow back. The run boxes keep one width whatever the run names; the status line
    // below is cut rather than pushing (the whole text is its tooltip).
    auto *bar = new QToolBar(this);
    bar->setObjectName(QStringLiteral("analysisToolbar"));
    m_scope = new QComboBox(bar);
    m_scope->addItems({tr("Whole project"), tr("Current prompt")});
    m_runA = new QComboBox(bar);
    m_runA->addItem(tr("Latest run"), 0);
    m_runB = new QComboBox(bar);
    m_runB->addItem(tr("None"), 0);
    m_runB->setToolTip(
        tr("Compare with B: a second judge run beside run A, in every chart and table"));
    m_ties = new QComboBox(bar);
    m_ties->addItem(tr("Ties: wrong"), int(analytics::TiePolicy::Wrong));
    m_ties->setItemData(0, tr("A pair the rubric ties counts as wrong (the paper)"),
                        Qt::ToolTipRole);
    m_ties->addItem(tr("Ties: half"), int(analytics::TiePolicy::Half));
    m_ties->setItemData(1, tr("A pair the rubric ties earns half a point"), Qt::ToolTipRole);
    m_ties->setToolTip(tr("How a pair the rubric ties counts in tail accuracy"));
    auto *refresh = new QPushButton(tr("Recompute"), bar);
    for (QComboBox *box : {m_runA, m_runB}) {
        box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        box->setMinimumContentsLength(12);
    }
    bar->addWidget(new QLabel(tr("Scope: "), bar));
    bar->addWidget(m_scope);
    bar->addSeparator();
    bar->addWidget(new QLabel(tr("Run A: "), bar));
    bar->addWidget(m_runA);
    bar->addWidget(new QLabel(tr(" Compare with B: "), bar));
    bar->addWidget(m_runB);
    bar->addSeparator();
    bar->addWidget(m_ties);
    bar->addWidget(refresh);
    for (QComboBox *box : {m_scope, m_runA, m_runB, m_ties})
        connect(box, &QComboBox::activated, this, &AnalysisPanel::recompute);
    connect(refresh, &QPushButton::clicked, this, &AnalysisPanel::recompute);

    // Its own line under the bar, so it is seen whatever the bar shows.
    m_status = new QLabel(this);
    m_status->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_status->setMinimumWidth(1);
    auto *top = new QWidget(this);
    auto *layout = new QVBoxLayout(top);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(bar);
    layout->addWidget(m_status);
    return top;
}

AnalysisPage *AnalysisPanel::page(Family family) const
{
    return m_pages.value(family);
}

void AnalysisPanel::showFamily(Family family)
{
    m_families->setCurrentRow(family);
}

void AnalysisPanel::setProject(const QString &path)
{
    m_path = path;
    m_promptId = 0;
    if (m_path.isEmpty()) {
        recompute(); // empties the pages
        return;
    }
    // The first computation waits for the list of runs: without a run B, judge agreement
    // compares run A with the run before it, which only the list tells.
    fillRuns(true);
}

void AnalysisPanel::setCurrentPrompt(qint64 promptId)
{
    m_promptId = promptId;
    if (m_scope->currentIndex() == 1)
        scheduleRecompute();
}

void AnalysisPanel::setWholeProject(bool whole)
{
    m_scope->setCurrentIndex(whole ? 0 : 1);
    scheduleRecompute();
}

void AnalysisPanel::setCompareRun(qint64 runId)
{
    const int i = m_runB->findData(runId);
    if (i >= 0) {
        m_runB->setCurrentIndex(i);
    } else {
        // Not listed yet (the run list is read on a worker): keep the wish.
        m_runB->addItem(tr("run %1").arg(runId), runId);
        m_runB->setCurrentIndex(m_runB->count() - 1);
    }
    scheduleRecompute();
}

void AnalysisPanel::setMissingPolicy(judge::MissingPolicy policy)
{
    if (policy == m_missing)
        return;
    m_missing = policy;
    scheduleRecompute();
}

void AnalysisPanel::setTheory(double c, double beta)
{
    m_c->setValue(c);
    m_beta->setValue(beta);
    m_theoryDelay.start();
}

void AnalysisPanel::scheduleRecompute()
{
    m_recompute.start();
}

void AnalysisPanel::fillRuns(bool thenRecompute)
{
    if (m_path.isEmpty())
        return;
    runDbQuery<QList<judge::RunInfo>>(
        this, m_path, [](store::Database &db) { return judge::listRuns(db); },
        [this, thenRecompute](Expected<QList<judge::RunInfo>> runs) {
            if (!runs) {
                if (thenRecompute)
                    recompute(); // the metrics of the latest run still come
                return;
            }
            const qint64 a = m_runA->currentData().toLongLong();
            const qint64 b = m_runB->currentData().toLongLong();
            const qint64 previous = runBeforeA();
            m_runA->clear();
            m_runB->clear();
            m_runA->addItem(tr("Latest run"), 0);
            m_runB->addItem(tr("None"), 0);
            for (const judge::RunInfo &run : runs.value()) {
                const QString label = tr("run %1: %2").arg(run.id).arg(run.name);
                m_runA->addItem(label, run.id);
                m_runB->addItem(label, run.id);
            }
            m_runA->setCurrentIndex(std::max(0, m_runA->findData(a)));
            m_runB->setCurrentIndex(std::max(0, m_runB->findData(b)));
            if (thenRecompute)
                recompute();
            else if (runBeforeA() != previous && m_runB->currentData().toLongLong() == 0)
                scheduleRecompute(); // agreement now has a different run to compare with
        });
}

void AnalysisPanel::projectChanged()
{
    fillRuns(); // a judge run or an import may have added a run
    scheduleRecompute();
}

AnalysisRequest AnalysisPanel::request() const
{
    AnalysisRequest r;
    r.projectPath = m_path;
    r.runA = m_runA->currentData().toLongLong();
    r.runB = m_runB->currentData().toLongLong();
    r.promptId = m_scope->currentIndex() == 1 ? m_promptId : 0;
    r.options.ties = analytics::TiePolicy(m_ties->currentData().toInt());
    r.options.missing = m_missing;
    if (r.runB == 0)
        r.options.compareRunId = runBeforeA();
    return r;
}

qint64 AnalysisPanel::runBeforeA() const
{
    // The list holds "Latest run" first, then the runs newest first: run A's successor in
    // the list is the run before it.
    const int a = m_runA->currentIndex() == 0 ? 1 : m_runA->currentIndex();
    return a + 1 < m_runA->count() ? m_runA->itemData(a + 1).toLongLong() : 0;
}

void AnalysisPanel::recompute()
{
    m_recompute.stop();
    if (m_cancel)
        m_cancel->store(true); // the older computation stops at its next stage
    if (m_path.isEmpty()) {
        for (int i = 0; i < Theory; ++i)
            m_pages[i]->setSection({});
        m_status->clear();
        return;
    }
    const AnalysisRequest r = request();
    const quint64 generation = ++m_generation;
    auto cancel = std::make_shared<std::atomic_bool>(false);
    m_cancel = cancel;
    m_computing = true;
    m_status->setText(tr("Computing…"));
    for (int i = 0; i < Theory; ++i)
        m_pages[i]->setBusy(true);
    runAsync(
        this, queryPool(), [r, cancel] { return computeAnalysis(r, cancel.get()); },
        [this, generation](Expected<AnalysisResult> result) {
            if (generation != m_generation)
                return; // superseded
            m_computing = false;
            for (int i = 0; i < Theory; ++i)
                m_pages[i]->setBusy(false);
            if (!result) {
                m_status->setText(tr("Cannot compute the metrics: %1").arg(result.error().message));
                Q_EMIT computed();
                return;
            }
            const AnalysisResult &res = result.value();
            for (int i = 0; i < res.sections.size() && i < Theory; ++i)
                m_pages[i]->setSection(res.sections.at(i));
            m_status->setText(tr("Run %1 · %2 responses · %3 gold pairs · %4 · %5 ms")
                                  .arg(res.runA)
                                  .arg(res.responses)
                                  .arg(res.goldPairs)
                                  .arg(MissingVerdictSetting::description(m_missing))
                                  .arg(res.elapsedMs));
            m_status->setToolTip(m_status->text());
            Q_EMIT computed();
        });
}

void AnalysisPanel::computeTheory()
{
    const double c = m_c->value();
    const double beta = m_beta->value();
    const quint64 generation = ++m_theoryGeneration;
    runAsync(
        this, queryPool(), [c, beta] { return TheoryView::build(c, beta); },
        [this, generation](ReportSection section) {
            if (generation != m_theoryGeneration)
                return;
            m_pages[Theory]->setSection(section);
            Q_EMIT theoryComputed();
        });
}

ReportWriter AnalysisPanel::report() const
{
    ReportWriter writer(m_path.isEmpty() ? tr("(no project)") : QFileInfo(m_path).fileName());
    writer.setSubtitle(m_status->text());
    for (AnalysisPage *page : m_pages)
        if (!page->section().title.isEmpty())
            writer.addSection(page->section());
    return writer;
}

Expected<void> AnalysisPanel::exportReport(const QString &path) const
{
    const ReportWriter writer = report();
    return path.endsWith(QStringLiteral(".pdf"), Qt::CaseInsensitive) ? writer.writePdf(path)
                                                                       : writer.writeHtml(path);
}

void AnalysisPanel::exportReportWithDialog()
{
    QString filter;
    QString path = QFileDialog::getSaveFileName(
        this, tr("Export Report"), QStringLiteral("rubric-report.html"),
        tr("HTML report (*.html);;PDF report (*.pdf)"), &filter);
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += filter.contains(QStringLiteral("pdf")) ? QStringLiteral(".pdf")
                                                       : QStringLiteral(".html");
    const Expected<void> written = exportReport(path);
    m_status->setText(written ? tr("Report saved to %1").arg(path) : written.error().message);
}

} // namespace rs::ui

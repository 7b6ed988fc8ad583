// The verdict views over a project judged by the local LLM test server, offscreen: the
// Responses tab's heatmap shows what the file holds, the inspector follows the selected cell,
// an override typed with the keyboard changes the reward and undoes and redoes through the
// Edit menu, and the run selector switches runs.

#include "verdicts/cellinspector.h"
#include "demodata.h"
#include "responses/inspectorpanel.h"
#include "judge/scorereader.h"
#include "judgedproject.h"
#include "mainwindow.h"
#include "common/markdownview.h"
#include "project/projectedits.h"
#include "project/projectsession.h"
#include "navigator/promptlistmodel.h"
#include "navigator/promptnavigator.h"
#include "responses/responsespanel.h"
#include "responses/rewardbreakdownmodel.h"
#include "common/roles.h"
#include "verdicts/pyeslegend.h"
#include "verdicts/verdictgridmodel.h"
#include "verdicts/verdicttext.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QComboBox>
#include <QHash>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QUndoStack>

using namespace rs;
using namespace rs::ui;

namespace {
constexpr int kTimeoutMs = 30000;

struct Votes {
    int yes = 0;
    int no = 0;
    int failed = 0;
};

/// The judge's verdict per (response, stable id) of one run and prompt, straight from the file.
QHash<QPair<qint64, QString>, Votes> votesInFile(const QString &path, qint64 runId, qint64 promptId)
{
    QHash<QPair<qint64, QString>, Votes> out;
    auto db = store::Database::open(path, store::Database::Mode::ReadOnly);
    if (!db)
        return out;
    auto st = db->prepare("SELECT v.response_id, v.stable_id, v.verdict FROM verdicts v"
                          " JOIN responses r ON r.id = v.response_id"
                          " WHERE v.run_id = ?1 AND r.prompt_id = ?2");
    st->bind(1, std::int64_t(runId));
    st->bind(2, std::int64_t(promptId));
    while (st->step().value()) {
        Votes &v = out[{st->columnInt(0), st->columnText(1)}];
        const QString verdict = st->columnText(2);
        (verdict == QLatin1String("yes")  ? v.yes
         : verdict == QLatin1String("no") ? v.no
                                          : v.failed)++;
    }
    return out;
}

judge::CellState expectedState(const Votes &v)
{
    if (v.yes > v.no)
        return judge::CellState::Yes;
    if (v.no > v.yes)
        return judge::CellState::No;
    if (v.failed > 0)
        return judge::CellState::Failed;
    return v.yes + v.no > 0 ? judge::CellState::No : judge::CellState::Pending;
}

qint64 scalar(const QString &path, const char *sql)
{
    auto db = store::Database::open(path, store::Database::Mode::ReadOnly);
    return db ? db->scalar(sql).value() : -1;
}

} // namespace

class TestVerdictViews final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();

    void heatmap_showsTheRunsVerdictsRankedByReward();
    void inspector_followsTheSelectedCellAndRow();
    void keyboardOverride_changesRewardAndUndoRedoFollow();
    void runSelector_showsTheOlderRun();

private:
    void openAndSelectPrompt(MainWindow &window, const QString &path, int promptRow);

    QTemporaryDir m_dir;
    QString m_project;
    test::JudgedProject m_judged;
    QList<test::DemoPrompt> m_demo;
};

void TestVerdictViews::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("RubricStudioTests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_verdictviews"));
    QSettings().clear();
    QVERIFY(m_dir.isValid());
    m_project = m_dir.filePath(QStringLiteral("judged.rubrics"));
    m_judged = test::buildJudgedDemo(m_project);
    QVERIFY2(m_judged.error.isEmpty(), qPrintable(m_judged.error));
    QVERIFY(m_judged.runId > m_judged.jointRunId);
    m_demo = test::loadDemoData();
}

void TestVerdictViews::cleanup()
{
    QSettings().clear();
}

void TestVerdictViews::openAndSelectPrompt(MainWindow &window, const QString &path, int promptRow)
{
    window.setLayoutPersistent(false);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QSignalSpy opened(window.session(), &ProjectSession::projectOpened);
    window.session()->openProject(path);
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, kTimeoutMs);
    PromptNavigator *nav = window.navigator();
    QTRY_COMPARE_WITH_TIMEOUT(nav->model()->rowCount(), m_demo.size(), kTimeoutMs);
    nav->selectRow(promptRow);
    const qint64 promptId = nav->model()->promptIdAt(promptRow);
    ResponsesPanel *responses = window.responsesPanel();
    QTRY_VERIFY_WITH_TIMEOUT(responses->isSettled() && responses->promptId() == promptId &&
                                 responses->model()->runId() != 0,
                             kTimeoutMs);
}

void TestVerdictViews::heatmap_showsTheRunsVerdictsRankedByReward()
{
    MainWindow window;
    ResponsesPanel *responses = window.responsesPanel();
    QAbstractItemModelTester tester(responses->model(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester proxyTester(responses->proxy(),
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
    // Every prompt once: a grid per prompt, each checked against the file.
    for (int p = 0; p < m_demo.size(); ++p) {
        if (p == 0)
            openAndSelectPrompt(window, m_project, 0);
        else
            window.navigator()->selectRow(p);
        const qint64 promptId = window.navigator()->model()->promptIdAt(p);
        QTRY_VERIFY_WITH_TIMEOUT(responses->isSettled() && responses->promptId() == promptId,
                                 kTimeoutMs);
        VerdictGridModel *model = responses->model();
        const test::DemoPrompt &demo = m_demo[p];
        QCOMPARE(model->runId(), m_judged.runId);
        QCOMPARE(model->rowCount(), demo.responses.size());
        QCOMPARE(model->criterionCount(), demo.criteria.size());
        QCOMPARE(responses->table()->model()->columnCount(),
                 VerdictGridModel::FirstCriterionColumn + demo.criteria.size());
        QCOMPARE(responses->runSelector()->currentData().toLongLong(), m_judged.runId);

        const auto votes = votesInFile(m_project, m_judged.runId, promptId);
        int decided = 0;
        for (int row = 0; row < model->rowCount(); ++row) {
            const qint64 responseId = model->row(row).responseId;
            for (int c = 0; c < model->criterionCount(); ++c) {
                const QModelIndex cell =
                    model->index(row, VerdictGridModel::FirstCriterionColumn + c);
                const QString stableId = model->grid().criteria[c].stableId;
                const Votes v = votes.value({responseId, stableId});
                QCOMPARE(judge::CellState(cell.data(CellStateRole).toInt()), expectedState(v));
                QCOMPARE(cell.data(YesVotesRole).toInt(), v.yes);
                QCOMPARE(cell.data(NoVotesRole).toInt(), v.no);
                QCOMPARE(cell.data(FailedVotesRole).toInt(), v.failed);
                QCOMPARE(cell.data(Qt::ToolTipRole).toString().contains(demo.criteria[c].text),
                         true);
                decided += v.yes + v.no > 0;
            }
        }
        QVERIFY(decided > 0);

        // Rewards as the scorer computes them, ranked best first in the table.
        auto db = store::Database::open(m_project, store::Database::Mode::ReadOnly);
        judge::ScoreOptions options;
        options.runId = m_judged.runId;
        options.promptId = promptId;
        auto scores = judge::computeScores(db.value(), options);
        QVERIFY(scores.ok());
        QCOMPARE(int(scores->size()), model->rowCount());
        for (const judge::ResponseScore &s : scores.value()) {
            const int row = model->rowOfResponse(s.responseId);
            QVERIFY(row >= 0);
            QCOMPARE(model->index(row, 0).data(RewardRole).toDouble(), s.reward);
        }
        QSortFilterProxyModel *proxy = responses->proxy();
        for (int row = 1; row < proxy->rowCount(); ++row)
            QVERIFY(proxy->index(row - 1, 0).data(RewardRole).toDouble() >=
                    proxy->index(row, 0).data(RewardRole).toDouble());
        const double best = proxy->index(0, 0).data(RewardRole).toDouble();
        int atBest = 0;
        for (int row = 0; row < proxy->rowCount(); ++row)
            atBest += proxy->index(row, 0).data(RewardRole).toDouble() == best;
        for (int row = 0; row < proxy->rowCount(); ++row) {
            const bool tied =
                atBest > 1 && proxy->index(row, 0).data(RewardRole).toDouble() == best;
            QCOMPARE(proxy->index(row, VerdictGridModel::RankColumn).data(TiedAtTopRole).toBool(),
                     tied);
            QCOMPARE(
                proxy->index(row, VerdictGridModel::RankColumn).data(Qt::BackgroundRole).isValid(),
                tied);
        }
        QCOMPARE(responses->gridSummary()->text().contains(QLatin1String("tie@top")), atBest > 1);
    }
}

void TestVerdictViews::inspector_followsTheSelectedCellAndRow()
{
    MainWindow window;
    openAndSelectPrompt(window, m_project, 1);
    ResponsesPanel *responses = window.responsesPanel();
    InspectorPanel *inspector = window.inspector();
    QAbstractItemModelTester tester(inspector->breakdownModel(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    VerdictGridModel *model = responses->model();

    // A row: the reward breakdown adds up to the reward.
    QVERIFY(!inspector->showsCell());
    const int topSource = responses->proxy()->mapToSource(responses->proxy()->index(0, 0)).row();
    QCOMPARE(responses->currentResponseId(), model->row(topSource).responseId);
    RewardBreakdownModel *breakdown = inspector->breakdownModel();
    QCOMPARE(breakdown->rowCount(), model->criterionCount());
    double sum = 0;
    for (int c = 0; c < breakdown->rowCount(); ++c)
        sum += breakdown->contribution(c);
    QVERIFY(qAbs(sum - model->row(topSource).reward) < 1e-9);
    QVERIFY(
        inspector->breakdownSummary()->text().contains(rewardText(model->row(topSource).reward)));

    // A cell: criterion, verdict with its vote split, rationale, and the call read on a worker.
    CellInspector *cell = inspector->cellInspector();
    QSignalSpy callLoaded(cell, &CellInspector::callLoaded);
    const qint64 responseId = model->row(topSource).responseId;
    QVERIFY(responses->selectCell(responseId, 0));
    QVERIFY(inspector->showsCell());
    const judge::GridCell &gridCell = model->row(topSource).cells[0];
    QCOMPARE(cell->criterionLabel()->text(), model->grid().criteria[0].text);
    QVERIFY(cell->verdictLabel()->text().contains(verdictLine(gridCell)));
    QVERIFY(gridCell.callId != 0);
    QTRY_COMPARE_WITH_TIMEOUT(cell->shownCallId(), gridCell.callId, kTimeoutMs);
    QVERIFY(cell->callLabel()->text().contains(QLatin1String("attempt")));
    QVERIFY(cell->callLabel()->text().contains(QLatin1String("tokens")));
    QVERIFY(cell->rawAnswer()->toPlainText().contains(QLatin1String("criteria_met")) ||
            gridCell.state == judge::CellState::Failed);
    if (!gridCell.rationale.isEmpty())
        QCOMPARE(cell->rationaleLabel()->text(), gridCell.rationale);
    QVERIFY(cell->rawAnswer()->isHidden());
    cell->rawToggle()->click();
    QVERIFY(!cell->rawAnswer()->isHidden());

    // The arrow keys walk the grid and the inspector follows.
    responses->table()->setFocus();
    QTest::keyClick(responses->table(), Qt::Key_Right);
    QCOMPARE(model->criterionAt(
                 responses->proxy()->mapToSource(responses->table()->currentIndex()).column()),
             1);
    QCOMPARE(cell->criterionLabel()->text(), model->grid().criteria[1].text);
    QTest::keyClick(responses->table(), Qt::Key_Down);
    const int secondSource =
        responses->proxy()->mapToSource(responses->table()->currentIndex()).row();
    QCOMPARE(responses->currentResponseId(), model->row(secondSource).responseId);
    QVERIFY(window.inspector()->responseSummary().contains(model->row(secondSource).generator));
    // Back to the fact columns: the row again.
    for (int i = 0; i < 2 + VerdictGridModel::FirstCriterionColumn; ++i)
        QTest::keyClick(responses->table(), Qt::Key_Left);
    QVERIFY(!inspector->showsCell());
    QCOMPARE(breakdown->rowCount(), model->criterionCount());
}

void TestVerdictViews::keyboardOverride_changesRewardAndUndoRedoFollow()
{
    const QString path =
        test::copyProject(m_project, m_dir.filePath(QStringLiteral("override.rubrics")));
    QVERIFY(!path.isEmpty());
    MainWindow window;
    openAndSelectPrompt(window, path, 0);
    ResponsesPanel *responses = window.responsesPanel();
    VerdictGridModel *model = responses->model();
    QUndoStack *undo = window.session()->edits()->undoStack();
    auto *undoAction = window.findChild<QAction *>(QStringLiteral("undoAction"));
    auto *redoAction = window.findChild<QAction *>(QStringLiteral("redoAction"));
    QVERIFY(undoAction && redoAction);
    QCOMPARE(undoAction->shortcut(), QKeySequence(QKeySequence::Undo));

    // The heaviest criterion a response fails: overriding it to yes must raise its reward.
    int row = -1;
    int criterion = -1;
    for (int r = 0; r < model->rowCount() && row < 0; ++r)
        for (int c = 0; c < model->criterionCount(); ++c)
            if (model->row(r).cells[c].state == judge::CellState::No &&
                (criterion < 0 ||
                 model->grid().criteria[c].weight > model->grid().criteria[criterion].weight)) {
                row = r;
                criterion = c;
            }
    QVERIFY2(row >= 0, "no response fails a criterion of the first prompt");
    const qint64 responseId = model->row(row).responseId;
    const double before = model->row(row).reward;
    double totalWeight = 0;
    for (const judge::GridCriterion &c : model->grid().criteria)
        totalWeight += c.weight;
    const double expected = before + model->grid().criteria[criterion].weight / totalWeight;
    const QString stableId = model->grid().criteria[criterion].stableId;

    // Select the cell, type a note in the inspector, press Y in the table.
    QVERIFY(responses->selectCell(responseId, criterion));
    QLineEdit *note = window.inspector()->cellInspector()->noteEdit();
    QTest::keyClicks(note, QStringLiteral("checked by hand"));
    responses->table()->setFocus();
    QTest::keyClick(responses->table(), Qt::Key_Y);
    QCOMPARE(undo->count(), 1);
    QCOMPARE(undo->text(0),
             QStringLiteral("Override %1 on response %2 to yes").arg(stableId).arg(responseId));
    const auto cellState = [&] {
        return judge::CellState(
            model->row(model->rowOfResponse(responseId)).cells[criterion].state);
    };
    const auto reward = [&] { return model->row(model->rowOfResponse(responseId)).reward; };
    QTRY_COMPARE_WITH_TIMEOUT(cellState(), judge::CellState::OverriddenYes, kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(!window.session()->edits()->isBusy(), kTimeoutMs);
    QVERIFY(qAbs(reward() - expected) < 1e-9);
    QVERIFY(note->text().isEmpty()); // the note went with the override
    QCOMPARE(scalar(path, "SELECT count(*) FROM overrides WHERE reverted_at IS NULL"), 1);
    QCOMPARE(scalar(path, "SELECT count(*) FROM overrides WHERE note = 'checked by hand'"), 1);
    // The cell stayed current through the reload, and the inspector shows the override.
    QCOMPARE(responses->proxy()->mapToSource(responses->table()->currentIndex()),
             model->index(model->rowOfResponse(responseId),
                          VerdictGridModel::FirstCriterionColumn + criterion));
    QTRY_VERIFY_WITH_TIMEOUT(window.inspector()->cellInspector()->overrideLabel()->text().contains(
                                 QLatin1String("checked by hand")),
                             kTimeoutMs);

    // Undo through the Edit menu's action: the judge's verdict and the old reward come back.
    undoAction->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(cellState(), judge::CellState::No, kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(!window.session()->edits()->isBusy(), kTimeoutMs);
    QCOMPARE(reward(), before);
    QCOMPARE(scalar(path, "SELECT count(*) FROM overrides WHERE reverted_at IS NULL"), 0);
    QCOMPARE(scalar(path, "SELECT count(*) FROM overrides"), 1); // kept on record

    // Redo: the same override is live again (restored, not written anew).
    redoAction->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(cellState(), judge::CellState::OverriddenYes, kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(!window.session()->edits()->isBusy(), kTimeoutMs);
    QVERIFY(qAbs(reward() - expected) < 1e-9);
    QCOMPARE(scalar(path, "SELECT count(*) FROM overrides"), 1);
    QCOMPARE(scalar(path, "SELECT count(*) FROM overrides WHERE reverted_at IS NULL"), 1);

    // N then Delete in quick succession, before the grid has shown either: the queue keeps
    // them in order and each undo restores exactly the state before it.
    QTest::keyClick(responses->table(), Qt::Key_N);
    QTest::keyClick(responses->table(), Qt::Key_Delete);
    QTRY_COMPARE_WITH_TIMEOUT(cellState(), judge::CellState::No, kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(!window.session()->edits()->isBusy(), kTimeoutMs);
    QCOMPARE(undo->count(), 3);
    QCOMPARE(undo->text(2),
             QStringLiteral("Clear override of %1 on response %2").arg(stableId).arg(responseId));
    QCOMPARE(scalar(path, "SELECT count(*) FROM overrides WHERE reverted_at IS NULL"), 0);
    undo->undo(); // the clear
    QTRY_COMPARE_WITH_TIMEOUT(cellState(), judge::CellState::OverriddenNo, kTimeoutMs);
    undo->undo(); // the no
    QTRY_COMPARE_WITH_TIMEOUT(cellState(), judge::CellState::OverriddenYes, kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(!window.session()->edits()->isBusy(), kTimeoutMs);
    QVERIFY(qAbs(reward() - expected) < 1e-9);
    QCOMPARE(scalar(path, "SELECT count(*) FROM overrides WHERE reverted_at IS NULL"), 1);
    QCOMPARE(scalar(path, "SELECT count(*) FROM overrides WHERE reverted_at IS NULL AND verdict"
                          " = 'yes' AND note = 'checked by hand'"),
             1);

    // Pressing Y again on a cell already set to yes by hand changes nothing (the two undone
    // commands stay redoable).
    QTest::keyClick(responses->table(), Qt::Key_Y);
    QCOMPARE(undo->count(), 3);
    QCOMPARE(undo->index(), 1);
}

void TestVerdictViews::runSelector_showsTheOlderRun()
{
    MainWindow window;
    openAndSelectPrompt(window, m_project, 2);
    ResponsesPanel *responses = window.responsesPanel();
    VerdictGridModel *model = responses->model();
    QComboBox *runs = responses->runSelector();
    QCOMPARE(runs->count(), 2);
    QCOMPARE(runs->itemData(0).toLongLong(), m_judged.runId);
    QCOMPARE(runs->itemData(1).toLongLong(), m_judged.jointRunId);

    QSignalSpy loaded(model, &VerdictGridModel::loaded);
    runs->setCurrentIndex(1);
    Q_EMIT runs->activated(1);
    QTRY_VERIFY_WITH_TIMEOUT(!model->isLoading() && model->runId() == m_judged.jointRunId,
                             kTimeoutMs);
    const qint64 promptId = responses->promptId();
    const auto votes = votesInFile(m_project, m_judged.jointRunId, promptId);
    for (int row = 0; row < model->rowCount(); ++row)
        for (int c = 0; c < model->criterionCount(); ++c) {
            const judge::GridCell &cell = model->row(row).cells[c];
            QCOMPARE(cell.state, expectedState(votes.value({model->row(row).responseId,
                                                            model->grid().criteria[c].stableId})));
            // One call for all criteria gives no reasons; a failed call (the server injects
            // faults, and which call gets one depends on arrival order) keeps its error instead.
            if (cell.failedVotes == 0)
                QVERIFY(cell.rationale.isEmpty());
            else
                QVERIFY(!cell.rationale.isEmpty());
        }
    // Another prompt keeps the chosen run.
    window.navigator()->selectRow(3);
    QTRY_VERIFY_WITH_TIMEOUT(responses->isSettled() &&
                                 responses->promptId() ==
                                     window.navigator()->model()->promptIdAt(3),
                             kTimeoutMs);
    QCOMPARE(model->runId(), m_judged.jointRunId);
}

QTEST_MAIN(TestVerdictViews)
#include "tst_verdictviews.moc"

// The Compare tab over a judged project, offscreen: two responses chosen in the Responses
// table open side by side with their verdicts aligned per criterion, a word diff with its
// insertions and deletions marked, proportional scroll sync, and a gold preference recorded
// (and undone) by hand. With RS_SCREENSHOT_DIR set it also saves pictures of the judged views.

#include "verdicts/cellinspector.h"
#include "compare/comparepanel.h"
#include "compare/compareverdictmodel.h"
#include "demodata.h"
#include "responses/inspectorpanel.h"
#include "judgedproject.h"
#include "mainwindow.h"
#include "common/markdownview.h"
#include "compare/pairdiffpane.h"
#include "project/projectedits.h"
#include "project/projectsession.h"
#include "navigator/promptlistmodel.h"
#include "navigator/promptnavigator.h"
#include "compare/responsechoicemodel.h"
#include "responses/responsespanel.h"
#include "common/roles.h"
#include "common/scrollsync.h"
#include "verdicts/verdictgridmodel.h"
#include "verdicts/verdicttext.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QScrollBar>
#include <QSet>
#include <QSettings>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QTextBrowser>
#include <QToolButton>
#include <QUndoStack>

using namespace rs;
using namespace rs::ui;

namespace {
constexpr int kTimeoutMs = 30000;

qint64 scalar(const QString &path, const char *sql)
{
    auto db = store::Database::open(path, store::Database::Mode::ReadOnly);
    return db ? db->scalar(sql).value() : -1;
}

/// Which kinds of highlight the diff view's document carries.
struct Highlights {
    int inserted = 0;
    int deleted = 0;
};

Highlights highlightsIn(const QTextDocument &doc)
{
    Highlights h;
    for (QTextBlock block = doc.begin(); block.isValid(); block = block.next())
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextCharFormat format = it.fragment().charFormat();
            if (format.fontStrikeOut() && format.background().color() == QColor(0xf7, 0xcd, 0xcd))
                ++h.deleted;
            else if (format.background().color() == QColor(0xc8, 0xef, 0xc4))
                ++h.inserted;
        }
    return h;
}

} // namespace

class TestCompareView final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();

    void scrollSync_movesOthersByProportion();
    void compareSelected_showsResponsesVerdictsAndDiff();
    void choices_keepAtMostFourAndFollowThePrompt();
    void preferenceButtons_recordAndUndoAGoldLabel();
    void screenshots_ofTheJudgedViews();

private:
    void openAndSelectPrompt(MainWindow &window, const QString &path, int promptRow);
    void compareTopRows(MainWindow &window, int rows);

    QTemporaryDir m_dir;
    QString m_project;
    test::JudgedProject m_judged;
    QList<test::DemoPrompt> m_demo;
};

void TestCompareView::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("RubricStudioTests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_compareview"));
    QSettings().clear();
    QVERIFY(m_dir.isValid());
    m_project = m_dir.filePath(QStringLiteral("judged.rubrics"));
    m_judged = test::buildJudgedDemo(m_project);
    QVERIFY2(m_judged.error.isEmpty(), qPrintable(m_judged.error));
    m_demo = test::loadDemoData();
}

void TestCompareView::cleanup()
{
    QSettings().clear();
}

void TestCompareView::openAndSelectPrompt(MainWindow &window, const QString &path, int promptRow)
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

void TestCompareView::compareTopRows(MainWindow &window, int rows)
{
    ResponsesPanel *responses = window.responsesPanel();
    QItemSelectionModel *selection = responses->table()->selectionModel();
    selection->clearSelection();
    for (int row = 0; row < rows; ++row)
        selection->select(responses->proxy()->index(row, VerdictGridModel::GeneratorColumn),
                          QItemSelectionModel::Select | QItemSelectionModel::Rows);
    QCOMPARE(responses->selectedResponseIds().size(), rows);
    QVERIFY(responses->compareAction()->isEnabled());
    responses->compareAction()->trigger();
    QCOMPARE(window.tabs()->currentWidget(), window.comparePanel());
}

void TestCompareView::scrollSync_movesOthersByProportion()
{
    QScrollBar a(Qt::Vertical);
    QScrollBar b(Qt::Vertical);
    QScrollBar c(Qt::Vertical);
    a.setRange(0, 1000);
    b.setRange(0, 200);
    c.setRange(0, 0); // a short text that does not scroll
    ScrollSync sync;
    sync.setScrollBars({&a, &b, &c});
    a.setValue(500);
    QCOMPARE(b.value(), 100);
    QCOMPARE(c.value(), 0);
    b.setValue(200);
    QCOMPARE(a.value(), 1000);
    b.setValue(0);
    QCOMPARE(a.value(), 0);
    sync.setScrollBars({&a});
    a.setValue(300);
    QCOMPARE(b.value(), 0); // no longer in the set
}

void TestCompareView::compareSelected_showsResponsesVerdictsAndDiff()
{
    MainWindow window;
    ComparePanel *compare = window.comparePanel();
    QAbstractItemModelTester choiceTester(compare->choiceModel(),
                                          QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester verdictTester(compare->verdictModel(),
                                           QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QString path =
        test::copyProject(m_project, m_dir.filePath(QStringLiteral("compare.rubrics")));
    QVERIFY(!path.isEmpty());
    openAndSelectPrompt(window, path, 0);
    ResponsesPanel *responses = window.responsesPanel();
    VerdictGridModel *grid = responses->model();
    PairDiffPane *diff = compare->diffPane();
    QSignalSpy diffShown(diff, &PairDiffPane::diffShown);

    compareTopRows(window, 2);
    const QList<qint64> ids = {responses->proxy()->index(0, 0).data(ResponseIdRole).toLongLong(),
                               responses->proxy()->index(1, 0).data(ResponseIdRole).toLongLong()};
    QCOMPARE(compare->chosen(), ids);
    QCOMPARE(compare->choiceModel()->rowCount(), grid->rowCount());

    // Side by side: each reader shows its response.
    const QList<MarkdownView *> readers = compare->readers();
    QCOMPARE(readers.size(), 2);
    for (int i = 0; i < 2; ++i)
        QCOMPARE(readers[i]->markdown(), grid->record(grid->rowOfResponse(ids[i])).text);

    // Verdicts aligned per criterion, the rewards in the headers.
    CompareVerdictModel *verdicts = compare->verdictModel();
    QCOMPARE(verdicts->rowCount(), grid->criterionCount());
    QCOMPARE(verdicts->columnCount(), CompareVerdictModel::FirstResponseColumn + 2);
    for (int i = 0; i < 2; ++i) {
        const judge::GridRow &row = grid->row(grid->rowOfResponse(ids[i]));
        const int column = CompareVerdictModel::FirstResponseColumn + i;
        QVERIFY(verdicts->headerData(column, Qt::Horizontal)
                    .toString()
                    .contains(rewardText(row.reward)));
        for (int c = 0; c < grid->criterionCount(); ++c) {
            const QModelIndex index = verdicts->index(c, column);
            QCOMPARE(index.data(CellStateRole).toInt(), int(row.cells[c].state));
            QCOMPARE(index.data(CriterionIdRole).toString(), grid->grid().criteria[c].stableId);
            if (!row.cells[c].rationale.isEmpty())
                QCOMPARE(index.data().toString(), row.cells[c].rationale);
        }
    }
    for (int c = 0; c < grid->criterionCount(); ++c)
        QCOMPARE(verdicts->index(c, CompareVerdictModel::CriterionColumn).data().toString(),
                 grid->grid().criteria[c].text);

    // The word diff of the pair, left → right, with both kinds of highlight.
    QTRY_VERIFY_WITH_TIMEOUT(!diffShown.isEmpty(), kTimeoutMs);
    QCOMPARE(diff->leftId(), ids[0]);
    QCOMPARE(diff->rightId(), ids[1]);
    const Highlights h = highlightsIn(*diff->diffView()->document());
    QVERIFY(h.inserted > 0);
    QVERIFY(h.deleted > 0);
    QVERIFY(diff->statsLabel()->text().contains(QLatin1String("in common")));

    // Swapping the pair recomputes the diff the other way round.
    diffShown.clear();
    QVERIFY(diff->setPair(1, 0));
    QTRY_VERIFY_WITH_TIMEOUT(!diffShown.isEmpty(), kTimeoutMs);
    QCOMPARE(diffShown.last().at(0).toLongLong(), ids[1]);

    // A verdict picked in the table is the inspector's cell; overriding it there updates the
    // aligned rows.
    const QModelIndex picked = verdicts->index(1, CompareVerdictModel::FirstResponseColumn + 1);
    compare->verdictTable()->setCurrentIndex(picked);
    QVERIFY(window.inspector()->showsCell());
    CellInspector *cell = window.inspector()->cellInspector();
    QCOMPARE(cell->criterionLabel()->text(), grid->grid().criteria[1].text);
    QCOMPARE(responses->currentResponseId(), ids[1]);
    const bool wasMet = isMet(judge::CellState(picked.data(CellStateRole).toInt()));
    QPushButton *button = wasMet ? cell->noButton() : cell->yesButton();
    QVERIFY(button->isEnabled());
    button->click();
    QTRY_COMPARE_WITH_TIMEOUT(
        judge::CellState(verdicts->index(1, CompareVerdictModel::FirstResponseColumn + 1)
                             .data(CellStateRole)
                             .toInt()),
        wasMet ? judge::CellState::OverriddenNo : judge::CellState::OverriddenYes, kTimeoutMs);
    QCOMPARE(compare->readers().size(), 2); // the comparison stays put
    QTRY_VERIFY_WITH_TIMEOUT(!window.session()->edits()->isBusy(), kTimeoutMs);

    // Scrolling one reader scrolls the other to the same place in proportion.
    QScrollBar *first = readers[0]->verticalScrollBar();
    QScrollBar *second = readers[1]->verticalScrollBar();
    QCOMPARE(compare->scrollSync()->scrollBars().size(), 2);
    if (first->maximum() > 0 && second->maximum() > 0) {
        first->setValue(first->maximum());
        QCOMPARE(second->value(), second->maximum());
        first->setValue(0);
        QCOMPARE(second->value(), 0);
    }
}

void TestCompareView::choices_keepAtMostFourAndFollowThePrompt()
{
    MainWindow window;
    ComparePanel *compare = window.comparePanel();
    QAbstractItemModelTester choiceTester(compare->choiceModel(),
                                          QAbstractItemModelTester::FailureReportingMode::QtTest);
    openAndSelectPrompt(window, m_project, 0);
    ResponseChoiceModel *choices = compare->choiceModel();
    QVERIFY(choices->rowCount() >= 5);
    for (int row = 0; row < 5; ++row)
        QVERIFY(choices->setData(choices->index(row), Qt::Checked, Qt::CheckStateRole));
    // The fifth check dropped the first one.
    QCOMPARE(choices->chosen().size(), ResponseChoiceModel::kMaxChosen);
    QCOMPARE(choices->index(0).data(Qt::CheckStateRole).value<Qt::CheckState>(), Qt::Unchecked);
    QCOMPARE(choices->index(4).data(Qt::CheckStateRole).value<Qt::CheckState>(), Qt::Checked);
    QCOMPARE(compare->readers().size(), 4);
    QCOMPARE(compare->verdictModel()->columnCount(), CompareVerdictModel::FirstResponseColumn + 4);

    // Unchecking down to one leaves nothing to compare.
    for (int row = 1; row < 4; ++row)
        QVERIFY(choices->setData(choices->index(row), Qt::Unchecked, Qt::CheckStateRole));
    QCOMPARE(choices->chosen().size(), 1);
    QCOMPARE(compare->readers().size(), 0);

    // Another prompt starts afresh.
    choices->setData(choices->index(0), Qt::Checked, Qt::CheckStateRole);
    QCOMPARE(choices->chosen().size(), 2);
    window.navigator()->selectRow(1);
    QTRY_VERIFY_WITH_TIMEOUT(window.responsesPanel()->isSettled() &&
                                 window.responsesPanel()->promptId() ==
                                     window.navigator()->model()->promptIdAt(1),
                             kTimeoutMs);
    QVERIFY(choices->chosen().isEmpty());
    QCOMPARE(choices->rowCount(), m_demo[1].responses.size());
}

void TestCompareView::preferenceButtons_recordAndUndoAGoldLabel()
{
    const QString path =
        test::copyProject(m_project, m_dir.filePath(QStringLiteral("preference.rubrics")));
    QVERIFY(!path.isEmpty());
    MainWindow window;
    openAndSelectPrompt(window, path, 3);
    compareTopRows(window, 2);
    PairDiffPane *diff = window.comparePanel()->diffPane();
    QSignalSpy recorded(diff, &PairDiffPane::recordedShown);
    QTRY_VERIFY_WITH_TIMEOUT(diff->recordedLabel()->text().contains(QLatin1String("none recorded")),
                             kTimeoutMs);
    const qint64 left = diff->leftId();
    const qint64 right = diff->rightId();

    QVERIFY(diff->preferRightButton()->isEnabled());
    diff->preferRightButton()->click();
    QTRY_COMPARE_WITH_TIMEOUT(scalar(path, "SELECT count(*) FROM preferences"), 1, kTimeoutMs);
    auto db = store::Database::open(path, store::Database::Mode::ReadOnly);
    auto st = db->prepare(
        "SELECT prompt_id, response_a, response_b, preference, source FROM preferences");
    QVERIFY(st->step().value());
    QCOMPARE(st->columnInt(0), window.responsesPanel()->promptId());
    QCOMPARE(st->columnInt(1), left);
    QCOMPARE(st->columnInt(2), right);
    QCOMPARE(st->columnDouble(3), 1.0); // B (right) is better
    QCOMPARE(st->columnText(4), QStringLiteral("human"));
    QTRY_VERIFY_WITH_TIMEOUT(diff->recordedLabel()->text().contains(QLatin1String("right 1")),
                             kTimeoutMs);

    QUndoStack *undo = window.session()->edits()->undoStack();
    QCOMPARE(undo->text(0), QStringLiteral("Prefer response %1 over %2").arg(right).arg(left));
    undo->undo();
    QTRY_COMPARE_WITH_TIMEOUT(scalar(path, "SELECT count(*) FROM preferences"), 0, kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(diff->recordedLabel()->text().contains(QLatin1String("none recorded")),
                             kTimeoutMs);

    // A tie, seen from the other side: the pair swapped still counts it once.
    diff->tieButton()->click();
    QTRY_COMPARE_WITH_TIMEOUT(
        scalar(path, "SELECT count(*) FROM preferences WHERE preference = 0.5"), 1, kTimeoutMs);
    QVERIFY(diff->setPair(1, 0));
    QTRY_VERIFY_WITH_TIMEOUT(diff->recordedLabel()->text().contains(QLatin1String("tie 1")),
                             kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(!window.session()->edits()->isBusy(), kTimeoutMs);
}

void TestCompareView::screenshots_ofTheJudgedViews()
{
    const QString outDir = qEnvironmentVariable("RS_SCREENSHOT_DIR");
    if (outDir.isEmpty())
        QSKIP("set RS_SCREENSHOT_DIR to save pictures of the judged views");
    const QString path =
        test::copyProject(m_project, m_dir.filePath(QStringLiteral("screenshot.rubrics")));
    MainWindow window;
    window.resize(MainWindow::kDefaultSize);
    // The prompt whose rewards spread most, preferring one with a tie at the top.
    int promptRow = 0;
    int bestScore = -1;
    openAndSelectPrompt(window, path, 0);
    ResponsesPanel *responses = window.responsesPanel();
    for (int p = 0; p < m_demo.size(); ++p) {
        window.navigator()->selectRow(p);
        QTRY_VERIFY_WITH_TIMEOUT(responses->isSettled() &&
                                     responses->promptId() ==
                                         window.navigator()->model()->promptIdAt(p),
                                 kTimeoutMs);
        // Spread rewards, a tie at the top, a failed verdict and a split vote make the picture.
        QSet<double> rewards;
        bool failed = false;
        bool split = false;
        for (int row = 0; row < responses->model()->rowCount(); ++row) {
            rewards.insert(responses->model()->row(row).reward);
            for (const judge::GridCell &cell : responses->model()->row(row).cells) {
                failed = failed || cell.state == judge::CellState::Failed;
                split = split || (cell.yesVotes > 0 && cell.noVotes + cell.failedVotes > 0);
            }
        }
        const int score = int(rewards.size()) * 2 + (responses->model()->tiedAtTopCount() > 1) +
                          3 * failed + split;
        if (score > bestScore) {
            bestScore = score;
            promptRow = p;
        }
    }
    window.navigator()->selectRow(promptRow);
    QTRY_VERIFY_WITH_TIMEOUT(responses->isSettled() &&
                                 responses->promptId() ==
                                     window.navigator()->model()->promptIdAt(promptRow),
                             kTimeoutMs);
    VerdictGridModel *grid = responses->model();

    // A human override with a note: the best-ranked response that fails a criterion passes
    // it after all.
    qint64 secondId = 0;
    int flip = -1;
    for (int row = 0; row < responses->proxy()->rowCount() && flip < 0; ++row) {
        const judge::GridRow &r =
            grid->row(responses->proxy()->mapToSource(responses->proxy()->index(row, 0)).row());
        for (int c = 0; c < grid->criterionCount() && flip < 0; ++c)
            if (r.cells[c].state == judge::CellState::No) {
                secondId = r.responseId;
                flip = c;
            }
    }
    QVERIFY(flip >= 0);
    QVERIFY(responses->selectCell(secondId, flip));
    window.inspector()->cellInspector()->noteEdit()->setText(QString());
    QTest::keyClicks(window.inspector()->cellInspector()->noteEdit(),
                     QStringLiteral("Covers it in the second paragraph"));
    QTest::keyClick(responses->table(), Qt::Key_Y);
    QTRY_VERIFY_WITH_TIMEOUT(
        isOverridden(grid->row(grid->rowOfResponse(secondId)).cells[flip].state), kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(!window.session()->edits()->isBusy() && !grid->isLoading(),
                             kTimeoutMs);
    const int top = responses->proxy()->mapToSource(responses->proxy()->index(0, 0)).row();
    const qint64 topId = grid->row(top).responseId;
    QVERIFY(responses->selectCell(topId, qMin(1, grid->criterionCount() - 1)));
    CellInspector *cell = window.inspector()->cellInspector();
    QTRY_VERIFY_WITH_TIMEOUT(cell->shownCallId() != 0, kTimeoutMs);
    cell->rawToggle()->click();
    QCoreApplication::processEvents();
    QDir().mkpath(outDir);
    const QString verdicts = QDir(outDir).filePath(QStringLiteral("screenshot-verdicts.png"));
    QVERIFY(window.grab().save(verdicts, "PNG"));

    // The two best responses side by side.
    QSignalSpy diffShown(window.comparePanel()->diffPane(), &PairDiffPane::diffShown);
    compareTopRows(window, 2);
    QTRY_VERIFY_WITH_TIMEOUT(!diffShown.isEmpty(), kTimeoutMs);
    window.comparePanel()->verdictTable()->selectRow(0);
    QCoreApplication::processEvents();
    const QString comparison = QDir(outDir).filePath(QStringLiteral("screenshot-compare.png"));
    QVERIFY(window.grab().save(comparison, "PNG"));
    qInfo("saved %s and %s", qPrintable(verdicts), qPrintable(comparison));
}

QTEST_MAIN(TestCompareView)
#include "tst_compareview.moc"

// The Rubric tab's Aggregation pane over a judged project of AlpacaEval answers
// (tests/core/aggregationproject.h): it fills on a worker with the numbers a plain
// re-implementation gives, follows the prompt, and "Use for this rubric" stores a new version
// whose aggregation is the chosen one and whose criteria are unchanged; another prompt
// brings its own rows. With
// RS_AGGREGATION_SCREENSHOT=FILE.png it also saves a picture of the tab.
#include "../core/aggregationplain.h"
#include "analysis/chartpanel.h"
#include "common/roles.h"
#include "judge/aggregationjson.h"
#include "mainwindow.h"
#include "project/projectsession.h"
#include "rubric/aggregationcandidatemodel.h"
#include "rubric/aggregationpane.h"
#include "rubric/aggregationresponsemodel.h"
#include "rubric/rubricdraft.h"
#include "rubric/rubricpanel.h"
#include "rubric/rubricversions.h"
#include "rubric/versionhistorypane.h"
#include "rubric/versionlistmodel.h"

#include <QAbstractItemModelTester>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QUndoStack>

using namespace rs;
using namespace rs::ui;

namespace {

constexpr int kTimeoutMs = 60000;

int rowNamed(const AggregationCandidateModel &m, const QString &name) {
    for (int r = 0; r < m.rowCount(); ++r)
        if (m.candidateAt(r)->candidate.name == name)
            return r;
    return -1;
}

} // namespace

class TestAggregationPane final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("RubricStudioTests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_aggregationpane"));
        QSettings().clear();
    }

    void pane_fillsWithPlainNumbers_andUseStoresTheAggregation() {
        auto p = test::aggregationProject(test::Corpus::Fixture);
        p->store.reset();                           // the window opens the project itself
        const qint64 promptId = p->prompts.front(); // stored: weighted_sum, veto cap 0.2

        MainWindow window;
        window.setLayoutPersistent(false);
        window.resize(1920, 1080);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy opened(window.session(), &ProjectSession::projectOpened);
        window.session()->openProject(p->path);
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, kTimeoutMs);
        RubricPanel *panel = window.rubricPanel();
        window.tabs()->setCurrentWidget(panel);
        panel->setPrompt(promptId);
        QTRY_VERIFY_WITH_TIMEOUT(panel->draft() && panel->draft()->promptId() == promptId,
                                 kTimeoutMs);

        AggregationPane *pane = panel->aggregation();
        QSignalSpy computed(pane, &AggregationPane::computed);
        panel->sideTabs()->setCurrentWidget(pane); // shown: the preview starts
        AggregationCandidateModel *candidates = pane->candidateModel();
        QTRY_VERIFY_WITH_TIMEOUT(candidates->rowCount() == 7 && computed.count() >= 1, kTimeoutMs);
        QAbstractItemModelTester ct(candidates,
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester rt(pane->responseModel(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);

        // Current first and marked; each row's AUC and advantage gap as computed by hand.
        QCOMPARE(candidates->index(0, 0).data(CurrentAggregationRole).toBool(), true);
        QCOMPARE(candidates->index(1, 0).data(CurrentAggregationRole).toBool(), false);
        for (int r = 0; r < candidates->rowCount(); ++r) {
            const auto &spec = candidates->candidateAt(r)->candidate.spec;
            const test::Want want =
                test::expectedFor(*p, spec ? std::optional(test::plainOf(*spec)) : std::nullopt);
            const QVariant auc =
                candidates->index(r, AggregationCandidateModel::AucColumn).data(MetricValueRole);
            const QVariant gap =
                candidates->index(r, AggregationCandidateModel::GapColumn).data(MetricValueRole);
            QVERIFY(std::fabs(auc.toDouble() - *want.auc) < 1e-9);
            QVERIFY(std::fabs(gap.toDouble() - *want.gap) < 1e-9);
        }

        // The prompt's rows: current against the selected candidate, by hand; a bar set each.
        const QString power2 = QStringLiteral("weighted_sum · veto cap 0.2 · power 2");
        const int row = rowNamed(*candidates, power2);
        QVERIFY(row > 0);
        pane->selectCandidate(row);
        AggregationResponseModel *responses = pane->responseModel();
        QTRY_VERIFY_WITH_TIMEOUT(responses->rowCount() > 0 && responses->candidateName() == power2,
                                 kTimeoutMs);
        const test::Want now = test::expectedFor(*p, std::nullopt);
        const test::Want shaped =
            test::expectedFor(*p, test::plainOf(*candidates->candidateAt(row)->candidate.spec));
        for (int r = 0; r < responses->rowCount(); ++r) {
            const qint64 id = responses->index(r, 0).data(ResponseIdRole).toLongLong();
            QCOMPARE(p->promptOf.at(id), promptId);
            const auto value = [&](int column) {
                return responses->index(r, column).data(MetricValueRole).toDouble();
            };
            QVERIFY(std::fabs(value(AggregationResponseModel::RewardColumn) - now.reward.at(id)) <
                    1e-12);
            QVERIFY(std::fabs(value(AggregationResponseModel::CandidateRewardColumn) -
                              shaped.reward.at(id)) < 1e-12);
            QVERIFY(std::fabs(value(AggregationResponseModel::AdvantageColumn) -
                              now.advantage.at(id)) < 1e-9);
            QVERIFY(std::fabs(value(AggregationResponseModel::CandidateAdvantageColumn) -
                              shaped.advantage.at(id)) < 1e-9);
        }
        auto *bars = qobject_cast<QBarSeries *>(pane->chart()->chart()->series().value(0));
        QVERIFY(bars);
        QCOMPARE(bars->barSets().size(), 2);
        QCOMPARE(bars->barSets().at(0)->count(), responses->rowCount());

        // "Use" needs a candidate other than current, of the rubric's own formula, and a clean
        // draft.
        QVERIFY(pane->useButton()->isEnabled());
        pane->selectCandidate(rowNamed(*candidates, QStringLiteral("points · veto cap 0.2")));
        QVERIFY(!pane->useButton()->isEnabled());
        QVERIFY(pane->useButton()->toolTip().contains(QStringLiteral("scored by weights")));
        pane->selectCandidate(0);
        QVERIFY(!pane->useButton()->isEnabled());
        panel->draft()->setWeight(0, 5);
        pane->selectCandidate(row);
        QVERIFY(!pane->useButton()->isEnabled());
        panel->draft()->undoStack()->undo();
        QVERIFY(pane->useButton()->isEnabled());

        if (const QString shot = qEnvironmentVariable("RS_AGGREGATION_SCREENSHOT");
            !shot.isEmpty()) {
            QTest::qWait(300);
            QVERIFY(panel->grab().save(shot, "PNG"));
        }

        // Use: a new head version with the chosen aggregation and the same criteria.
        auto db = store::Database::open(p->path, store::Database::Mode::ReadOnly);
        QVERIFY(db.ok());
        const auto before = rubric::loadHead(db.value(), promptId);
        QVERIFY(before.ok());
        const int computedBefore = int(computed.count());
        pane->useSelected();
        QTRY_VERIFY_WITH_TIMEOUT(
            rubric::loadHead(db.value(), promptId)->versionId != before->versionId, kTimeoutMs);
        const auto after = rubric::loadHead(db.value(), promptId);
        QCOMPARE(after->aggregation,
                 judge::aggregationToText(*candidates->candidateAt(row)->candidate.spec));
        QCOMPARE(
            after->aggregation,
            QStringLiteral(
                R"({"shaping":{"exponent":2,"type":"power"},"type":"weighted_sum","veto_cap":0.2})"));
        QCOMPARE(after->criteria.size(), before->criteria.size());
        for (qsizetype i = 0; i < after->criteria.size(); ++i) {
            QCOMPARE(after->criteria[i].stableId, before->criteria[i].stableId);
            QCOMPARE(after->criteria[i].text, before->criteria[i].text);
            QCOMPARE(after->criteria[i].veto, before->criteria[i].veto);
        }
        // The history shows it, and the preview follows: that candidate is now current here.
        QTRY_COMPARE_WITH_TIMEOUT(panel->history()->versionModel()->rowCount(), 2, kTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(computed.count() > computedBefore, kTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(!pane->useButton()->isEnabled(), kTimeoutMs);
        QVERIFY(pane->useButton()->toolTip().contains(QStringLiteral("already")));

        // Another prompt: only its rows are read again, with its own stored aggregation.
        const qint64 other = p->prompts[2]; // stored: power 2, no veto cap
        panel->setPrompt(other);
        QTRY_VERIFY_WITH_TIMEOUT(
            responses->rowCount() > 0 &&
                p->promptOf.at(responses->index(0, 0).data(ResponseIdRole).toLongLong()) == other,
            kTimeoutMs);
        for (int r = 0; r < responses->rowCount(); ++r) {
            const qint64 id = responses->index(r, 0).data(ResponseIdRole).toLongLong();
            const double reward = responses->index(r, AggregationResponseModel::RewardColumn)
                                      .data(MetricValueRole)
                                      .toDouble();
            QVERIFY(std::fabs(reward - now.reward.at(id)) < 1e-12);
        }
    }
};

QTEST_MAIN(TestAggregationPane)
#include "tst_aggregationpane.moc"

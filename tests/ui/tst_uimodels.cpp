// Every model of the studio under QAbstractItemModelTester, over a project built from the
// demo sources in a temporary folder, plus the behaviour a user sees through each model.

#include "common/roles.h"
#include "demodata.h"
#include "import/importer.h"
#include "navigator/promptlistmodel.h"
#include "project/demoproject.h"
#include "project/importpreviewmodel.h"
#include "responses/rewardbreakdownmodel.h"
#include "rubric/rubrictablemodel.h"
#include "store/projectreader.h"
#include "store/projectstore.h"
#include "verdicts/verdictgridmodel.h"

#include <QAbstractItemModelTester>
#include <QBrush>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace rs;
using namespace rs::ui;

namespace {
constexpr int kTimeoutMs = 20000;

void writeFile(const QString &path, const QByteArray &content)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(content);
}

} // namespace

class TestUiModels final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void promptList_fetchesLazilyInPages();
    void promptList_filterRequeriesAndMatchesLiterally();
    void promptList_showsCountsPerPrompt();
    void responses_listThePromptsResponsesSortedByTier();
    void responses_switchingPromptsDropsStaleResults();
    void rubric_showsCriteriaWithWeights();
    void rubric_marksNegativePointsAsPenalties();
    void importPreview_mapsGenericFieldsAndNamesBadLines();
    void importPreview_detectsTheDemoFormats();
    void breakdown_implicitRubricShowsTheHolisticScore();

private:
    qint64 promptIdFor(const QString &text);

    QTemporaryDir m_dir;
    QString m_project;
    QList<test::DemoPrompt> m_demo;
};

void TestUiModels::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
    m_project = m_dir.filePath(QStringLiteral("demo.rubrics"));
    // Unjudged: these tests are about the models before any verdict (tst_mainwindow covers the
    // demo's hand-graded run).
    auto built = DemoProject::build(m_project, DemoProject::Verdicts::None);
    QVERIFY2(built.ok(), qPrintable(built.ok() ? QString() : built.error().toString()));
    m_demo = test::loadDemoData();
    QVERIFY(m_demo.size() >= 6);
}

qint64 TestUiModels::promptIdFor(const QString &text)
{
    auto reader = store::ProjectReader::open(m_project);
    if (!reader)
        return 0;
    auto rows = reader->prompts({}, 0, 1000);
    if (!rows)
        return 0;
    for (const PromptSummary &p : rows.value())
        if (p.text == text.left(400))
            return p.id;
    return 0;
}

void TestUiModels::promptList_fetchesLazilyInPages()
{
    PromptListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setPageSize(3);
    model.setProject(m_project);
    QCOMPARE(model.rowCount(), 0); // nothing is read on the GUI thread
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 3, kTimeoutMs);
    QCOMPARE(model.matchCount(), qint64(m_demo.size()));
    QVERIFY(model.canFetchMore({}));
    while (model.rowCount() < m_demo.size()) {
        const int before = model.rowCount();
        QTRY_VERIFY_WITH_TIMEOUT(model.canFetchMore({}), kTimeoutMs);
        model.fetchMore({});
        QTRY_VERIFY_WITH_TIMEOUT(model.rowCount() > before, kTimeoutMs);
    }
    QCOMPARE(model.rowCount(), m_demo.size());
    QTRY_VERIFY_WITH_TIMEOUT(!model.canFetchMore({}), kTimeoutMs);
    for (int row = 0; row < model.rowCount(); ++row)
        QVERIFY(m_demo[row].text.startsWith(model.index(row).data(PromptTextRole).toString()));
}

void TestUiModels::promptList_filterRequeriesAndMatchesLiterally()
{
    PromptListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setProject(m_project);
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), m_demo.size(), kTimeoutMs);

    model.setFilter(QStringLiteral("sql"));
    QTRY_VERIFY_WITH_TIMEOUT(!model.isLoading(), kTimeoutMs);
    QCOMPARE(model.rowCount(), 1);
    QVERIFY(model.index(0).data(PromptTextRole).toString().contains(QLatin1String("SQL")));

    model.setFilter(QStringLiteral("%")); // a LIKE wildcard must match only a literal %
    QTRY_VERIFY_WITH_TIMEOUT(!model.isLoading(), kTimeoutMs);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.matchCount(), 0);

    model.setFilter({});
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), m_demo.size(), kTimeoutMs);
}

void TestUiModels::promptList_showsCountsPerPrompt()
{
    PromptListModel model;
    model.setProject(m_project);
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), m_demo.size(), kTimeoutMs);
    for (int row = 0; row < model.rowCount(); ++row) {
        const QModelIndex index = model.index(row);
        const test::DemoPrompt &demo = m_demo[row];
        QCOMPARE(index.data(ResponseCountRole).toLongLong(), qint64(demo.responses.size()));
        QCOMPARE(index.data(CriteriaCountRole).toLongLong(), qint64(demo.criteria.size()));
        QCOMPARE(index.data(RubricVersionsRole).toInt(), 1);
        QCOMPARE(index.data(CountsTextRole).toString(), QStringLiteral("%1 resp · %2 criteria · v1")
                                                            .arg(demo.responses.size())
                                                            .arg(demo.criteria.size()));
        QVERIFY(index.data().toString().startsWith(
            QStringLiteral("#%1  ").arg(index.data(PromptIdRole).toLongLong())));
    }
}

void TestUiModels::responses_listThePromptsResponsesSortedByTier()
{
    // The demo is not judged: the grid lists every response with pending verdicts, no reward,
    // and ranks by tier.
    VerdictGridModel model;
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    proxy.setSortRole(SortRole);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester proxyTester(&proxy,
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
    const test::DemoPrompt &demo = m_demo[0];
    const qint64 id = promptIdFor(demo.text);
    QVERIFY(id > 0);

    model.setProject(m_project);
    QSignalSpy loaded(&model, &VerdictGridModel::loaded);
    model.setPrompt(id);
    QTRY_VERIFY_WITH_TIMEOUT(!model.isLoading() && model.loadedPromptId() == id, kTimeoutMs);
    QCOMPARE(model.rowCount(), demo.responses.size());
    QCOMPARE(model.criterionCount(), demo.criteria.size());
    QCOMPARE(model.columnCount(), VerdictGridModel::FirstCriterionColumn + demo.criteria.size());
    QCOMPARE(loaded.last().at(0).toLongLong(), id);
    QCOMPARE(model.runId(), 0);
    QVERIFY(model.runs().isEmpty());

    QStringList generators;
    for (int row = 0; row < model.rowCount(); ++row) {
        generators << model.index(row, VerdictGridModel::GeneratorColumn).data().toString();
        QCOMPARE(model.index(row, VerdictGridModel::RewardColumn).data().toString(),
                 QStringLiteral("—"));
        QVERIFY(!model.index(row, 0).data(RewardRole).isValid());
        QVERIFY(!model.index(row, 0).data(TiedAtTopRole).toBool());
        for (int c = 0; c < model.criterionCount(); ++c)
            QCOMPARE(model.index(row, VerdictGridModel::FirstCriterionColumn + c)
                         .data(CellStateRole)
                         .toInt(),
                     int(judge::CellState::Pending));
        QVERIFY(!model.index(row, 0).data(ResponseTextRole).toString().isEmpty());
    }
    for (const test::DemoResponse &r : demo.responses)
        QVERIFY2(generators.contains(r.generator), qPrintable(r.generator));

    // Criterion headers: the stable id, the text and weight in the tooltip.
    for (int c = 0; c < model.criterionCount(); ++c) {
        const int column = VerdictGridModel::FirstCriterionColumn + c;
        QCOMPARE(model.headerData(column, Qt::Horizontal).toString(),
                 QStringLiteral("c%1").arg(c + 1));
        QVERIFY(model.headerData(column, Qt::Horizontal, Qt::ToolTipRole)
                    .toString()
                    .contains(demo.criteria[c].text));
    }

    proxy.sort(VerdictGridModel::RankColumn, Qt::AscendingOrder);
    int lastRank = -1;
    for (int row = 0; row < proxy.rowCount(); ++row) {
        const int rank = VerdictGridModel::tierRank(proxy.index(row, 0).data(TierRole).toString());
        QVERIFY(rank >= lastRank);
        lastRank = rank;
    }
    QCOMPARE(proxy.index(0, VerdictGridModel::TierColumn).data().toString(),
             QStringLiteral("great"));

    proxy.sort(VerdictGridModel::LengthColumn, Qt::DescendingOrder);
    for (int row = 1; row < proxy.rowCount(); ++row)
        QVERIFY(proxy.index(row - 1, 0).data(LengthRole).toLongLong() >=
                proxy.index(row, 0).data(LengthRole).toLongLong());
}

void TestUiModels::responses_switchingPromptsDropsStaleResults()
{
    VerdictGridModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setProject(m_project);
    const qint64 first = promptIdFor(m_demo[0].text);
    const qint64 second = promptIdFor(m_demo[1].text);
    // Two requests back to back: only the last one may land, whatever order they finish in.
    QSignalSpy loaded(&model, &VerdictGridModel::loaded);
    model.setPrompt(first);
    model.setPrompt(second);
    QTRY_VERIFY_WITH_TIMEOUT(!model.isLoading(), kTimeoutMs);
    QCOMPARE(model.loadedPromptId(), second);
    QCOMPARE(model.rowCount(), m_demo[1].responses.size());
    QCOMPARE(loaded.count(), 1); // the first prompt's grid was dropped, never shown

    model.setPrompt(0);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.columnCount(), int(VerdictGridModel::FirstCriterionColumn));
}

void TestUiModels::rubric_showsCriteriaWithWeights()
{
    RubricTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setProject(m_project);
    const test::DemoPrompt &demo = m_demo[2];
    model.setPrompt(promptIdFor(demo.text));
    QTRY_VERIFY_WITH_TIMEOUT(!model.isLoading() && model.loadedPromptId() != 0, kTimeoutMs);
    QVERIFY(model.hasRubric());
    QCOMPARE(model.rowCount(), demo.criteria.size());
    QCOMPARE(model.headerData(RubricTableModel::WeightColumn, Qt::Horizontal).toString(),
             QStringLiteral("Weight"));
    double total = 0;
    for (int row = 0; row < model.rowCount(); ++row) {
        QCOMPARE(model.index(row, RubricTableModel::CriterionColumn).data().toString(),
                 demo.criteria[row].text);
        QCOMPARE(model.index(row, RubricTableModel::WeightColumn).data(WeightRole).toDouble(),
                 demo.criteria[row].weight);
        QCOMPARE(model.index(row, RubricTableModel::WeightColumn).data().toString(),
                 QString::number(int(demo.criteria[row].weight)));
        QCOMPARE(model.index(row, RubricTableModel::IdColumn).data().toString(),
                 QStringLiteral("c%1").arg(row + 1));
        QVERIFY(!model.index(row, 0).data(PenaltyRole).toBool());
        total += demo.criteria[row].weight;
    }
    QCOMPARE(model.maxScore(), total);
    QCOMPARE(model.rubric().versionCount, 1);
    QCOMPARE(model.rubric().origin, QStringLiteral("import"));
}

void TestUiModels::rubric_marksNegativePointsAsPenalties()
{
    // A HealthBench-style example: points scoring with one penalty.
    const QString file = m_dir.filePath(QStringLiteral("points_example.json"));
    writeFile(file, R"({"prompt_id": "p-1",
  "prompt": [{"role": "user", "content": "My child has a fever of 39 C. What should I do?"}],
  "rubrics": [
    {"criterion": "Advises checking for danger signs such as trouble breathing", "points": 7, "tags": ["axis:completeness"]},
    {"criterion": "Recommends giving adult-strength aspirin to the child", "points": -8, "tags": ["axis:accuracy"]}
  ]})");
    const QString project = m_dir.filePath(QStringLiteral("points.rubrics"));
    {
        auto store = store::ProjectStore::create(project);
        QVERIFY(store.ok());
        import::ImportConfig config;
        config.files = {file};
        auto result = import::importFiles(*store.value(), config);
        QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().toString()));
    }
    RubricTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setProject(project);
    model.setPrompt(1);
    QTRY_VERIFY_WITH_TIMEOUT(!model.isLoading() && model.loadedPromptId() == 1, kTimeoutMs);
    QCOMPARE(model.rowCount(), 2);
    QVERIFY(model.usesPoints());
    QCOMPARE(model.headerData(RubricTableModel::WeightColumn, Qt::Horizontal).toString(),
             QStringLiteral("Points"));
    QCOMPARE(model.penaltyCount(), 1);
    QCOMPARE(model.maxScore(), 7.0);

    const QModelIndex reward = model.index(0, RubricTableModel::WeightColumn);
    const QModelIndex penalty = model.index(1, RubricTableModel::WeightColumn);
    QCOMPARE(reward.data().toString(), QStringLiteral("7"));
    QCOMPARE(penalty.data().toString(), QString(QChar(0x2212)) + QStringLiteral("8"));
    QVERIFY(penalty.data(PenaltyRole).toBool());
    QVERIFY(!reward.data(Qt::ForegroundRole).isValid());
    QVERIFY(penalty.data(Qt::ForegroundRole).value<QBrush>().color().red() > 150);
    QVERIFY(penalty.data(Qt::ToolTipRole).toString().contains(QLatin1String("Penalty")));
    QCOMPARE(model.index(0, RubricTableModel::TagsColumn).data().toString(),
             QStringLiteral("axis:completeness"));
}

void TestUiModels::importPreview_mapsGenericFieldsAndNamesBadLines()
{
    const QString file = m_dir.filePath(QStringLiteral("generic.jsonl"));
    writeFile(file, "{\"q\": \"What is 2+2?\", \"a\": \"4\", \"meta\": {\"model\": \"m1\"}}\n"
                    "{\"q\": \"Name a colour\", \"a\": \"Blue\", \"meta\": {\"model\": \"m2\"}}\n"
                    "{\"q\": \"broken\", \"a\": \n"
                    "{\"q\": \"No answer here\", \"meta\": {\"model\": \"m3\"}}\n");
    import::ImportConfig config;
    config.format = import::Format::Jsonl;
    config.map = {QStringLiteral("q"), QStringLiteral("a"), QStringLiteral("meta.model"), {}};
    config.tier = QStringLiteral("good");
    auto preview = ImportPreviewModel::read(file, config, 10);
    QVERIFY(preview.ok());
    QVERIFY(preview->fields.contains(QStringLiteral("meta.model")));
    QVERIFY(preview->fields.contains(QStringLiteral("q")));

    ImportPreviewModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setPreview(preview.value());
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(model.index(0, ImportPreviewModel::PromptColumn).data().toString(),
             QStringLiteral("What is 2+2?"));
    QCOMPARE(model.index(0, ImportPreviewModel::ResponsesColumn).data().toString(),
             QStringLiteral("m1 (good)"));
    QVERIFY(model.index(0, 0).data(RecordProblemRole).toString().isEmpty());
    QCOMPARE(model.index(2, 0).data(RecordLineRole).toLongLong(), 3);
    QVERIFY(model.index(2, 0).data(RecordProblemRole).toString().contains(QLatin1String("JSON")));
    QCOMPARE(model.index(3, 0).data(RecordLineRole).toLongLong(), 4);
    QVERIFY(model.index(3, 0).data(RecordProblemRole).toString().contains(QLatin1String("\"a\"")));
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

void TestUiModels::importPreview_detectsTheDemoFormats()
{
    const QStringList sources = DemoProject::sourceFiles();
    const QString rollouts = m_dir.filePath(QStringLiteral("r.json"));
    const QString rubrics = m_dir.filePath(QStringLiteral("r.jsonl"));
    writeFile(rollouts, test::readResource(sources[0]));
    writeFile(rubrics, test::readResource(sources[1]));
    import::ImportConfig config;
    auto r = ImportPreviewModel::read(rollouts, config, 3);
    QVERIFY(r.ok());
    QCOMPARE(r->format, import::Format::Rollouts);
    QCOMPARE(r->rows.size(), 3);
    QCOMPARE(r->rows[0].prompt, m_demo[0].text.left(160));
    QVERIFY(r->rows[0].responses.contains(m_demo[0].responses[0].generator));
    auto b = ImportPreviewModel::read(rubrics, config, 3);
    QVERIFY(b.ok());
    QCOMPARE(b->format, import::Format::Rubrics);
    QCOMPARE(b->rows[0].rubric,
             QStringLiteral("%1 criteria, weights").arg(m_demo[0].criteria.size()));
}

QTEST_MAIN(TestUiModels)
void TestUiModels::breakdown_implicitRubricShowsTheHolisticScore() {
    // An implicit rubric: two guidance criteria and a judged veto; two gradings scored 6 and 8.
    VerdictFocus focus;
    focus.promptId = 1;
    focus.runId = 1;
    focus.rubricId = 1;
    focus.scoring = QStringLiteral("weights");
    focus.implicit = true;
    focus.judged = true;
    focus.response.id = 5;
    focus.criteria = {{QStringLiteral("c1"), QStringLiteral("Answers directly."), 3, 11, true},
                      {QStringLiteral("c2"), QStringLiteral("Is organised."), 2, 12, true},
                      {QStringLiteral("c3"), QStringLiteral("Is safe."), 1, 13, false}};
    judge::GridCell yes;
    yes.state = judge::CellState::Yes;
    yes.yesVotes = 2;
    focus.row.cells = {judge::GridCell{}, judge::GridCell{}, yes};
    focus.row.holisticScore = 7;
    focus.row.holisticScores = 2;
    focus.row.holisticRationale = QStringLiteral("Clear and correct, a little long.");
    focus.row.reward = (7.0 - 1) / 9;
    RewardBreakdownModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setFocus(focus);
    QCOMPARE(model.rowCount(), 3);
    const QString summary = model.summaryText();
    QVERIFY2(summary.contains(QLatin1String("holistic score 7/10")), qPrintable(summary));
    QVERIFY(summary.contains(QLatin1String("the mean of 2 gradings")));
    QVERIFY(summary.contains(focus.row.holisticRationale));
    // The reward is not a sum over the criteria: nothing "adds", guidance says so.
    for (int row = 0; row < 3; ++row)
        QCOMPARE(model.contribution(row), 0.0);
    QCOMPARE(model.index(0, RewardBreakdownModel::ContributionColumn).data().toString(),
             QStringLiteral("guidance"));
    QCOMPARE(model.index(2, RewardBreakdownModel::ContributionColumn).data().toString(),
             QStringLiteral("—"));

    // No usable score (the judge's answers did not parse): said so, with the reason.
    focus.row.holisticScore = -1;
    focus.row.holisticScores = 0;
    focus.row.holisticRationale = QStringLiteral("unparseable answer: found 11");
    focus.row.reward = 0;
    model.setFocus(focus);
    QVERIFY(model.summaryText().contains(QLatin1String("no holistic score")));
    QVERIFY(model.summaryText().contains(QLatin1String("found 11")));
}

#include "tst_uimodels.moc"

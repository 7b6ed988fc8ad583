// The rubric editor: every edit is undoable and undo restores exactly the state before it;
// the models hold up under QAbstractItemModelTester; Accept saves a version whose parent is
// the version the draft started from, with origin "manual"; history, restore and diff work.
#include "rubric/criteriaeditmodel.h"
#include "mainwindow.h"
#include "project/projectsession.h"
#include "common/roles.h"
#include "rubric/rubricversions.h"
#include "rubric/rubricdiffmodel.h"
#include "rubric/rubricdraft.h"
#include "rubric/rubricpanel.h"
#include "rubric/rubrictablemodel.h"
#include "store/database.h"
#include "store/projectstore.h"
#include "rubric/versionhistorypane.h"
#include "rubric/versionlistmodel.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QLabel>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

#include <functional>

using namespace rs;
using namespace rs::ui;
using rubric::CriterionDraft;

namespace {

constexpr int kTimeoutMs = 20000;

QList<CriterionDraft> sample() {
    return {{QStringLiteral("c1"),
             QStringLiteral("Names Rayleigh scattering as the cause."),
             3,
             QStringLiteral("essential"),
             {}},
            {QStringLiteral("c2"),
             QStringLiteral("Explains why sunsets look red and mentions the angle of the sun."),
             2,
             {},
             {}},
            {QStringLiteral("c3"),
             QStringLiteral("Is accurate."),
             1,
             QStringLiteral("optional"),
             {QStringLiteral("style")}}};
}

// A comparable picture of a draft's state.
QString dump(const QList<CriterionDraft> &cs) {
    QStringList out;
    for (const auto &c : cs)
        out << QStringLiteral("%1|%2|%3|%4|%5|%6|%7")
                   .arg(c.stableId, c.text)
                   .arg(c.weight)
                   .arg(c.category, c.tags.join(QLatin1Char(',')), c.checkJson)
                   .arg(c.veto);
    return out.join(QLatin1Char('\n'));
}

qint64 makeProject(const QString &path, qint64 *versionId) {
    auto store = store::ProjectStore::create(path);
    if (!store)
        qFatal("create: %s", qPrintable(store.error().toString()));
    qint64 promptId = 0;
    auto w = store.value()->writer().write([&](store::Database &db) -> Expected<void> {
        if (auto r = db.exec("INSERT INTO prompts(text) VALUES('Why is the sky blue?')"); !r)
            return r;
        promptId = db.lastInsertId();
        return {};
    });
    if (!w)
        qFatal("prompt: %s", qPrintable(w.error().toString()));
    auto v =
        rubric::saveVersion(*store.value(), promptId, {QStringLiteral("import"), {}}, sample());
    if (!v)
        qFatal("version: %s", qPrintable(v.error().toString()));
    *versionId = v.value();
    return promptId;
}

} // namespace

class RubricEditorTest final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("RubricStudioTests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_rubriceditor"));
        QSettings().clear();
    }

    void everyEdit_undoRestoresTheStateBefore_data() {
        QTest::addColumn<std::function<void(RubricDraft &)>>("edit");
        QTest::addColumn<QString>("undoText");
        using F = std::function<void(RubricDraft &)>;
        QTest::newRow("text") << F([](RubricDraft &d) {
            d.setText(2, QStringLiteral("States the wavelength of blue light (about 450 nm)."));
        }) << QStringLiteral("Edit criterion c3 text");
        QTest::newRow("weight") << F([](RubricDraft &d) { d.setWeight(1, 3); })
                                << QStringLiteral("Re-weight c2 to 3");
        QTest::newRow("category") << F([](RubricDraft &d) {
            d.setCategory(1, QStringLiteral("important"));
        }) << QStringLiteral("Make c2 important");
        QTest::newRow("tags") << F([](RubricDraft &d) {
            d.setTags(0, {QStringLiteral("physics")});
        }) << QStringLiteral("Tag c1");
        QTest::newRow("add") << F([](RubricDraft &d) { d.addCriterion(1); })
                             << QStringLiteral("Add a criterion");
        QTest::newRow("delete") << F([](RubricDraft &d) { d.removeCriterion(0); })
                                << QStringLiteral("Delete c1");
        QTest::newRow("move up") << F([](RubricDraft &d) { d.moveCriterion(2, -1); })
                                 << QStringLiteral("Move c3 up");
        QTest::newRow("move down")
            << F([](RubricDraft &d) { d.moveCriterion(0, +1); }) << QStringLiteral("Move c1 down");
        QTest::newRow("duplicate")
            << F([](RubricDraft &d) { d.duplicateCriterion(0); }) << QStringLiteral("Duplicate c1");
        QTest::newRow("split") << F([](RubricDraft &d) {
            d.splitCriterion(1, RubricDraft::suggestSplit(d.criteria()[1].text));
        }) << QStringLiteral("Split c2 into 2");
    }

    void everyEdit_undoRestoresTheStateBefore() {
        QFETCH(std::function<void(RubricDraft &)>, edit);
        QFETCH(QString, undoText);
        RubricDraft draft(1);
        draft.reset(7, QStringLiteral("weights"), sample());
        CriteriaEditModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setDraft(&draft);
        QVERIFY(!draft.isDirty());
        const QString before = dump(draft.criteria());

        edit(draft);
        const QString after = dump(draft.criteria());
        QVERIFY(after != before);
        QVERIFY(draft.isDirty());
        QCOMPARE(draft.undoStack()->undoText(), undoText);
        QCOMPARE(model.rowCount(), draft.criteria().size());

        draft.undoStack()->undo();
        QCOMPARE(dump(draft.criteria()), before);
        QVERIFY(!draft.isDirty());
        QCOMPARE(model.rowCount(), draft.criteria().size());
        draft.undoStack()->redo();
        QCOMPARE(dump(draft.criteria()), after);
        QCOMPARE(model.index(0, CriteriaEditModel::CriterionColumn).data().toString(),
                 draft.criteria()[0].text);
    }

    void split_keepsFirstIdAndWeight() {
        RubricDraft draft(1);
        draft.reset(7, QStringLiteral("weights"), sample());
        const QStringList parts = RubricDraft::suggestSplit(draft.criteria()[1].text);
        QCOMPARE(parts, (QStringList{QStringLiteral("Explains why sunsets look red."),
                                     QStringLiteral("Mentions the angle of the sun.")}));
        draft.splitCriterion(1, parts);
        QCOMPARE(draft.criteria().size(), 4);
        QCOMPARE(draft.criteria()[1].stableId, QStringLiteral("c2"));
        QCOMPARE(draft.criteria()[2].stableId, QString());
        QCOMPARE(draft.criteria()[2].weight, 2.0);
    }

    void model_editsGoThroughTheUndoStackAndLintFollows() {
        RubricDraft draft(1);
        draft.reset(7, QStringLiteral("weights"), sample());
        CriteriaEditModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setDraft(&draft);
        // c2 is compound, c3 vague: the lint column says so, with reasons in the tooltip.
        QCOMPARE(model.index(1, CriteriaEditModel::LintColumn).data(LintRulesRole).toStringList(),
                 QStringList{QStringLiteral("compound")});
        QCOMPARE(model.index(2, CriteriaEditModel::LintColumn).data(LintRulesRole).toStringList(),
                 QStringList{QStringLiteral("vague")});
        QVERIFY(model.index(2, CriteriaEditModel::LintColumn)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("accurate")));
        QVERIFY(model.index(0, CriteriaEditModel::LintColumn).data().toString().isEmpty());

        QVERIFY(
            model.setData(model.index(2, CriteriaEditModel::CriterionColumn),
                          QStringLiteral("States the wavelength of blue light (about 450 nm).")));
        QVERIFY(model.index(2, CriteriaEditModel::LintColumn)
                    .data(LintRulesRole)
                    .toStringList()
                    .isEmpty());
        QVERIFY(
            model.setData(model.index(0, CriteriaEditModel::WeightColumn), QStringLiteral("12")));
        QCOMPARE(model.index(0, CriteriaEditModel::LintColumn).data(LintRulesRole).toStringList(),
                 QStringList{QStringLiteral("weight-range")});
        QVERIFY(!model.setData(model.index(0, CriteriaEditModel::WeightColumn),
                               QStringLiteral("heavy")));
        QCOMPARE(draft.undoStack()->count(), 2);
        QCOMPARE(draft.undoStack()->undoText(), QStringLiteral("Re-weight c1 to 12"));
        draft.undoStack()->undo();
        draft.undoStack()->undo();
        QCOMPARE(dump(draft.criteria()), dump(sample()));
    }

    void checkAndVetoColumns_editThroughTheUndoStack() {
        RubricDraft draft(1);
        draft.reset(7, QStringLiteral("weights"), sample());
        CriteriaEditModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setDraft(&draft);
        const QModelIndex check = model.index(0, CriteriaEditModel::CheckColumn);
        const QModelIndex veto = model.index(0, CriteriaEditModel::VetoColumn);
        QCOMPARE(check.data().toString(), QStringLiteral("judge"));
        QCOMPARE(veto.data(Qt::CheckStateRole).toInt(), int(Qt::Unchecked));

        // The shorthand is read into the canonical check; a bad one is refused untouched.
        QVERIFY(model.setData(check, QStringLiteral("min_words 60")));
        QCOMPARE(draft.criteria()[0].checkJson,
                 QStringLiteral(R"({"type":"min_words","value":60})"));
        QCOMPARE(check.data().toString(), QStringLiteral("min_words 60"));
        QCOMPARE(check.data(Qt::EditRole).toString(), QStringLiteral("min_words 60"));
        QVERIFY(!model.setData(check, QStringLiteral("min_sentences 3")));
        QVERIFY(!model.setData(check, QStringLiteral("regex ([")));
        QVERIFY(model.setData(check, QStringLiteral("contains! Rayleigh | scattering")));
        QCOMPARE(
            draft.criteria()[0].checkJson,
            QStringLiteral(
                R"({"case_sensitive":true,"phrases":["Rayleigh","scattering"],"type":"contains"})"));
        QCOMPARE(check.data(Qt::EditRole).toString(),
                 QStringLiteral("contains! Rayleigh | scattering"));
        QVERIFY(model.setData(veto, Qt::Checked, Qt::CheckStateRole));
        QCOMPARE(draft.criteria()[0].veto, true);
        QCOMPARE(draft.undoStack()->undoText(), QStringLiteral("Make c1 a veto"));
        QCOMPARE(draft.undoStack()->count(), 3);

        draft.undoStack()->undo();
        QCOMPARE(draft.criteria()[0].veto, false);
        draft.undoStack()->undo();
        QCOMPARE(check.data().toString(), QStringLiteral("min_words 60"));
        QVERIFY(model.setData(check, QString())); // back to the judge
        QCOMPARE(draft.undoStack()->undoText(), QStringLiteral("Let the judge decide c1"));
        QCOMPARE(check.data().toString(), QStringLiteral("judge"));
        draft.undoStack()->undo();
        draft.undoStack()->undo();
        QCOMPARE(dump(draft.criteria()), dump(sample()));
    }

    void historyAndDiffModels_passTheTester() {
        VersionListModel versions;
        QAbstractItemModelTester t1(&versions,
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
        rubric::VersionInfo v1{
            1, 1, 0, QStringLiteral("import"), {}, {}, QStringLiteral("2026-12-01T09:00:00.000Z"),
            3};
        rubric::VersionInfo v2{2,
                               1,
                               1,
                               QStringLiteral("rtd"),
                               QJsonObject{{QStringLiteral("round"), 2},
                                           {QStringLiteral("model"), QStringLiteral("m")}},
                               QStringLiteral("best"),
                               QStringLiteral("2026-12-01T09:10:00.000Z"),
                               4};
        versions.setVersions({v1, v2}, 2);
        QCOMPARE(versions.rowCount(), 2);
        QCOMPARE(versions.index(0, VersionListModel::OriginColumn).data().toString(),
                 QStringLiteral("RTD round 2 (m)"));
        QVERIFY(versions.index(0, 0).data(IsHeadRole).toBool());
        QCOMPARE(versions.index(1, VersionListModel::NumberColumn).data().toString(),
                 QStringLiteral("v1"));

        RubricDiffModel diff;
        QAbstractItemModelTester t2(&diff, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const QList<CriterionRecord> a{
            {0, QStringLiteral("c1"), QStringLiteral("Names the cause."), 1, {}, {}},
            {0, QStringLiteral("c2"), QStringLiteral("Cites two sources."), 1, {}, {}}};
        const QList<CriterionRecord> b{
            {0, QStringLiteral("c1"), QStringLiteral("Names the cause."), 2, {}, {}},
            {0, QStringLiteral("c3"), QStringLiteral("Uses a friendly tone."), 1, {}, {}}};
        diff.setDiff(rubric::diffCriteria(a, b), QStringLiteral("v1"), QStringLiteral("v2"));
        QCOMPARE(diff.rowCount(), 3);
        diff.setShowUnchanged(true);
        QCOMPARE(diff.rowCount(), 3);
        QCOMPARE(diff.index(0, RubricDiffModel::ChangeColumn).data().toString(),
                 QStringLiteral("re-weighted"));
        // Colour-coded: every changed row has a background.
        for (int r = 0; r < diff.rowCount(); ++r)
            QVERIFY(diff.index(r, 0).data(Qt::BackgroundRole).isValid());
        diff.clear();
        QCOMPARE(diff.rowCount(), 0);
    }

    void accept_savesVersionWithParentAndOrigin_andEditMenuUndoes() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("e.rubrics"));
        qint64 v1 = 0;
        const qint64 promptId = makeProject(path, &v1);

        MainWindow window;
        window.resize(1400, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy opened(window.session(), &ProjectSession::projectOpened);
        window.session()->openProject(path);
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, kTimeoutMs);
        RubricPanel *panel = window.rubricPanel();
        window.tabs()->setCurrentWidget(panel);
        // The navigator may have picked the prompt already; wait for the state, not a signal.
        panel->setPrompt(promptId);
        QTRY_VERIFY_WITH_TIMEOUT(panel->draft() && panel->draft()->baseVersionId() == v1,
                                 kTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(panel->history()->versionModel()->rowCount(), 1, kTimeoutMs);
        QAbstractItemModelTester tester(panel->editModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);

        // Edit through the table's model; the Edit menu's Undo follows the Rubric tab.
        QAbstractItemModel *table = panel->table()->model();
        QVERIFY(table->setData(table->index(1, CriteriaEditModel::WeightColumn), 5));
        auto *undo = window.findChild<QAction *>(QStringLiteral("undoAction"));
        QVERIFY(undo);
        QVERIFY(undo->isEnabled());
        QVERIFY(undo->text().contains(QStringLiteral("Re-weight c2 to 5")));
        undo->trigger();
        QCOMPARE(panel->draft()->criteria()[1].weight, 2.0);
        window.findChild<QAction *>(QStringLiteral("redoAction"))->trigger();
        QCOMPARE(panel->draft()->criteria()[1].weight, 5.0);
        panel->draft()->removeCriterion(2);
        // With nothing selected, the diff shows the unsaved draft against the current version.
        QTRY_VERIFY(panel->history()->diffTitle()->text().contains(QStringLiteral("1 removed")));

        QSignalSpy saved(panel, &RubricPanel::versionSaved);
        panel->accept();
        QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 1, kTimeoutMs);
        const qint64 v2 = saved.at(0).at(0).toLongLong();
        QTRY_VERIFY_WITH_TIMEOUT(panel->draft()->baseVersionId() == v2, kTimeoutMs);
        QVERIFY(!panel->draft()->isDirty());
        QCOMPARE(panel->table()->model()->rowCount(), 2);

        auto db = store::Database::open(path, store::Database::Mode::ReadOnly);
        auto versions = rubric::listVersions(db.value(), promptId);
        QVERIFY(versions.ok());
        QCOMPARE(versions->size(), 2);
        QCOMPARE(versions->last().id, v2);
        QCOMPARE(versions->last().parentId, v1);
        QCOMPARE(versions->last().origin, QStringLiteral("manual"));
        auto head = rubric::loadHead(db.value(), promptId);
        QCOMPARE(head->criteria[1].weight, 5.0);
        QCOMPARE(head->criteria[1].stableId, QStringLiteral("c2"));

        // History shows both; selecting v2 diffs it against its parent.
        QTRY_COMPARE_WITH_TIMEOUT(panel->history()->versionModel()->rowCount(), 2, kTimeoutMs);
        QSignalSpy shown(panel->history(), &VersionHistoryPane::diffShown);
        panel->history()->selectVersions({v2});
        QTRY_VERIFY_WITH_TIMEOUT(shown.count() >= 1, kTimeoutMs);
        QCOMPARE(panel->history()->diffModel()->diff().count(rubric::DiffKind::Removed), 1);
        QCOMPARE(panel->history()->diffModel()->diff().count(rubric::DiffKind::Reweighted), 1);

        // Restore v1: a third version, a copy of the first, becomes the head.
        Q_EMIT panel->history()->restoreRequested(v1);
        QTRY_COMPARE_WITH_TIMEOUT(panel->history()->versionModel()->rowCount(), 3, kTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(panel->table()->model()->rowCount(), 3, kTimeoutMs);
        QCOMPARE(rubric::loadHead(db.value(), promptId)->origin, QStringLiteral("restore"));
    }
};

QTEST_MAIN(RubricEditorTest)
#include "tst_rubriceditor.moc"

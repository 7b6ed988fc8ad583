// The Rubric tab's "Dead criteria" list over the demo project (hand-graded verdicts): it reads
// only once shown, its rows are rubric::deadCriteria's for the chosen top (k, or the top tier),
// "Rewrite selected…" hands over the judged criteria; in the studio, "Prune selected" saves a
// version without the selected criterion through the write queue, and the rewrite opens the
// authoring dialog whose job (against the local LLM test server) saves a prune-rewrite version.
// With RS_DEAD_SCREENSHOT=FILE.png it also saves pictures of the pane and of the window.
#include "judge/judgecontroller.h"
#include "mainwindow.h"
#include "navigator/promptlistmodel.h"
#include "navigator/promptnavigator.h"
#include "project/demoproject.h"
#include "project/projectsession.h"
#include "providers/providerlistmodel.h"
#include "rtd/authoringcontroller.h"
#include "rtd/authoringdialog.h"
#include "rtdproject.h"
#include "rubric/deadcriteriamodel.h"
#include "rubric/deadcriteriapane.h"
#include "rubric/rubricpanel.h"
#include "rubric/rubricversions.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTest>

using namespace rs;
using namespace rs::ui;

namespace {

constexpr int kTimeoutMs = 30000;

rubric::DeadCriteriaReport coreList(const QString &path, int k, const QStringList &tiers = {}) {
    auto db = store::Database::open(path, store::Database::Mode::ReadOnly);
    rubric::DeadCriteriaOptions o;
    o.top.k = k;
    o.top.tiers = tiers;
    auto r = rubric::deadCriteria(db.value(), o);
    if (!r)
        qFatal("deadCriteria: %s", qPrintable(r.error().toString()));
    return r.value();
}

QStringList keys(const DeadCriteriaModel &m) {
    QStringList out;
    for (int r = 0; r < m.rowCount(); ++r)
        out << QStringLiteral("%1|%2|%3")
                   .arg(m.at(r).promptId)
                   .arg(m.at(r).stableId)
                   .arg(int(m.at(r).way));
    return out;
}

QStringList keys(const rubric::DeadCriteriaReport &r) {
    QStringList out;
    for (const auto &d : r.dead)
        out << QStringLiteral("%1|%2|%3").arg(d.promptId).arg(d.stableId).arg(int(d.way));
    return out;
}

RubricRecord head(const QString &path, qint64 promptId) {
    auto db = store::Database::open(path, store::Database::Mode::ReadOnly);
    return rubric::loadHead(db.value(), promptId).value();
}

} // namespace

class TestDeadCriteria final : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    test::ServerProcess m_server;

    QString demo(const QString &name) {
        const QString path = m_dir.filePath(name);
        if (!DemoProject::build(path))
            qFatal("demo build failed");
        return path;
    }

private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    }

    void pane_listsWhatTheCoreLists() {
        const QString path = demo(QStringLiteral("pane.rubrics"));
        DeadCriteriaPane pane;
        QAbstractItemModelTester tester(pane.model());
        QSignalSpy loaded(&pane, &DeadCriteriaPane::loaded);
        pane.setProject(path);
        QVERIFY(!pane.isLoading()); // hidden: nothing read yet
        pane.resize(900, 560);
        pane.show();
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, kTimeoutMs);
        const auto five = coreList(path, 5);
        QVERIFY(!five.dead.empty()); // the demo's hand-graded rubrics have dead criteria
        QCOMPARE(keys(*pane.model()), keys(five));
        QVERIFY(pane.summary()->text().contains(
            QStringLiteral("<b>%1</b> dead").arg(five.dead.size())));

        pane.topSpin()->setValue(3);
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 2, kTimeoutMs);
        QCOMPARE(keys(*pane.model()), keys(coreList(path, 3)));
        pane.topTierBox()->setChecked(true);
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 3, kTimeoutMs);
        QCOMPARE(keys(*pane.model()),
                 keys(coreList(path, 5, {QStringLiteral("excellent"), QStringLiteral("great")})));
        QVERIFY(!pane.topSpin()->isEnabled());
        pane.topTierBox()->setChecked(false);
        pane.topSpin()->setValue(5);
        QTRY_VERIFY_WITH_TIMEOUT(!pane.isLoading() && keys(*pane.model()) == keys(five),
                                 kTimeoutMs);

        // Nothing selected: nothing to do. Without a write queue, no pruning either.
        QVERIFY(!pane.pruneButton()->isEnabled() && !pane.rewriteButton()->isEnabled());
        pane.view()->selectAll();
        QVERIFY(pane.rewriteButton()->isEnabled());
        QVERIFY(!pane.pruneButton()->isEnabled());
        QSignalSpy rewrite(&pane, &DeadCriteriaPane::rewriteRequested);
        pane.rewriteButton()->click();
        QCOMPARE(rewrite.count(), 1);
        const auto config = rewrite.first().first().value<authoring::PruneRewriteConfig>();
        QStringList judged;
        for (const auto &d : five.dead)
            if (!d.check)
                judged << QStringLiteral("%1|%2").arg(d.promptId).arg(d.stableId);
        QStringList handed;
        for (const auto &d : config.criteria)
            handed << QStringLiteral("%1|%2").arg(d.promptId).arg(d.stableId);
        QCOMPARE(handed, judged);
        QCOMPARE(config.runId, five.runId);
        QCOMPARE(config.top.k, 5);

        if (const QString shot = qEnvironmentVariable("RS_DEAD_SCREENSHOT"); !shot.isEmpty()) {
            pane.view()->clearSelection();
            pane.view()->selectRow(0);
            QTest::qWait(100);
            QVERIFY(pane.grab().save(shot, "PNG"));
        }
    }

    void studio_prunesAndRewritesTheSelection() {
        const QString path = demo(QStringLiteral("studio.rubrics"));
        MainWindow window;
        window.setLayoutPersistent(false);
        QTRY_VERIFY_WITH_TIMEOUT(window.judge()->providers()->isLoaded(), 10000);
        window.judge()->providers()->setProviders({test::rtdProvider(m_server)});
        DeadCriteriaPane *pane = window.rubricPanel()->deadCriteria();
        QSignalSpy loaded(pane, &DeadCriteriaPane::loaded);
        window.session()->openProject(path);
        QTRY_VERIFY_WITH_TIMEOUT(window.navigator()->model()->rowCount() > 0, 20000);
        window.tabs()->setCurrentWidget(window.rubricPanel());
        auto *side =
            window.rubricPanel()->findChild<QTabWidget *>(QStringLiteral("rubricSideTabs"));
        QVERIFY(side);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(!pane->isLoading() && loaded.isEmpty()); // not read until its tab is shown
        side->setCurrentWidget(pane);
        QTRY_VERIFY_WITH_TIMEOUT(loaded.count() >= 1 && !pane->isLoading(), kTimeoutMs);
        QVERIFY(pane->model()->rowCount() > 0);

        // Prune the first judged criterion listed.
        int row = 0;
        while (row < pane->model()->rowCount() && pane->model()->at(row).check)
            ++row;
        QVERIFY(row < pane->model()->rowCount());
        const rubric::DeadCriterion pruned = pane->model()->at(row);
        const qint64 before = head(path, pruned.promptId).versionId;
        pane->view()->sortByColumn(DeadCriteriaModel::Prompt, Qt::AscendingOrder);
        pane->view()->clearSelection();
        pane->view()->selectRow(row); // proxy row = model row when sorted by prompt (stable)
        QCOMPARE(pane->selectedCriteria().size(), 1);
        QCOMPARE(pane->selectedCriteria().front().stableId, pruned.stableId);
        QVERIFY(pane->pruneButton()->isEnabled());
        const int reads = int(loaded.count());
        pane->pruneButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(loaded.count() > reads && !pane->isLoading(), kTimeoutMs);
        const RubricRecord after = head(path, pruned.promptId);
        QVERIFY(after.versionId != before);
        QCOMPARE(after.origin, QStringLiteral("prune"));
        for (const auto &c : after.criteria)
            QVERIFY(c.stableId != pruned.stableId);

        // Rewrite the first judged criterion through the authoring dialog and the Jobs dock.
        row = 0;
        while (row < pane->model()->rowCount() && pane->model()->at(row).check)
            ++row;
        QVERIFY(row < pane->model()->rowCount());
        const rubric::DeadCriterion target = pane->model()->at(row);
        pane->view()->clearSelection();
        pane->view()->selectRow(row);
        pane->rewriteButton()->click();
        auto *dialog = window.findChild<AuthoringDialog *>();
        QVERIFY(dialog);
        QCOMPARE(dialog->mode(), AuthoringDialog::Mode::PruneRewrite);
        QCOMPARE(dialog->pruneRewriteConfig().criteria.size(), 1);
        QTRY_VERIFY_WITH_TIMEOUT(dialog->startButton()->isEnabled(),
                                 kTimeoutMs); // after the preview
        QVERIFY(dialog->previewLabel()->text().contains(QStringLiteral("1 calls")));
        const qint64 beforeRewrite = head(path, target.promptId).versionId;
        dialog->startButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(head(path, target.promptId).versionId != beforeRewrite,
                                 kTimeoutMs);
        QCOMPARE(head(path, target.promptId).origin, QStringLiteral("prune-rewrite"));
        QTRY_COMPARE_WITH_TIMEOUT(window.judge()->activeJobCount(), 0, kTimeoutMs);

        if (QString shot = qEnvironmentVariable("RS_DEAD_SCREENSHOT"); !shot.isEmpty()) {
            QTRY_VERIFY_WITH_TIMEOUT(!pane->isLoading(), kTimeoutMs);
            pane->view()->selectRow(0);
            QTest::qWait(200);
            shot.replace(QLatin1String(".png"), QLatin1String("-window.png"));
            QVERIFY(window.grab().save(shot, "PNG"));
        }
    }
};

QTEST_MAIN(TestDeadCriteria)
#include "tst_deadcriteria.moc"

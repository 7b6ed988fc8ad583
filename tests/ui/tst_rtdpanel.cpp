// The RTD tab against the local LLM test server: the round of a refined prompt are listed as
// stored, Propose Round runs as a job and shows the rewrite as a diff, a change unchecked by
// the user keeps the old criterion when the round is saved, and the authoring dialogs show a
// cost preview before they offer Start. Models run under QAbstractItemModelTester.
#include "rtd/authoringcontroller.h"
#include "rtd/authoringdialog.h"
#include "judge/judgecontroller.h"
#include "jobs/joblistmodel.h"
#include "judge/judgejob.h"
#include "common/markdownview.h"
#include "mainwindow.h"
#include "project/projectsession.h"
#include "navigator/promptlistmodel.h"
#include "navigator/promptnavigator.h"
#include "providers/providerlistmodel.h"
#include "rtd/rtdpanel.h"
#include "rtdproject.h"
#include "rtd/rtdproposalmodel.h"
#include "rtd/rtdroundmodel.h"

#include "authoring/rtdrounds.h"
#include "rubric/rubricversions.h"
#include "store/database.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace rs;
using namespace rs::ui;

class RtdPanelTest final : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    test::ServerProcess m_server;
    QString m_project;

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_server.start());
        m_project = m_dir.filePath(QStringLiteral("rtd.rubrics"));
        const QString e = test::buildRefinedDemo(m_project, m_server, 1);
        QVERIFY2(e.isEmpty(), qPrintable(e));
    }

    void proposeReviewAndAccept()
    {
        MainWindow window;
        window.setLayoutPersistent(false);
        QTRY_VERIFY_WITH_TIMEOUT(window.judge()->providers()->isLoaded(), 10000);
        window.judge()->providers()->setProviders({test::rtdProvider(m_server)});
        RtdPanel *panel = window.rtdPanel();
        QAbstractItemModelTester roundTester(panel->roundModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester proposalTester(panel->proposalModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        window.show();
        window.session()->openProject(m_project);
        QTRY_VERIFY_WITH_TIMEOUT(window.navigator()->model()->rowCount() > 0, 20000);
        window.tabs()->setCurrentWidget(panel);
        window.navigator()->selectRow(0);
        const qint64 promptId = window.navigator()->currentPromptId();
        QTRY_COMPARE_WITH_TIMEOUT(panel->roundModel()->rowCount(), 1, 10000);

        auto db = store::Database::open(m_project, store::Database::Mode::ReadOnly);
        auto stored = authoring::listRounds(db.value(), promptId);
        QCOMPARE(stored->size(), 1);
        for (int row = 0; row < 1; ++row) {
            QCOMPARE(panel->roundModel()->round(row).responseA, stored->at(row).responseA);
            // Numbered within the rubric, as the Rubric tab numbers its versions.
            auto versions = rubric::listVersions(db.value(), promptId);
            qsizetype number = 0;
            for (qsizetype v = 0; v < versions->size(); ++v)
                if (versions->at(v).id == stored->at(row).versionId)
                    number = v + 1;
            QVERIFY(number > 0);
            QCOMPARE(
                panel->roundModel()->index(row, RtdRoundModel::VersionColumn).data().toString(),
                QStringLiteral("v%1").arg(number));
        }
        // The last round's pair is on screen.
        QTRY_VERIFY_WITH_TIMEOUT(!panel->readerA()->markdown().isEmpty(), 10000);
        auto textOf = [&](qint64 id) {
            auto st = db->prepare("SELECT text FROM responses WHERE id = ?1");
            st->bind(1, std::int64_t(id));
            return st->step().value() ? st->columnText(0) : QString();
        };
        QCOMPARE(panel->readerA()->markdown(), textOf(stored->at(0).responseA));
        QCOMPARE(panel->readerB()->markdown(), textOf(stored->at(0).responseB));

        // Propose round 3 as a job; the rewrite arrives as a diff, nothing is saved yet.
        QSignalSpy shown(panel, &RtdPanel::proposalShown);
        panel->proposeRound();
        QCOMPARE(window.judge()->jobs()->rowCount(), 1);
        QVERIFY(shown.wait(30000));
        QVERIFY(panel->hasProposal());
        const qint64 versionsBefore = db->scalar("SELECT count(*) FROM rubric_versions").value();
        QCOMPARE(db->scalar("SELECT count(*) FROM rtd_rounds WHERE prompt_id = " + std::to_string(promptId)).value(), 1);
        RtdProposalModel *m = panel->proposalModel();
        QVERIFY(m->changes() > 0);
        QCOMPARE(m->acceptedChanges(), m->changes());

        // Reject the first change: the saved version keeps the old side of it.
        int rejected = -1;
        for (int row = 0; row < m->rowCount() && rejected < 0; ++row)
            if (m->flags(m->index(row, RtdProposalModel::AcceptColumn)) & Qt::ItemIsUserCheckable)
                rejected = row;
        QVERIFY(rejected >= 0);
        QVERIFY(m->setData(m->index(rejected, RtdProposalModel::AcceptColumn), Qt::Unchecked, Qt::CheckStateRole));
        QCOMPARE(m->acceptedChanges(), m->changes() - 1);
        const rubric::DiffEntry entry = m->diff().entries.at(rejected);
        const QList<rubric::CriterionDraft> expected = m->acceptedCriteria();
        auto contains = [&](const QString &text) {
            return std::any_of(expected.begin(), expected.end(),
                               [&](const rubric::CriterionDraft &d) { return d.text == text; });
        };
        if (entry.kind == rubric::DiffKind::Added) {
            for (int t : entry.to) // a rejected addition is left out
                QVERIFY(!contains(m->diff().toCriteria.at(t).text));
        } else {
            for (int f : entry.from) // a rejected removal, rewrite or re-weight keeps the old one
                QVERIFY(contains(m->diff().fromCriteria.at(f).text));
        }

        const qint64 roundsBefore = db->scalar("SELECT count(*) FROM rtd_rounds").value();
        panel->acceptProposal();
        // The panel drops the proposal once the save has returned.
        QTRY_VERIFY_WITH_TIMEOUT(!panel->hasProposal(), 10000);
        QCOMPARE(db->scalar("SELECT count(*) FROM rtd_rounds").value(), roundsBefore + 1);
        QCOMPARE(db->scalar("SELECT count(*) FROM rubric_versions").value(), versionsBefore + 1);
        auto head = rubric::loadHead(db.value(), promptId);
        QCOMPARE(head->origin, QStringLiteral("rtd"));
        QCOMPARE(head->criteria.size(), expected.size());
        for (qsizetype i = 0; i < expected.size(); ++i)
            QCOMPARE(head->criteria[i].text, expected[i].text);
        QTRY_COMPARE_WITH_TIMEOUT(panel->roundModel()->rowCount(), 2, 10000);
    }

    void generateDialogPreviewsBeforeStart()
    {
        MainWindow window;
        window.setLayoutPersistent(false);
        QTRY_VERIFY_WITH_TIMEOUT(window.judge()->providers()->isLoaded(), 10000);
        window.judge()->providers()->setProviders({test::rtdProvider(m_server)});
        window.session()->openProject(m_project);
        QTRY_VERIFY_WITH_TIMEOUT(window.navigator()->model()->rowCount() > 0, 20000);
        AuthoringDialog *dialog = window.authoring()->showDialog(AuthoringDialog::Mode::Collect);
        QVERIFY(dialog);
        QVERIFY(!dialog->startButton()->isEnabled()); // no Start before the preview
        QSignalSpy preview(dialog, &AuthoringDialog::previewShown);
        dialog->scopeCombo()->setCurrentIndex(1); // all prompts
        QVERIFY(preview.wait(10000));
        const auto pv = preview.last().first().value<llm::CostPreview>();
        const qint64 prompts = window.navigator()->model()->rowCount();
        QCOMPARE(pv.calls, prompts * 4); // four samples of the provider's model per prompt
        QVERIFY(dialog->previewLabel()->text().contains(QString::number(pv.calls)));
        QVERIFY(dialog->startButton()->isEnabled());
        dialog->reject();
    }
};

QTEST_MAIN(RtdPanelTest)
#include "tst_rtdpanel.moc"

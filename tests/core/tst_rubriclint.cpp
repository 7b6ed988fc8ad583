// Lint rules flag what makes a criterion hard to judge and stay quiet on well-written ones.
#include "rubric/lint.h"

#include <QTest>

using namespace rs;

class RubricLintTest final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void rules_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<double>("weight");
        QTest::addColumn<QString>("category");
        QTest::addColumn<QString>("scoring");
        QTest::addColumn<QString>("expected"); // rule names, comma-separated; empty = clean

        const QString w = QStringLiteral("weights"), p = QStringLiteral("points");
        QTest::newRow("clean") << QStringLiteral("Names Rayleigh scattering as the cause.") << 2.0
                               << QString() << w << QString();
        QTest::newRow("empty") << QStringLiteral("   ") << 1.0 << QString() << w
                               << QStringLiteral("empty");
        QTest::newRow("overlong") << QStringLiteral("Names the mechanism. ").repeated(16) << 1.0
                                  << QString() << w << QStringLiteral("overlong");
        QTest::newRow("compound and")
            << QStringLiteral("Explains the cause and mentions two remedies.") << 1.0 << QString()
            << w << QStringLiteral("compound");
        QTest::newRow("compound or")
            << QStringLiteral("Cites a guideline or recommends seeing a doctor.") << 1.0
            << QString() << w << QStringLiteral("compound");
        QTest::newRow("noun list is not compound")
            << QStringLiteral("Lists the causes and effects of inflation.") << 1.0 << QString() << w
            << QString();
        QTest::newRow("vague") << QStringLiteral("The explanation is accurate.") << 1.0 << QString()
                               << w << QStringLiteral("vague");
        QTest::newRow("vague good") << QStringLiteral("Has good structure.") << 1.0 << QString()
                                    << w << QStringLiteral("vague");
        QTest::newRow("vague adverb on a concrete check")
            << QStringLiteral(
                   "Clearly provides a week-by-week breakdown with specific goals for each week.")
            << 1.0 << QString() << w << QString();
        QTest::newRow("vague adverb, nothing concrete")
            << QStringLiteral("Explains it clearly.") << 1.0 << QString() << w
            << QStringLiteral("vague");
        QTest::newRow("vague with object")
            << QStringLiteral("Gives advice appropriate for a 6-year-old.") << 1.0 << QString() << w
            << QString();
        QTest::newRow("vague with example")
            << QStringLiteral("Uses clear headings (e.g. Causes, Treatment).") << 1.0 << QString()
            << w << QString();
        QTest::newRow("negative in weights") << QStringLiteral("Does not recommend antibiotics.")
                                             << 1.0 << QString() << w << QStringLiteral("negative");
        QTest::newRow("fails to") << QStringLiteral("Fails to mention the dose.") << 1.0
                                  << QString() << w << QStringLiteral("negative");
        QTest::newRow("avoids") << QStringLiteral("Avoids medical jargon.") << 1.0 << QString() << w
                                << QStringLiteral("negative");
        QTest::newRow("negative pitfall category ok")
            << QStringLiteral("Does not recommend antibiotics.") << 1.0 << QStringLiteral("pitfall")
            << w << QString();
        QTest::newRow("negative points ok")
            << QStringLiteral("Fails to mention the dose.") << -5.0 << QString() << p << QString();
        QTest::newRow("weight zero") << QStringLiteral("Names the cause.") << 0.0 << QString() << w
                                     << QStringLiteral("weight-range");
        QTest::newRow("weight too big") << QStringLiteral("Names the cause.") << 11.0 << QString()
                                        << w << QStringLiteral("weight-range");
        QTest::newRow("weight 10 ok")
            << QStringLiteral("Names the cause.") << 10.0 << QString() << w << QString();
        QTest::newRow("negative weight") << QStringLiteral("Names the cause.") << -1.0 << QString()
                                         << w << QStringLiteral("weight-range");
        QTest::newRow("points negative ok") << QStringLiteral("Recommends antibiotics for a virus.")
                                            << -7.0 << QString() << p << QString();
        QTest::newRow("points zero") << QStringLiteral("Names the cause.") << 0.0 << QString() << p
                                     << QStringLiteral("weight-range");
        QTest::newRow("points too low") << QStringLiteral("Names the cause.") << -11.0 << QString()
                                        << p << QStringLiteral("weight-range");
        QTest::newRow("several rules")
            << QStringLiteral("Is clear and avoids jargon.") << 0.0 << QString() << w
            << QStringLiteral("compound,vague,negative,weight-range");
    }

    void rules() {
        QFETCH(QString, text);
        QFETCH(double, weight);
        QFETCH(QString, category);
        QFETCH(QString, scoring);
        QFETCH(QString, expected);
        const auto issues = rubric::lintCriteria(
            {CriterionRecord{0, QStringLiteral("c1"), text, weight, category, {}}}, scoring);
        QStringList names;
        for (const auto &i : issues) {
            names << rubric::lintRuleName(i.rule);
            QVERIFY2(!i.reason.isEmpty() && !i.reason.contains(QLatin1Char('\n')),
                     "a reason is one line");
        }
        QCOMPARE(names.join(QLatin1Char(',')), expected);
    }

    void nearDuplicates_flagBothAndNameTheOther_data() {
        QTest::addColumn<QString>("a");
        QTest::addColumn<QString>("b");
        QTest::addColumn<bool>("duplicate");
        QTest::newRow("reworded") << QStringLiteral("Names Rayleigh scattering as the cause.")
                                  << QStringLiteral("Names Rayleigh scattering as the main cause.")
                                  << true;
        QTest::newRow("same topic, other check")
            << QStringLiteral("Names Rayleigh scattering as the cause.")
            << QStringLiteral("Explains why sunsets look red.") << false;
    }

    void nearDuplicates_flagBothAndNameTheOther() {
        QFETCH(QString, a);
        QFETCH(QString, b);
        QFETCH(bool, duplicate);
        const auto issues =
            rubric::lintCriteria({CriterionRecord{0, QStringLiteral("c1"), a, 1, {}, {}},
                                  CriterionRecord{0, QStringLiteral("c2"), b, 1, {}, {}}},
                                 QStringLiteral("weights"));
        QCOMPARE(issues.size(), duplicate ? 2 : 0);
        if (duplicate) {
            QCOMPARE(issues.at(0).rule, rubric::LintRule::NearDuplicate);
            QVERIFY(issues.at(0).reason.contains(QStringLiteral("c2")));
            QVERIFY(issues.at(1).reason.contains(QStringLiteral("c1")));
        }
    }
};

QTEST_GUILESS_MAIN(RubricLintTest)
#include "tst_rubriclint.moc"

// The diff between two rubric versions classifies each change the way a reviewer would
// describe it: added, removed, rewritten, re-weighted, unchanged, split and merged.
#include "rubric/rubricdiff.h"

#include <QTest>

using namespace rs;
using rubric::DiffKind;

namespace {

CriterionRecord crit(const char *id, const char *text, double weight = 1,
                     const char *category = "") {
    return CriterionRecord{0,      QString::fromUtf8(id),       QString::fromUtf8(text),
                           weight, QString::fromUtf8(category), {}};
}

// "kind:from>to" per entry, with stable ids, so a failure shows the whole classification.
QString describe(const rubric::RubricDiff &d) {
    QStringList out;
    for (const auto &e : d.entries) {
        QStringList f, t;
        for (int i : e.from)
            f << d.fromCriteria[i].stableId;
        for (int i : e.to)
            t << d.toCriteria[i].stableId;
        out << rubric::diffKindName(e.kind) + QLatin1Char(':') + f.join(QLatin1Char('+')) +
                   QLatin1Char('>') + t.join(QLatin1Char('+'));
    }
    return out.join(QLatin1Char(' '));
}

} // namespace

class RubricDiffTest final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void classifies_data() {
        QTest::addColumn<QList<CriterionRecord>>("from");
        QTest::addColumn<QList<CriterionRecord>>("to");
        QTest::addColumn<QString>("expected");

        QTest::newRow("unchanged") << QList{crit("c1", "Mentions Rayleigh scattering.")}
                                   << QList{crit("c1", "Mentions Rayleigh scattering.")}
                                   << QStringLiteral("unchanged:c1>c1");
        QTest::newRow("re-weighted") << QList{crit("c1", "Mentions Rayleigh scattering.", 1)}
                                     << QList{crit("c1", "Mentions Rayleigh scattering.", 4)}
                                     << QStringLiteral("re-weighted:c1>c1");
        QTest::newRow("re-categorised counts as re-weighted")
            << QList{crit("c1", "Mentions Rayleigh scattering.", 1, "important")}
            << QList{crit("c1", "Mentions Rayleigh scattering.", 1, "essential")}
            << QStringLiteral("re-weighted:c1>c1");
        QTest::newRow("added and removed")
            << QList{crit("c1", "Cites two peer-reviewed sources.")}
            << QList{crit("c2", "Uses a friendly, encouraging tone.")}
            << QStringLiteral("removed:c1> added:>c2");
        QTest::newRow("rewritten, same id, heavy edit")
            << QList{crit("c3", "Gives the dose.")}
            << QList{crit("c3",
                          "States the adult paracetamol dose of 500 mg to 1 g every 4-6 hours.")}
            << QStringLiteral("rewritten:c3>c3");
        QTest::newRow("rewritten, different id, by similarity")
            << QList{crit(
                   "c1",
                   "Explains that blue light is scattered more than red light by air molecules.")}
            << QList{crit("c9",
                          "Explains that air molecules scatter blue light more than red light.")}
            << QStringLiteral("rewritten:c1>c9");
        QTest::newRow("renumbered list, reordered")
            << QList{crit("c1", "Names Rayleigh scattering."),
                     crit("c2", "Keeps the answer under 150 words.")}
            << QList{crit("c2", "Keeps the answer under 150 words."),
                     crit("c1", "Names Rayleigh scattering.")}
            << QStringLiteral("unchanged:c2>c2 unchanged:c1>c1");
        QTest::newRow("split")
            << QList{crit("c1", "Explains Rayleigh scattering and mentions why sunsets look red.")}
            << QList{crit("c1", "Explains Rayleigh scattering."),
                     crit("c4", "Mentions why sunsets look red.")}
            << QStringLiteral("split:c1>c1+c4");
        QTest::newRow("merged")
            << QList{crit("c1", "Lists the common side effects."),
                     crit("c2", "Lists the serious warning signs."), crit("c3", "Keeps it short.")}
            << QList{crit("c5", "Lists the common side effects and the serious warning signs."),
                     crit("c3", "Keeps it short.")}
            << QStringLiteral("merged:c1+c2>c5 unchanged:c3>c3");
        QTest::newRow("everything at once, removed stays in place")
            << QList{crit("c1", "Names Rayleigh scattering.", 2),
                     crit("c2", "Cites two peer-reviewed sources."),
                     crit("c3", "Keeps the answer under 150 words.")}
            << QList{crit("c1", "Names Rayleigh scattering.", 3),
                     crit("c3", "Keeps the answer under 150 words."),
                     crit("c4", "Offers an everyday analogy.")}
            << QStringLiteral("re-weighted:c1>c1 removed:c2> unchanged:c3>c3 added:>c4");
    }

    void classifies() {
        QFETCH(QList<CriterionRecord>, from);
        QFETCH(QList<CriterionRecord>, to);
        QFETCH(QString, expected);
        QCOMPARE(describe(rubric::diffCriteria(from, to)), expected);
    }

    void summary_countsEachClass() {
        const auto d =
            rubric::diffCriteria({crit("c1", "A b c."), crit("c2", "Cites sources.")},
                                 {crit("c1", "A b c.", 2), crit("c3", "Uses a friendly tone.")});
        QCOMPARE(d.count(DiffKind::Reweighted), 1);
        QCOMPARE(d.summary(), QStringLiteral("1 added, 1 removed, 1 re-weighted"));
    }
};

QTEST_GUILESS_MAIN(RubricDiffTest)
#include "tst_rubricdiff.moc"

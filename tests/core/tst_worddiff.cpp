// WordDiff, the Compare view's word-level diff: minimal edits over words, whitespace kept for
// display, escaped HTML, and long texts accounted for word by word.

#include "text/worddiff.h"

#include <QRandomGenerator>
#include <QTest>

using rs::text::WordDiff;

namespace {

/// The diff as one line: "=keep -gone +new" per span, for readable expectations.
QString describe(const WordDiff &diff)
{
    QStringList parts;
    for (const WordDiff::Span &s : diff.spans()) {
        const QChar op = s.op == WordDiff::Op::Equal    ? QLatin1Char('=')
                         : s.op == WordDiff::Op::Delete ? QLatin1Char('-')
                                                        : QLatin1Char('+');
        parts << op + s.text;
    }
    return parts.join(QLatin1Char('|'));
}

/// Rebuilds one side of the diff from its spans (words and whitespace as tokenized).
QString side(const WordDiff &diff, bool to)
{
    QString out;
    for (const WordDiff::Span &s : diff.spans()) {
        if (s.op == (to ? WordDiff::Op::Delete : WordDiff::Op::Insert))
            continue;
        out += s.text + (s.trailing.isEmpty() ? QStringLiteral(" ") : s.trailing);
    }
    return out;
}

} // namespace

class TestWordDiff final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void diff_findsTheSmallestWordEdit_data();
    void diff_findsTheSmallestWordEdit();
    void spans_rebuildBothTexts();
    void tokenize_keepsWhitespaceWithTheWordBeforeIt();
    void html_escapesMarkupAndMarksChanges();
    void html_keepsLineBreaks();
    void longDissimilarTexts_accountForEveryWord();
};

void TestWordDiff::diff_findsTheSmallestWordEdit_data()
{
    QTest::addColumn<QString>("from");
    QTest::addColumn<QString>("to");
    QTest::addColumn<QString>("spans");
    QTest::addColumn<int>("deleted");
    QTest::addColumn<int>("inserted");

    QTest::newRow("identical") << "a b c"
                               << "a b c"
                               << "=a b c" << 0 << 0;
    QTest::newRow("both empty") << ""
                                << ""
                                << "" << 0 << 0;
    QTest::newRow("from empty") << ""
                                << "new words"
                                << "+new words" << 0 << 2;
    QTest::newRow("to empty") << "old words"
                              << "   "
                              << "-old words" << 2 << 0;
    QTest::newRow("replace middle") << "the quick brown fox"
                                    << "the slow brown fox"
                                    << "=the|-quick|+slow|=brown fox" << 1 << 1;
    QTest::newRow("insert at start") << "b c"
                                     << "a b c"
                                     << "+a|=b c" << 0 << 1;
    QTest::newRow("delete at end") << "a b c"
                                   << "a b"
                                   << "=a b|-c" << 1 << 0;
    QTest::newRow("moved word") << "one two three"
                                << "two three one"
                                << "-one|=two three|+one" << 1 << 1;
    QTest::newRow("punctuation is part of the word") << "Hello, world."
                                                     << "Hello world."
                                                     << "-Hello,|+Hello|=world." << 1 << 1;
    QTest::newRow("case matters") << "Use a List"
                                  << "use a list"
                                  << "-Use|+use|=a|-List|+list" << 2 << 2;
    // Equal spans show the second text, whitespace and all.
    QTest::newRow("whitespace alone is no change") << "a  b\nc"
                                                   << "a b c"
                                                   << "=a b c" << 0 << 0;
    QTest::newRow("no common word") << "x y"
                                    << "p q r"
                                    << "-x y|+p q r" << 2 << 3;
    // Several alignments are minimal here; only the size of the edit is fixed.
    QTest::newRow("repeated words") << "a a b a"
                                    << "a b a a"
                                    << "*" << 1 << 1;
}

void TestWordDiff::diff_findsTheSmallestWordEdit()
{
    QFETCH(QString, from);
    QFETCH(QString, to);
    QFETCH(QString, spans);
    QFETCH(int, deleted);
    QFETCH(int, inserted);
    const WordDiff diff(from, to);
    QCOMPARE(diff.deletedWords(), deleted);
    QCOMPARE(diff.insertedWords(), inserted);
    if (spans != QLatin1String("*"))
        QCOMPARE(describe(diff), spans);
}

void TestWordDiff::spans_rebuildBothTexts()
{
    // Random edits of a random text: the Equal+Delete spans give back the first text's words,
    // Equal+Insert spans the second's, and the edit is never larger than replacing everything.
    QRandomGenerator rng(42);
    const QStringList vocabulary{QStringLiteral("alpha"), QStringLiteral("beta"),
                                 QStringLiteral("gamma"), QStringLiteral("delta"),
                                 QStringLiteral("the"),   QStringLiteral("a"),
                                 QStringLiteral("list"),  QStringLiteral("set()")};
    for (int round = 0; round < 200; ++round) {
        QStringList a, b;
        const int n = int(rng.bounded(0, 40));
        for (int i = 0; i < n; ++i)
            a << vocabulary[rng.bounded(int(vocabulary.size()))];
        b = a;
        const int edits = int(rng.bounded(0, 8));
        for (int e = 0; e < edits; ++e) {
            const int kind = int(rng.bounded(3));
            if (kind == 0 || b.isEmpty())
                b.insert(rng.bounded(int(b.size()) + 1),
                         vocabulary[rng.bounded(int(vocabulary.size()))]);
            else if (kind == 1)
                b.removeAt(rng.bounded(int(b.size())));
            else
                b[rng.bounded(int(b.size()))] = vocabulary[rng.bounded(int(vocabulary.size()))];
        }
        const QString from = a.join(QLatin1Char(' '));
        const QString to = b.join(QLatin1Char(' '));
        const WordDiff diff(from, to);
        QCOMPARE(side(diff, false).simplified(), from);
        QCOMPARE(side(diff, true).simplified(), to);
        QCOMPARE(diff.commonWords() + diff.deletedWords(), int(a.size()));
        QCOMPARE(diff.commonWords() + diff.insertedWords(), int(b.size()));
        // Each edit changes at most one word on each side.
        QVERIFY(diff.deletedWords() <= edits && diff.insertedWords() <= edits);
        for (qsizetype i = 1; i < diff.spans().size(); ++i)
            QVERIFY(diff.spans()[i].op != diff.spans()[i - 1].op);
    }
}

void TestWordDiff::tokenize_keepsWhitespaceWithTheWordBeforeIt()
{
    const auto tokens = WordDiff::tokenize(QStringLiteral("  Hello,\tworld!\n\n- item "));
    QCOMPARE(tokens.size(), 4);
    QCOMPARE(tokens[0].word, QStringLiteral("Hello,"));
    QCOMPARE(tokens[0].space, QStringLiteral("\t"));
    QCOMPARE(tokens[1].word, QStringLiteral("world!"));
    QCOMPARE(tokens[1].space, QStringLiteral("\n\n"));
    QCOMPARE(tokens[2].word, QStringLiteral("-"));
    QCOMPARE(tokens[3].word, QStringLiteral("item"));
    QCOMPARE(tokens[3].space, QStringLiteral(" "));
    QVERIFY(WordDiff::tokenize(QStringLiteral(" \n ")).isEmpty());
}

void TestWordDiff::html_escapesMarkupAndMarksChanges()
{
    const WordDiff diff(QStringLiteral("use <b>list</b> & set"),
                        QStringLiteral("use <script>alert(1)</script> & set"));
    const QString html = diff.toHtml();
    QVERIFY(!html.contains(QLatin1String("<b>")));
    QVERIFY(!html.contains(QLatin1String("<script>")));
    QVERIFY(html.contains(QLatin1String("&lt;script&gt;alert(1)&lt;/script&gt;")));
    QVERIFY(html.contains(QLatin1String("&lt;b&gt;list&lt;/b&gt;")));
    QVERIFY(html.contains(QLatin1String("&amp;")));
    QVERIFY(html.contains(QLatin1String("line-through")));             // the deletion
    QVERIFY(html.contains(QLatin1String("background-color:#c8efc4"))); // the insertion
    QVERIFY(!html.contains(QLatin1String("src=")));
}

void TestWordDiff::html_keepsLineBreaks()
{
    const WordDiff diff(QStringLiteral("First line\nsecond line"),
                        QStringLiteral("First line\nthird line"));
    const QString html = diff.toHtml();
    QVERIFY(html.startsWith(QLatin1String("First line<br>")));
    QVERIFY(html.contains(QLatin1String(">second</span>")));
    QVERIFY(html.contains(QLatin1String(">third</span>")));
}

void TestWordDiff::longDissimilarTexts_accountForEveryWord()
{
    // Two 3,000-word responses sharing only some vocabulary: every word of each side is either
    // common or deleted/inserted. (How fast this runs is a benchmark's question, not a test's.)
    QRandomGenerator rng(7);
    QStringList a, b;
    for (int i = 0; i < 3000; ++i) {
        a << QStringLiteral("w%1").arg(rng.bounded(400));
        b << QStringLiteral("w%1").arg(rng.bounded(400));
    }
    const WordDiff diff(a.join(QLatin1Char(' ')), b.join(QLatin1Char(' ')));
    QCOMPARE(diff.commonWords() + diff.deletedWords(), 3000);
    QCOMPARE(diff.commonWords() + diff.insertedWords(), 3000);
    QVERIFY(diff.commonWords() > 100);
}

QTEST_GUILESS_MAIN(TestWordDiff)
#include "tst_worddiff.moc"

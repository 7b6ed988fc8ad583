// Rubric design (issue 16): criteria checked by code, veto and shaping. Every check is computed
// here a second time by a plain re-implementation (other code paths: regex classes instead of
// a whitespace table, QJsonDocument instead of nlohmann, string scans instead of regexes) on
// real AlpacaEval answers, and once more by the pack's reward.py, which must agree exactly.
// Scoring with veto and shaping is checked against hand arithmetic; the import reports bad
// checks as FILE:LINE; the judge plan never contains a check; scores apply the veto.
#include "datasupport.h"
#include "import/importer.h"
#include "judge/aggregationjson.h"
#include "judge/judgeplan.h"
#include "judge/scorereader.h"
#include "judge/scoring.h"
#include "pack/packexporter.h"
#include "pack/packimporter.h"
#include "rubric/checkcriterion.h"
#include "rubric/lint.h"
#include "rubric/mechanicalcriterion.h"
#include "rubric/rubricversions.h"
#include "store/database.h"
#include "store/projectstore.h"
#include "testsupport.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>

#include <nlohmann/json.hpp>

#include <cmath>

using namespace rs;

namespace {

// ---- plain re-implementations -------------------------------------------------------------

// Words: maximal runs matched by a Unicode-aware "not whitespace" class, plus the four
// separators U+001C..U+001F and U+0085 that Python also splits on (PCRE2 does not).
qint64 plainWords(const QString &t) {
    static const QRegularExpression re(QStringLiteral("[^\\s\\x{1c}-\\x{1f}\\x{85}]+"),
                                       QRegularExpression::UseUnicodePropertiesOption);
    qint64 n = 0;
    for (auto it = re.globalMatch(t); it.hasNext(); it.next())
        ++n;
    return n;
}

// Code points: UTF-16 units minus the low halves of surrogate pairs.
qint64 plainChars(const QString &t) {
    qint64 n = 0;
    for (const QChar c : t)
        if (!c.isLowSurrogate())
            ++n;
    return n;
}

bool plainParsesJson(const QString &candidate) {
    // QJsonDocument lets raw control characters through inside strings; JSON (and Python's
    // json.loads) does not, so scan for them first.
    bool inString = false, escaped = false;
    for (const QChar c : candidate) {
        if (inString && !escaped && c.unicode() < 0x20)
            return false;
        if (escaped)
            escaped = false;
        else if (inString && c == QLatin1Char('\\'))
            escaped = true;
        else if (c == QLatin1Char('"'))
            inString = !inString;
    }
    // Wrapping in [ ] lets QJsonDocument take scalars too; exactly one element means the
    // candidate was one JSON value.
    QJsonParseError e;
    const QJsonDocument d = QJsonDocument::fromJson(
        (QStringLiteral("[") + candidate + QStringLiteral("]")).toUtf8(), &e);
    return e.error == QJsonParseError::NoError && d.array().size() == 1 &&
           !candidate.trimmed().isEmpty();
}

bool plainJson(const QString &t) {
    if (plainParsesJson(t.trimmed()))
        return true;
    qsizetype at = t.indexOf(QLatin1String("```"));
    while (at >= 0) {
        const qsizetype body = t.indexOf(QLatin1Char('\n'), at);
        if (body < 0)
            return false;
        const qsizetype close = t.indexOf(QLatin1String("```"), body + 1);
        if (close < 0)
            return false;
        if (plainParsesJson(t.mid(body + 1, close - body - 1)))
            return true;
        at = t.indexOf(QLatin1String("```"), close + 3);
    }
    return false;
}

struct PlainMarkdown {
    qint64 headers = 0, bullets = 0, blocks = 0;
};

// Character scans, no regexes.
PlainMarkdown plainMarkdown(const QString &t) {
    PlainMarkdown m;
    bool code = false;
    for (QString line : t.split(QLatin1Char('\n'))) {
        if (line.endsWith(QLatin1Char('\r')))
            line.chop(1);
        int sp = 0;
        while (sp < line.size() && line[sp] == QLatin1Char(' '))
            ++sp;
        if (sp <= 3 && line.mid(sp).startsWith(QLatin1String("```"))) {
            if (code)
                ++m.blocks;
            code = !code;
            continue;
        }
        if (code)
            continue;
        if (sp <= 3) {
            int h = 0;
            while (sp + h < line.size() && line[sp + h] == QLatin1Char('#'))
                ++h;
            const qsizetype after = sp + h;
            if (h >= 1 && h <= 6 &&
                (after == line.size() || line[after] == QLatin1Char(' ') ||
                 line[after] == QLatin1Char('\t'))) {
                ++m.headers;
                continue;
            }
        }
        qsizetype i = 0;
        while (i < line.size() && (line[i] == QLatin1Char(' ') || line[i] == QLatin1Char('\t')))
            ++i;
        qsizetype markerEnd = -1;
        if (i < line.size() && QStringLiteral("-*+").contains(line[i])) {
            markerEnd = i + 1;
        } else {
            qsizetype d = i;
            while (d < line.size() && line[d] >= QLatin1Char('0') && line[d] <= QLatin1Char('9'))
                ++d;
            if (d > i && d - i <= 9 && d < line.size() &&
                (line[d] == QLatin1Char('.') || line[d] == QLatin1Char(')')))
                markerEnd = d + 1;
        }
        if (markerEnd < 0)
            continue;
        qsizetype s = markerEnd;
        while (s < line.size() && (line[s] == QLatin1Char(' ') || line[s] == QLatin1Char('\t')))
            ++s;
        if (s > markerEnd && s < line.size())
            ++m.bullets;
    }
    return m;
}

bool plainHasDigit(const QString &t) {
    for (const QChar c : t)
        if (c.isDigit()) // the Unicode digit class, as Python's [0-9] is not: see the pattern
            return true;
    return false;
}

rubric::CheckCriterion makeCheck(const char *json) {
    auto spec = rubric::checkFromJson(nlohmann::json::parse(json));
    if (!spec)
        qFatal("bad check %s: %s", json, qPrintable(spec.error().message));
    return rubric::CheckCriterion(spec.value());
}

QStringList alpacaTexts(test::Corpus corpus, int files) {
    QStringList out;
    const QStringList names = test::alpacaModelFiles(corpus);
    for (int i = 0; i < names.size() && i < files; ++i) {
        QFile f(names[i]);
        if (!f.open(QIODevice::ReadOnly))
            continue;
        for (const QJsonValue &r : QJsonDocument::fromJson(f.readAll()).array())
            out << r.toObject().value(QStringLiteral("output")).toString();
    }
    return out;
}

// A few texts with the edge cases the corpus may lack.
QStringList edgeTexts() {
    return {QString(),
            QStringLiteral("  "),
            QStringLiteral("one\x1ftwo\u00a0three\u2003four\u200bfive"),
            QStringLiteral("😀 emoji count"),
            QStringLiteral("{\"a\": 1, \"b\": [true, null]}"),
            QStringLiteral("Here:\n```json\n{\"name\": \"x\", \"n\": 2}\n```\nDone."),
            QStringLiteral("```\nnot json\n```\n```json\n[1, 2]\n```"),
            QStringLiteral("NaN"),
            QStringLiteral("# Title\n## Sub\n- a\n* b\n3) c\n```\n# not a header\n- no\n```\n"),
            QStringLiteral("#nospace\n-no\n   - yes\r\n    # four spaces\n1. one\n")};
}

double plainReward(const std::vector<double> &w, const std::vector<bool> &met,
                   const std::vector<bool> &veto, bool points, double cap, int shaping, double k) {
    double num = 0, den = 0;
    for (std::size_t i = 0; i < w.size(); ++i) {
        if (points ? w[i] > 0 : true)
            den += w[i];
        if (met[i])
            num += w[i];
    }
    double s = den == 0 ? 0 : num / den;
    if (points)
        s = den <= 0 ? 0 : std::min(1.0, std::max(0.0, s));
    if (shaping == 1)
        s = std::pow(std::min(1.0, std::max(0.0, s)), k);
    else if (shaping == 2)
        s = (std::exp(k * std::min(1.0, std::max(0.0, s))) - 1) / (std::exp(k) - 1);
    for (std::size_t i = 0; i < w.size(); ++i)
        if (veto[i] && !met[i])
            return std::min(s, cap);
    return s;
}

const char kCheckList[][120] = {
    R"({"type":"min_words","value":60})",
    R"({"type":"max_words","value":150})",
    R"({"type":"min_chars","value":400})",
    R"({"type":"max_chars","value":900})",
    R"({"type":"regex","pattern":"[0-9]"})",
    R"({"type":"regex","pattern":"(?i)sorry","must_match":false})",
    R"({"type":"contains","phrases":["the"],"case_sensitive":true})",
    R"({"type":"not_contains","phrases":["However","In conclusion"]})",
    R"({"type":"json"})",
    R"({"type":"markdown","min_bullets":2})",
    R"({"type":"markdown","min_headers":1,"min_code_blocks":1})",
};

} // namespace

class TestRubricDesign final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void checks_matchPlainReimplementations_onAlpacaEval_data() { test::addCorpusRows(); }
    void checks_matchPlainReimplementations_onAlpacaEval() {
        RS_FETCH_CORPUS(test::alpacaDir);
        QStringList texts = alpacaTexts(corpus, 3) + edgeTexts();
        QVERIFY(texts.size() > 10);
        const auto c = [](const char *j) { return makeCheck(j); };
        const auto minW = c(kCheckList[0]), maxW = c(kCheckList[1]), minC = c(kCheckList[2]),
                   maxC = c(kCheckList[3]), digit = c(kCheckList[4]), sorry = c(kCheckList[5]),
                   the = c(kCheckList[6]), notHow = c(kCheckList[7]), json = c(kCheckList[8]),
                   bullets = c(kCheckList[9]), headCode = c(kCheckList[10]);
        int passedSome = 0;
        for (const QString &t : texts) {
            const QByteArray at = t.left(60).toUtf8();
            QCOMPARE(rubric::countWords(t), plainWords(t));
            QCOMPARE(minW.passes(t), plainWords(t) >= 60);
            QCOMPARE(maxW.passes(t), plainWords(t) <= 150);
            QCOMPARE(rubric::countChars(t), plainChars(t));
            QCOMPARE(minC.passes(t), plainChars(t) >= 400);
            QCOMPARE(maxC.passes(t), plainChars(t) <= 900);
            // [0-9] is ASCII in both engines; compare against ASCII digits only.
            bool ascii = false;
            for (const QChar ch : t)
                ascii = ascii || (ch >= QLatin1Char('0') && ch <= QLatin1Char('9'));
            QVERIFY2(digit.passes(t) == ascii, at.constData());
            QCOMPARE(sorry.passes(t), !t.contains(QLatin1String("sorry"), Qt::CaseInsensitive));
            QCOMPARE(the.passes(t), t.contains(QLatin1String("the")));
            QCOMPARE(notHow.passes(t), !t.toLower().contains(QLatin1String("however")) &&
                                           !t.toLower().contains(QLatin1String("in conclusion")));
            QVERIFY2(json.passes(t) == plainJson(t), at.constData());
            const PlainMarkdown m = plainMarkdown(t);
            const rubric::MarkdownCounts got = rubric::countMarkdown(t);
            QVERIFY2(got.headers == m.headers && got.bullets == m.bullets &&
                         got.codeBlocks == m.blocks,
                     at.constData());
            QCOMPARE(bullets.passes(t), m.bullets >= 2);
            QCOMPARE(headCode.passes(t), m.headers >= 1 && m.blocks >= 1);
            passedSome += minW.passes(t) + bullets.passes(t) + json.passes(t);
        }
        QVERIFY(passedSome > 0); // the corpus exercises the passing side too
        Q_UNUSED(plainHasDigit);
    }

    void checks_agreeWithPackRewardScript_data() { test::addCorpusRows(); }
    void checks_agreeWithPackRewardScript() {
        // reward.py is what trainers run; its check_passes must say what the studio says.
        RS_FETCH_CORPUS(test::alpacaDir);
        const QString python = QStandardPaths::findExecutable(QStringLiteral("python3"));
        if (python.isEmpty())
            QSKIP("python3 not found");
        QTemporaryDir dir;
        QFile script(dir.filePath(QStringLiteral("reward.py")));
        QVERIFY(script.open(QIODevice::WriteOnly));
        script.write(pack::referenceRewardScript());
        script.close();
        const QStringList texts = alpacaTexts(corpus, 2) + edgeTexts();
        QJsonArray checks;
        for (const char *j : kCheckList)
            checks.append(QJsonDocument::fromJson(j).object());
        QJsonArray textArray;
        for (const QString &t : texts)
            textArray.append(t);
        const QString input =
            test::writeFile(dir, QStringLiteral("in.json"),
                            QJsonDocument(QJsonObject{{QStringLiteral("checks"), checks},
                                                      {QStringLiteral("texts"), textArray}})
                                .toJson(QJsonDocument::Compact));
        QProcess p;
        p.setWorkingDirectory(dir.path());
        p.start(python, {QStringLiteral("-c"),
                         QStringLiteral("import json,sys; from reward import check_passes\n"
                                        "d=json.load(open(sys.argv[1], encoding='utf-8'))\n"
                                        "print(json.dumps([[check_passes(c, t) for c in "
                                        "d['checks']] for t in d['texts']]))"),
                         input});
        QVERIFY(p.waitForFinished(120000));
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
        const QJsonArray got = QJsonDocument::fromJson(p.readAllStandardOutput()).array();
        QCOMPARE(got.size(), texts.size());
        for (int i = 0; i < texts.size(); ++i)
            for (int k = 0; k < int(std::size(kCheckList)); ++k)
                QVERIFY2(got[i].toArray()[k].toBool() == makeCheck(kCheckList[k]).passes(texts[i]),
                         qPrintable(QStringLiteral("check %1 on text %2: %3")
                                        .arg(QLatin1String(kCheckList[k]))
                                        .arg(i)
                                        .arg(texts[i].left(80))));
    }

    void scoring_vetoAndShaping_matchHandArithmetic_data() {
        QTest::addColumn<bool>("points");
        QTest::addColumn<double>("cap");
        QTest::addColumn<int>("shaping");
        QTest::addColumn<double>("k");
        QTest::newRow("weighted, veto 0.2") << false << 0.2 << 0 << 1.0;
        QTest::newRow("points, veto 0") << true << 0.0 << 0 << 1.0;
        QTest::newRow("weighted, power 2, veto 0.5") << false << 0.5 << 1 << 2.0;
        QTest::newRow("weighted, power 0.5") << false << 0.0 << 1 << 0.5;
        QTest::newRow("points, exponential 3, veto 0.1") << true << 0.1 << 2 << 3.0;
        QTest::newRow("weighted, exponential -2") << false << 0.3 << 2 << -2.0;
    }
    void scoring_vetoAndShaping_matchHandArithmetic() {
        QFETCH(bool, points);
        QFETCH(double, cap);
        QFETCH(int, shaping);
        QFETCH(double, k);
        judge::AggregationSpec spec;
        spec.type = points ? judge::Aggregation::Points : judge::Aggregation::WeightedSum;
        spec.vetoCap = cap;
        spec.shaping = shaping == 0   ? judge::Shaping::None
                       : shaping == 1 ? judge::Shaping::Power
                                      : judge::Shaping::Exponential;
        spec.exponent = k;
        const std::vector<double> w{3, 1, 2, points ? -2.0 : 1.0};
        const std::vector<bool> veto{false, false, true, false};
        for (int mask = 0; mask < 16; ++mask) {
            std::vector<bool> met(4);
            std::vector<judge::CriterionOutcome> o;
            for (int i = 0; i < 4; ++i) {
                met[std::size_t(i)] = (mask >> i) & 1;
                o.push_back({w[std::size_t(i)], bool(met[std::size_t(i)]), veto[std::size_t(i)]});
            }
            const double want = plainReward(w, met, veto, points, cap, shaping, k);
            const double got = judge::reward(o, spec, judge::MissingPolicy::CountAsNo);
            QVERIFY2(std::fabs(got - want) < 1e-12,
                     qPrintable(QStringLiteral("mask %1: %2 vs %3").arg(mask).arg(got).arg(want)));
        }
        // A veto without a verdict caps under "count as no" and not under "drop".
        const std::vector<judge::CriterionOutcome> missing{{1, true, false},
                                                           {1, std::nullopt, true}};
        QCOMPARE(judge::vetoFailed(missing, judge::MissingPolicy::CountAsNo), true);
        QCOMPARE(judge::vetoFailed(missing, judge::MissingPolicy::Drop), false);
    }

    void aggregation_roundTripsAndRefusesMistakes() {
        const auto parse = [](const char *j) {
            return judge::aggregationFromJson(nlohmann::json::parse(j));
        };
        auto a = parse(
            R"({"type":"weighted_sum","veto_cap":0.2,"shaping":{"type":"power","exponent":2}})");
        QVERIFY(a.ok());
        QCOMPARE(
            judge::aggregationToText(a.value()),
            QStringLiteral(
                R"({"shaping":{"exponent":2,"type":"power"},"type":"weighted_sum","veto_cap":0.2})"));
        QCOMPARE(judge::aggregationFromText(judge::aggregationToText(a.value()),
                                            QStringLiteral("weights")),
                 a.value());
        // Implicit keeps its type whatever the rubric's scoring (its weights are guidance).
        auto implicit = parse(R"({"type":"implicit","veto_cap":0.3})");
        QVERIFY(implicit.ok());
        QCOMPARE(judge::aggregationToText(implicit.value()),
                 QStringLiteral(R"({"type":"implicit","veto_cap":0.3})"));
        QCOMPARE(judge::aggregationFromText(judge::aggregationToText(implicit.value()),
                                            QStringLiteral("weights"))
                     .type,
                 judge::Aggregation::Implicit);
        QVERIFY(!parse(R"({"type":"holistic"})").ok());
        QVERIFY(!parse(R"({"type":"weighted_sum","veto_cap":2})").ok());
        QVERIFY(!parse(R"({"type":"weighted_sum","shaping":{"type":"power","exponent":0}})").ok());
        QVERIFY(!parse(R"({"type":"weighted_sum","cap":0.2})").ok());
    }

    void import_badChecks_reportFileAndLine_data() {
        QTest::addColumn<QByteArray>("criterion");
        QTest::addColumn<QString>("fragment");
        QTest::newRow("unknown type")
            << QByteArray(R"({"type":"min_sentences","value":3})")
            << QStringLiteral("rubrics[1].check: unknown type \"min_sentences\"");
        QTest::newRow("no value") << QByteArray(R"({"type":"min_words"})")
                                  << QStringLiteral("rubrics[1].check: missing \"value\"");
        QTest::newRow("fractional value") << QByteArray(R"({"type":"max_chars","value":10.5})")
                                          << QStringLiteral("non-negative whole number");
        QTest::newRow("bad regex") << QByteArray("{\"type\":\"regex\",\"pattern\":\"([\"}")
                                   << QStringLiteral("pattern does not compile");
        QTest::newRow("typo") << QByteArray(R"({"type":"regex","pattern":"x","must_macth":false})")
                              << QStringLiteral("regex takes no \"must_macth\"");
        QTest::newRow("no phrases") << QByteArray(R"({"type":"contains","phrases":[]})")
                                    << QStringLiteral("non-empty array \"phrases\"");
        QTest::newRow("empty markdown") << QByteArray(R"({"type":"markdown"})")
                                        << QStringLiteral("at least one of min_headers");
        QTest::newRow("not an object")
            << QByteArray("\"min_words\"") << QStringLiteral("must be an object");
    }
    void import_badChecks_reportFileAndLine() {
        QFETCH(QByteArray, criterion);
        QFETCH(QString, fragment);
        QTemporaryDir dir;
        auto store = test::newProject(dir);
        const QString file = test::writeFile(
            dir, QStringLiteral("r.jsonl"),
            QByteArray(R"({"prompt":"A","rubrics":[{"criterion":"Fine.","weight":1}]})") + "\n" +
                R"({"prompt":"B","rubrics":[{"criterion":"Fine.","weight":1},{"criterion":"Checked.","weight":1,"check":)" +
                criterion + "}]}\n");
        import::ImportConfig cfg;
        cfg.files = {file};
        cfg.format = import::Format::Rubrics;
        auto res = import::importFiles(*store, cfg, {});
        QVERIFY(!res.ok());
        const QString msg = res.error().toString();
        QVERIFY2(msg.contains(QStringLiteral("r.jsonl:2: ")), qPrintable(msg));
        QVERIFY2(msg.contains(fragment), qPrintable(msg));
        QCOMPARE(test::stats(*store).rubrics, 0); // all or nothing
    }

    void projectWithChecks_judgePlanSkipsThem_scoresApplyVeto() {
        QTemporaryDir dir;
        auto store = test::newProject(dir);
        const QString responses = test::writeFile(
            dir, QStringLiteral("r.json"),
            R"([{"instruction":"Q1","output":"There are 3 steps in all of it here.","generator":"a"},
                {"instruction":"Q1","output":"No numbers at all in this answer.","generator":"b"},
                {"instruction":"Q2","output":"- one\n- two","generator":"a"},
                {"instruction":"Q2","output":"plain","generator":"b"}])");
        const QString rubrics = test::writeFile(
            dir, QStringLiteral("k.jsonl"),
            R"({"prompt":"Q1","aggregation":{"type":"weighted_sum","veto_cap":0.25},"rubrics":[{"criterion":"Is helpful.","weight":3},{"criterion":"Has 8 words or more.","weight":1,"check":{"type":"min_words","value":8}},{"criterion":"Has a digit.","weight":2,"check":{"type":"regex","pattern":"[0-9]"},"veto":true}]})"
            "\n"
            R"({"prompt":"Q2","rubrics":[{"criterion":"Uses bullets.","weight":1,"check":{"type":"markdown","min_bullets":2}}]})"
            "\n");
        import::ImportConfig cfg;
        cfg.files = {responses};
        QVERIFY(import::importFiles(*store, cfg, {}).ok());
        cfg.files = {rubrics};
        auto imported = import::importFiles(*store, cfg, {});
        QVERIFY2(imported.ok(),
                 qPrintable(imported.ok() ? QString() : imported.error().toString()));

        auto db = store::Database::open(dir.filePath(QStringLiteral("p.rubrics")),
                                        store::Database::Mode::ReadOnly);
        QVERIFY(db.ok());
        // The plan holds the one judged criterion of Q1 and nothing for Q2 (checks only).
        auto plan = judge::planRun(db.value(), 0, judge::JudgeConfig{});
        QVERIFY(plan.ok());
        QCOMPARE(int(plan->items.size()), 2);
        for (const auto &item : plan->items) {
            QCOMPARE(item.criteria.size(), 1);
            QCOMPARE(item.criteria.first().text, QStringLiteral("Is helpful."));
        }

        // No judge run yet: the judged criterion counts as no, checks decide the rest.
        auto scores = judge::computeScores(db.value(), {});
        QVERIFY(scores.ok());
        QCOMPARE(int(scores->size()), 4);
        QHash<QString, double> got;
        for (const auto &s : scores.value())
            got[QString::number(s.promptId) + s.generator] = s.reward;
        auto q = [&](const char *prompt) {
            auto st = db->prepare("SELECT id FROM prompts WHERE text = ?1");
            st->bind(1, QString::fromLatin1(prompt));
            (void)st->step();
            return QString::number(st->columnInt(0));
        };
        QCOMPARE(got[q("Q1") + QLatin1Char('a')], (0 + 1 + 2) / 6.0);
        QCOMPARE(got[q("Q1") + QLatin1Char('b')], std::min(0.25, (0 + 0 + 0) / 6.0));
        QCOMPARE(got[q("Q2") + QLatin1Char('a')], 1.0);
        QCOMPARE(got[q("Q2") + QLatin1Char('b')], 0.0);

        // The version stores its checks, veto and aggregation; a native pack carries them and
        // imports back unchanged (the same version content, so nothing new is stored).
        auto head = rubric::loadHead(db.value(), q("Q1").toLongLong());
        QVERIFY(head.ok());
        QVERIFY(head->aggregation.contains(QLatin1String("\"veto_cap\":0.25")));
        QCOMPARE(head->criteria[2].veto, true);
        QVERIFY(head->criteria[1].checkJson.contains(QLatin1String("min_words")));
        pack::PackExportOptions po;
        po.outDir = dir.filePath(QStringLiteral("pack"));
        auto exported = pack::exportPack(db.value(), po);
        QVERIFY(exported.ok());
        auto back = pack::importPack(*store, po.outDir);
        QVERIFY2(back.ok(), qPrintable(back.ok() ? QString() : back.error().toString()));
        QCOMPARE(back->rubricVersionsAdded, 0);
        QCOMPARE(back->unchanged, 2);
    }

    void contentHash_coversCheckAndVeto() {
        const auto h = [](const QString &check, bool veto) {
            return rubric::criterionContentHash(QStringLiteral("Has a digit."), 2, {}, check, veto);
        };
        const QString check =
            QStringLiteral(R"({"must_match":true,"pattern":"[0-9]","type":"regex"})");
        QVERIFY(h({}, false) != h(check, false));
        QVERIFY(h(check, false) != h(check, true));
        QVERIFY(h({}, false) != h({}, true));
        // A judged criterion hashes as it did before checks existed.
        QCOMPARE(h({}, false), rubric::criterionContentHash(QStringLiteral("Has a digit."), 2, {}));
    }

    void lint_proposesChecksForMechanicalCriteria_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("check");
        QTest::newRow("at least words") << QStringLiteral("The response has at least 50 words.")
                                        << QStringLiteral(R"({"type":"min_words","value":50})");
        QTest::newRow("fewer than chars") << QStringLiteral("Is fewer than 1,000 characters long.")
                                          << QStringLiteral(R"({"type":"max_chars","value":999})");
        QTest::newRow("more than words") << QStringLiteral("Uses more than 20 words.")
                                         << QStringLiteral(R"({"type":"min_words","value":21})");
        QTest::newRow("valid json")
            << QStringLiteral("The answer is valid JSON.") << QStringLiteral(R"({"type":"json"})");
        QTest::newRow("mentions word")
            << QStringLiteral("Mentions the word \"refund\".")
            << QStringLiteral(R"({"case_sensitive":false,"phrases":["refund"],"type":"contains"})");
        QTest::newRow("does not use phrase")
            << QStringLiteral("Does not use the phrase 'as an AI'.")
            << QStringLiteral(
                   R"({"case_sensitive":false,"phrases":["as an AI"],"type":"not_contains"})");
        QTest::newRow("code block")
            << QStringLiteral("Includes a code block.")
            << QStringLiteral(
                   R"({"min_bullets":0,"min_code_blocks":1,"min_headers":0,"type":"markdown"})");
        QTest::newRow("judgement")
            << QStringLiteral("Explains the trade-offs of each option.") << QString();
        QTest::newRow("clear headings") << QStringLiteral("Uses clear headings.") << QString();
    }
    void lint_proposesChecksForMechanicalCriteria() {
        QFETCH(QString, text);
        QFETCH(QString, check);
        const auto s = rubric::suggestCheck(text);
        QCOMPARE(s ? rubric::checkToText(*s) : QString(), check);
        const auto issues = rubric::lintCriteria(
            {CriterionRecord{0, QStringLiteral("c1"), text, 1, {}, {}}}, QStringLiteral("weights"));
        bool mechanical = false;
        for (const auto &i : issues)
            if (i.rule == rubric::LintRule::Mechanical) {
                mechanical = true;
                QCOMPARE(i.suggestedCheck, check);
            }
        QCOMPARE(mechanical, !check.isEmpty());
        // Once it is a check, lint has nothing more to propose.
        const auto done =
            rubric::lintCriteria({CriterionRecord{0,
                                                  QStringLiteral("c1"),
                                                  text,
                                                  1,
                                                  {},
                                                  {},
                                                  check.isEmpty() ? QStringLiteral("{}") : check}},
                                 QStringLiteral("weights"));
        for (const auto &i : done)
            QVERIFY(i.rule != rubric::LintRule::Mechanical);
    }
};

QTEST_GUILESS_MAIN(TestRubricDesign)
#include "tst_rubricdesign.moc"

// The deterministic answers of each role, checked against values worked out by hand from the
// rules in README.md (not by calling the server's code), for both APIs.
#include "chatbodies.h"
#include "rawhttp.h"
#include "serverprocess.h"

#include <QJsonArray>
#include <QTest>

using namespace rs::test;

namespace {

enum class Api { OpenAi, Anthropic };

QJsonArray criteria(std::initializer_list<std::pair<const char *, int>> list) {
    QJsonArray out;
    for (const auto &[text, weight] : list)
        out.append(QJsonObject{{QStringLiteral("criterion"), QString::fromUtf8(text)},
                               {QStringLiteral("weight"), weight}});
    return out;
}

const QString kJudgeResponse = QStringLiteral("The mitochondria is the powerhouse of the cell.");

} // namespace

class TestRoles final : public QObject {
    Q_OBJECT
private:
    ServerProcess m_server;
    RawHttpClient m_client;

    /// The assistant text for one request, and its usage object.
    QString ask(Api api, const QString &model, const QString &system, const QString &user,
                QJsonObject *usage = nullptr) {
        const RawResponse r =
            api == Api::OpenAi
                ? m_client.request("POST", "/v1/chat/completions", openAiBody(model, system, user))
                : m_client.request("POST", "/v1/messages", anthropicBody(model, system, user));
        if (r.status != 200)
            return QStringLiteral("HTTP %1").arg(r.status);
        if (usage)
            *usage = r.json().value(QStringLiteral("usage")).toObject();
        return api == Api::OpenAi ? openAiContent(r.json()) : anthropicText(r.json());
    }

    QJsonDocument askJson(Api api, const QString &system, const QString &user,
                          const QString &model = QStringLiteral("m")) {
        return parseAnswer(ask(api, model, system, user));
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
        QVERIFY(m_client.connectTo(m_server.port()));
    }

    void both_data() {
        QTest::addColumn<Api>("api");
        QTest::newRow("openai") << Api::OpenAi;
        QTest::newRow("anthropic") << Api::Anthropic;
    }

    void proposer_takesLongWordsOfThePromptBlock_data() { both_data(); }
    void proposer_takesLongWordsOfThePromptBlock() {
        QFETCH(Api, api);
        const QString user = QStringLiteral(
            "Write a rubric for this prompt as a JSON array.\n<<<PROMPT\nExplain how "
            "photosynthesis converts sunlight into chemical energy in plants.\nPROMPT>>>\n");
        // Words of 5+ letters in order: explain(7) photosynthesis(14) converts(8) sunlight(8)
        // chemical(8) [energy, plants: past the five]; weight = 1 + letters % 3.
        const QJsonArray expected = criteria({
            {"The response mentions \"explain\".", 2},
            {"The response mentions \"photosynthesis\".", 3},
            {"The response mentions \"converts\".", 3},
            {"The response mentions \"sunlight\".", 3},
            {"The response mentions \"chemical\".", 3},
            {"The response is at least 50 words long.", 1},
        });
        QCOMPARE(askJson(api, QStringLiteral("[role:proposer]"), user).array(), expected);
    }

    void proposer_withoutPromptBlock_readsTheWholeMessage() {
        const QJsonArray expected = criteria({
            {"The response mentions \"describe\".", 3},
            {"The response mentions \"water\".", 3},
            {"The response mentions \"cycle\".", 3},
            {"The response is at least 50 words long.", 1},
        });
        QCOMPARE(askJson(Api::OpenAi, QStringLiteral("[role:proposer]"),
                         QStringLiteral("Describe the water cycle"))
                     .array(),
                 expected);
    }

    void proposer_shortPrompt_isPaddedToFourCriteria() {
        const QJsonArray expected = criteria({
            {"The response is at least 10 words long.", 2},
            {"The response is at least 20 words long.", 2},
            {"The response is at least 30 words long.", 1},
            {"The response is at least 50 words long.", 1},
        });
        QCOMPARE(
            askJson(Api::Anthropic, QStringLiteral("[role:proposer]"), QStringLiteral("Say hi."))
                .array(),
            expected);
    }

    void rewrite_withPair_addsAWordOfAThatBLacks() {
        const QString user =
            QStringLiteral("Rewrite the rubric so that it separates these two responses.\n"
                           "<<<PROMPT\nCompare cats and dogs as pets.\nPROMPT>>>\n"
                           "<<<A\nCats are independent animals that groom themselves.\nA>>>\n"
                           "<<<B\nDogs are loyal animals that need walks.\nB>>>\n");
        // "compare" is the only long prompt word; "independent" is A's first long word absent
        // from B ("animals" is in both); two criteria get one filler before the final one.
        const QJsonArray expected = criteria({
            {"The response mentions \"compare\".", 2},
            {"The response mentions \"independent\".", 3},
            {"The response is at least 10 words long.", 2},
            {"The response is at least 50 words long.", 1},
        });
        QCOMPARE(askJson(Api::OpenAi, QStringLiteral("[role:rewrite]"), user).array(), expected);
        // The proposer answers the same message the same way.
        QCOMPARE(askJson(Api::OpenAi, QStringLiteral("[role:proposer]"), user).array(), expected);
    }

    void proposer_withPairAndLongPrompt_staysAtSixCriteria() {
        const QString user = QStringLiteral(
            "<<<PROMPT\nSummarise recent research about sleep quality, memory, attention and "
            "mood.\nPROMPT>>>\n<<<A\nStudies link deep sleep with memory consolidation.\nA>>>\n"
            "<<<B\nSleep affects mood.\nB>>>");
        // Four prompt words (summarise 9 letters, recent 6, research 8, about 5), then the word
        // of A missing from B, then the final criterion.
        const QJsonArray expected = criteria({
            {"The response mentions \"summarise\".", 1},
            {"The response mentions \"recent\".", 1},
            {"The response mentions \"research\".", 3},
            {"The response mentions \"about\".", 3},
            {"The response mentions \"studies\".", 3}, // the pair's word: weight 3
            {"The response is at least 50 words long.", 1},
        });
        QCOMPARE(askJson(Api::Anthropic, QStringLiteral("[role:proposer]"), user).array(),
                 expected);
    }

    void judge_allCriteria_answersEveryIdByTheRule_data() { both_data(); }
    void judge_allCriteria_answersEveryIdByTheRule() {
        QFETCH(Api, api);
        // The response has 8 whitespace-separated words.
        const QString user =
            QStringLiteral("Grade the response.\n<<<PROMPT\nWhat is the mitochondria?\nPROMPT>>>\n"
                           "<<<RESPONSE\n%1\nRESPONSE>>>\n<<<CRITERIA\n"
                           "c1: The response mentions \"PowerHouse\".\n"
                           "c2: The response mentions \"chloroplast\".\n"
                           "c3: The response is at least 5 words long.\n"
                           "c4: The response is at least 50 words long.\n"
                           "c5: The response is polite.\n"
                           "this line has no id and is ignored\n"
                           "c10: The answer names the \"cell\" as the unit.\n"
                           "CRITERIA>>>")
                .arg(kJudgeResponse);
        const QJsonDocument verdicts =
            askJson(api, QStringLiteral("You are a judge. [role:judge]"), user);
        QVERIFY(verdicts.isObject());
        const QJsonObject o = verdicts.object();
        QCOMPARE(o.size(), 6);
        QCOMPARE(o.value(QStringLiteral("c1")).toString(),
                 QStringLiteral("yes")); // case-insensitive
        QCOMPARE(o.value(QStringLiteral("c2")).toString(), QStringLiteral("no"));
        QCOMPARE(o.value(QStringLiteral("c3")).toString(), QStringLiteral("yes")); // 8 >= 5
        QCOMPARE(o.value(QStringLiteral("c4")).toString(), QStringLiteral("no"));  // 8 < 50
        QCOMPARE(o.value(QStringLiteral("c5")).toString(), QStringLiteral("yes")); // 8 is even
        QCOMPARE(o.value(QStringLiteral("c10")).toString(), QStringLiteral("yes"));
        // Keys keep the order of the CRITERIA block.
        const QString raw = ask(api, QStringLiteral("m"), QStringLiteral("[role:judge]"), user);
        QVERIFY2(raw.indexOf(QLatin1String("\"c5\"")) < raw.indexOf(QLatin1String("\"c10\"")),
                 qPrintable(raw));
    }

    void judge_oddWordCountAndAtLeastWithinASentence() {
        const QString user =
            QStringLiteral("<<<RESPONSE\nOne two three.\nRESPONSE>>>\n<<<CRITERIA\n"
                           "c1: The response is polite.\n"
                           "c2: Uses at least 3 words.\nCRITERIA>>>");
        const QJsonObject o = askJson(Api::OpenAi, QStringLiteral("[role:judge]"), user).object();
        QCOMPARE(o, (QJsonObject{{QStringLiteral("c1"), QStringLiteral("no")},
                                 {QStringLiteral("c2"), QStringLiteral("yes")}}));
    }

    void judge_singleCriterionWithoutMode_isStillAnObject() {
        const QString user = QStringLiteral("<<<RESPONSE\nx\nRESPONSE>>>\n<<<CRITERIA\n"
                                            "c3: The response mentions \"x\".\nCRITERIA>>>");
        QCOMPARE(askJson(Api::OpenAi, QStringLiteral("[role:judge]"), user).object(),
                 (QJsonObject{{QStringLiteral("c3"), QStringLiteral("yes")}}));
    }

    void judge_perCriterionMode_answersExplanationAndCriteriaMet_data() { both_data(); }
    void judge_perCriterionMode_answersExplanationAndCriteriaMet() {
        QFETCH(Api, api);
        const QString system = QStringLiteral("[role:judge]\n[mode:per-criterion]");
        const auto one = [&](const QString &criterion) {
            return askJson(api, system,
                           QStringLiteral(
                               "<<<RESPONSE\n%1\nRESPONSE>>>\n<<<CRITERIA\nc7: %2\nCRITERIA>>>")
                               .arg(kJudgeResponse, criterion))
                .object();
        };
        QCOMPARE(one(QStringLiteral("The response mentions \"mitochondria\".")),
                 (QJsonObject{{QStringLiteral("explanation"),
                               QStringLiteral("The response contains \"mitochondria\".")},
                              {QStringLiteral("criteria_met"), true}}));
        QCOMPARE(
            one(QStringLiteral("The response is at least 9 words long.")),
            (QJsonObject{{QStringLiteral("explanation"),
                          QStringLiteral("The response has 8 words; at least 9 are required.")},
                         {QStringLiteral("criteria_met"), false}}));
        QCOMPARE(one(QStringLiteral("The response is friendly.")),
                 (QJsonObject{{QStringLiteral("explanation"),
                               QStringLiteral("The response has 8 words, an even count.")},
                              {QStringLiteral("criteria_met"), true}}));
        // With two criteria the marker does not apply: the all-criteria object comes back.
        const QJsonObject two = askJson(api, system,
                                        QStringLiteral("<<<RESPONSE\n%1\nRESPONSE>>>\n<<<CRITERIA\n"
                                                       "c1: a\nc2: b\nCRITERIA>>>")
                                            .arg(kJudgeResponse))
                                    .object();
        QCOMPARE(two, (QJsonObject{{QStringLiteral("c1"), QStringLiteral("yes")},
                                   {QStringLiteral("c2"), QStringLiteral("yes")}}));
    }

    void pairwise_prefersMoreWordsAndATie_data() { both_data(); }
    void pairwise_prefersMoreWordsAndATie() {
        QFETCH(Api, api);
        const QJsonObject b =
            askJson(api, QStringLiteral("[role:pairwise]"),
                    QStringLiteral("<<<A\none two three\nA>>>\n<<<B\none two three "
                                   "four five\nB>>>"))
                .object();
        QCOMPARE(b.value(QStringLiteral("better")).toString(), QStringLiteral("B"));
        QCOMPARE(
            b.value(QStringLiteral("reason")).toString(),
            QStringLiteral("A has 3 words and B has 5; the response with more words wins, a tie "
                           "goes to A."));
        const QJsonObject tie =
            askJson(api, QStringLiteral("[role:pairwise]"),
                    QStringLiteral("<<<A\nfirst answer\nA>>>\n<<<B\nsecond answer\nB>>>"))
                .object();
        QCOMPARE(tie.value(QStringLiteral("better")).toString(), QStringLiteral("A"));
    }

    void role_markerBeatsModelNameAndModelNameBeatsChat() {
        const QString pair = QStringLiteral("<<<A\nx\nA>>>\n<<<B\nx y\nB>>>");
        // The marker wins over a model name that says otherwise.
        QVERIFY(askJson(Api::OpenAi, QStringLiteral("[role:judge]"), pair,
                        QStringLiteral("my-proposer"))
                    .isObject());
        // No marker: the model name decides; an unknown marker is ignored.
        QCOMPARE(askJson(Api::OpenAi, {}, pair, QStringLiteral("acme-PAIRWISE-1"))
                     .object()
                     .value(QStringLiteral("better"))
                     .toString(),
                 QStringLiteral("B"));
        QVERIFY(askJson(Api::Anthropic, QStringLiteral("[role:oracle]"), QStringLiteral("Say hi."),
                        QStringLiteral("rubric-proposer"))
                    .isArray());
        // Neither: plain chat.
        QCOMPARE(ask(Api::OpenAi, QStringLiteral("gpt"), QStringLiteral("[role:oracle]"), pair),
                 QStringLiteral("Echo: ") + pair);
    }

    void chat_echoesTheFirst200CodePointsAndCountsTokensByCodePoint() {
        QString user;
        for (int i = 0; i < 250; ++i)
            user += QStringLiteral("\U0001F600"); // outside the BMP: two UTF-16 units each
        QJsonObject usage;
        const QString answer = ask(Api::OpenAi, QStringLiteral("m"), {}, user, &usage);
        QCOMPARE(answer, QStringLiteral("Echo: ") + user.left(400));
        QCOMPARE(usage.value(QStringLiteral("prompt_tokens")).toInt(), 63);     // ceil(250 / 4)
        QCOMPARE(usage.value(QStringLiteral("completion_tokens")).toInt(), 52); // ceil(206 / 4)
    }
};

QTEST_GUILESS_MAIN(TestRoles)
#include "tst_fakellm_roles.moc"

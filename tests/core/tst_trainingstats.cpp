// The Training view's numbers: served rewards logged at several steps (through the log `serve`
// writes with) are read back by step, and every statistic is checked against a plain
// re-computation here — mean, p10/p50/p90, per-criterion pass rates and saturation, length,
// formatting, the reward–length Spearman and the top-K responses.
#include "analytics/trainingstats.h"
#include "import/importer.h"
#include "serve/servedrewardlog.h"
#include "store/database.h"
#include "store/projectstore.h"
#include "testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <set>

using namespace rs;

namespace {

struct Row final {
    qint64 id = 0;
    qint64 step = 0;
    qint64 promptId = 0;
    double reward = 0;
    QString text;
    std::vector<std::pair<QString, QString>> verdicts; // criterion, yes/no/none
};

double plainQuantile(std::vector<double> v, double q) {
    std::sort(v.begin(), v.end());
    const double h = (v.size() - 1) * q;
    const auto lo = std::size_t(h);
    const auto hi = std::min(lo + 1, v.size() - 1);
    return v[lo] + (h - lo) * (v[hi] - v[lo]);
}

std::vector<double> plainRanks(const std::vector<double> &v) {
    std::vector<double> r(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) {
        double less = 0, equal = 0;
        for (double w : v) {
            less += w < v[i];
            equal += w == v[i];
        }
        r[i] = less + (equal + 1) / 2;
    }
    return r;
}

double plainSpearman(const std::vector<double> &x, const std::vector<double> &y) {
    const auto rx = plainRanks(x), ry = plainRanks(y);
    const double n = double(x.size());
    double mx = 0, my = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        mx += rx[i] / n;
        my += ry[i] / n;
    }
    double sxy = 0, sxx = 0, syy = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        sxy += (rx[i] - mx) * (ry[i] - my);
        sxx += (rx[i] - mx) * (rx[i] - mx);
        syy += (ry[i] - my) * (ry[i] - my);
    }
    return sxy / std::sqrt(sxx * syy);
}

bool plainFormatted(const QString &text) {
    for (const QString &line : text.split(QLatin1Char('\n')))
        if (line.startsWith(QLatin1String("# ")) || line.startsWith(QLatin1String("## ")) ||
            line.startsWith(QLatin1String("- ")))
            return true;
    return false;
}

} // namespace

class TrainingStatsTest final : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    /// Two prompts with a two-criterion rubric each and eight responses of growing length,
    /// every other one with Markdown.
    std::unique_ptr<store::ProjectStore> makeProject(const QString &name) {
        auto store = test::newProject(m_dir, name);
        QJsonArray outputs;
        QByteArray rubrics;
        for (const QString &prompt : {QStringLiteral("Give an example of a prime number."),
                                      QStringLiteral("Explain what you would pack for a hike.")}) {
            for (int k = 0; k < 8; ++k) {
                QString text = QStringLiteral("Answer %1 to %2:").arg(k).arg(prompt);
                for (int w = 0; w < 3 * k; ++w)
                    text += QStringLiteral(" word%1").arg(w);
                if (k % 2 == 1)
                    text = QStringLiteral("# Heading\n- item one\n") + text;
                outputs.push_back(
                    QJsonObject{{QStringLiteral("instruction"), prompt},
                                {QStringLiteral("output"), text},
                                {QStringLiteral("generator"), QStringLiteral("policy%1").arg(k)}});
            }
            const QJsonArray crit{
                QJsonObject{{QStringLiteral("criterion"), QStringLiteral("Gives an example.")},
                            {QStringLiteral("weight"), 3}},
                QJsonObject{{QStringLiteral("criterion"), QStringLiteral("Addresses the user.")},
                            {QStringLiteral("weight"), 1}}};
            rubrics += QJsonDocument(QJsonObject{{QStringLiteral("prompt"), prompt},
                                                 {QStringLiteral("rubrics"), crit}})
                           .toJson(QJsonDocument::Compact) +
                       "\n";
        }
        import::ImportConfig c;
        c.files << test::writeFile(m_dir, name + QStringLiteral(".outputs.json"),
                                   QJsonDocument(outputs).toJson());
        if (!import::importFiles(*store, c).ok())
            qFatal("import failed");
        import::ImportConfig r;
        r.files << test::writeFile(m_dir, name + QStringLiteral(".rubrics.jsonl"), rubrics);
        r.format = import::Format::Rubrics;
        if (!import::importFiles(*store, r).ok())
            qFatal("rubric import failed");
        return store;
    }

    /// Logs served rewards at steps 10, 20 and 30 (plus a failed one and one without a step)
    /// as `serve` does; criterion c1 is met by every response at step 30 (saturated).
    static void logServedRewards(store::ProjectStore &store) {
        auto db = store::Database::open(store.path(), store::Database::Mode::ReadOnly);
        QVERIFY(db);
        struct Resp {
            qint64 id, promptId, version;
            qint64 length;
        };
        std::vector<Resp> responses;
        auto st = db->prepare("SELECT r.id, r.prompt_id, v.id, length(r.text) FROM responses r"
                              " JOIN rubrics ru ON ru.prompt_id = r.prompt_id"
                              " JOIN rubric_versions v ON v.rubric_id = ru.id ORDER BY r.id");
        QVERIFY(st);
        QVERIFY(st->forEach([&] {
            responses.push_back(
                {st->columnInt(0), st->columnInt(1), st->columnInt(2), st->columnInt(3)});
        }));
        QCOMPARE(responses.size(), std::size_t(16));

        serve::ServedRewardLog log(store);
        std::mt19937 rng(14);
        std::uniform_real_distribution<double> uni(0, 1);
        for (qint64 step : {10, 20, 30}) {
            std::vector<serve::ServedReward> rows;
            for (const Resp &r : responses) {
                serve::ServedReward row;
                row.step = step;
                row.endpoint = "get_reward";
                row.promptId = r.promptId;
                row.responseId = r.id;
                row.rubricVersion = r.version;
                row.status = "ok";
                // Rewards drift with length as the steps go on; a few ties on purpose.
                row.reward = std::round((uni(rng) + double(r.length) * step / 3000.0) * 4) / 4;
                const bool c1 = step == 30 || uni(rng) < 0.5;
                const double u = uni(rng);
                const char *c2 = u < 0.4 ? "yes" : u < 0.9 ? "no" : "none";
                row.criteriaJson =
                    std::string("[{\"id\":\"c1\",\"verdict\":\"") + (c1 ? "yes" : "no") +
                    "\",\"p_yes\":1},{\"id\":\"c2\",\"verdict\":\"" + c2 + "\",\"p_yes\":0.5}]";
                row.responseLength = r.length;
                rows.push_back(std::move(row));
            }
            serve::ServedReward failed;
            failed.step = step;
            failed.endpoint = "get_reward";
            failed.status = "failed";
            failed.error = "the judge call failed";
            rows.push_back(failed);
            log.record(std::move(rows));
        }
        serve::ServedReward unstepped;
        unstepped.endpoint = "v1/rewards";
        unstepped.promptId = responses[0].promptId;
        unstepped.responseId = responses[0].id;
        unstepped.status = "ok";
        unstepped.reward = 1;
        log.record({unstepped});
        log.flush();
    }

    /// The logged rows as the test reads them itself.
    static std::vector<Row> readRows(store::Database &db) {
        std::vector<Row> rows;
        auto st = db.prepare("SELECT s.id, s.step, s.prompt_id, s.reward, r.text, s.criteria"
                             " FROM served_rewards s JOIN responses r ON r.id = s.response_id"
                             " WHERE s.status = 'ok' AND s.step IS NOT NULL");
        if (!st)
            qFatal("prepare");
        (void)st->forEach([&] {
            Row r{st->columnInt(0),    st->columnInt(1),  st->columnInt(2),
                  st->columnDouble(3), st->columnText(4), {}};
            const auto list = QJsonDocument::fromJson(st->columnText(5).toUtf8()).array();
            for (const auto &v : list)
                r.verdicts.push_back(
                    {v[QStringLiteral("id")].toString(), v[QStringLiteral("verdict")].toString()});
            rows.push_back(std::move(r));
        });
        return rows;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void emptyLog_hasNoSteps() {
        auto store = makeProject(QStringLiteral("empty.rubrics"));
        auto db = store::Database::open(store->path(), store::Database::Mode::ReadOnly);
        auto stats = analytics::loadTrainingStats(db.value());
        QVERIFY(stats);
        QCOMPARE(stats->total, 0);
        QVERIFY(stats->steps.empty());
    }

    void servedRewards_byStep_matchAPlainRecomputation() {
        auto store = makeProject(QStringLiteral("served.rubrics"));
        logServedRewards(*store);
        if (QTest::currentTestFailed())
            return;
        auto db = store::Database::open(store->path(), store::Database::Mode::ReadOnly);
        QVERIFY(db);
        analytics::TrainingStatsOptions o;
        o.topK = 4;
        auto got = analytics::loadTrainingStats(db.value(), o);
        QVERIFY2(got, qPrintable(got ? QString() : got.error().message));
        const analytics::TrainingStats &t = got.value();
        QCOMPARE(t.total, 3 * 17 + 1);
        QCOMPARE(t.withoutStep, 1);
        QCOMPARE(t.steps.size(), std::size_t(3));

        const std::vector<Row> rows = readRows(db.value());
        for (const analytics::StepStats &s : t.steps) {
            std::vector<const Row *> at;
            for (const Row &r : rows)
                if (r.step == s.step)
                    at.push_back(&r);
            QCOMPARE(s.rewarded, qint64(at.size()));
            QCOMPARE(s.rewarded, 16);
            QCOMPARE(s.failed, 1);
            std::vector<double> rewards, lengths;
            double words = 0, formatted = 0;
            for (const Row *r : at) {
                rewards.push_back(r->reward);
                lengths.push_back(double(r->text.size()));
                words +=
                    r->text.split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts)
                        .size();
                formatted += plainFormatted(r->text);
            }
            const double n = double(at.size());
            double mean = 0, chars = 0;
            for (std::size_t i = 0; i < at.size(); ++i) {
                mean += rewards[i] / n;
                chars += lengths[i] / n;
            }
            QCOMPARE(s.meanReward, mean);
            QCOMPARE(s.p10, plainQuantile(rewards, 0.1));
            QCOMPARE(s.p50, plainQuantile(rewards, 0.5));
            QCOMPARE(s.p90, plainQuantile(rewards, 0.9));
            QCOMPARE(s.meanChars, chars);
            QCOMPARE(s.meanWords, words / n);
            QCOMPARE(s.formattedShare, formatted / n);
            QCOMPARE(s.formattedShare, 0.5);
            QVERIFY(s.rewardLength);
            QCOMPARE(s.rewardLength->n, qint64(at.size()));
            QVERIFY(std::abs(s.rewardLength->rho - plainSpearman(rewards, lengths)) < 1e-12);

            // Pass rates per (prompt, criterion): yes over yes+no, "none" left out.
            std::map<std::pair<qint64, QString>, std::pair<int, int>> counts;
            for (const Row *r : at)
                for (const auto &[id, verdict] : r->verdicts)
                    if (verdict != QLatin1String("none")) {
                        auto &[yes, judged] = counts[{r->promptId, id}];
                        yes += verdict == QLatin1String("yes");
                        ++judged;
                    }
            QCOMPARE(s.criteria.size(), counts.size());
            qint64 saturated = 0;
            for (const auto &c : s.criteria) {
                const auto &[yes, judged] = counts.at({c.promptId, c.stableId});
                QCOMPARE(c.yes, qint64(yes));
                QCOMPARE(c.judged, qint64(judged));
                QCOMPARE(c.passRate, double(yes) / judged);
                const bool sat = c.passRate >= 0.95 || c.passRate <= 0.05;
                QCOMPARE(c.saturated, sat);
                saturated += sat;
                QVERIFY(!c.text.isEmpty());
                if (s.step == 30 && c.stableId == QLatin1String("c1"))
                    QVERIFY(c.saturated);
            }
            QCOMPARE(s.saturatedCriteria, saturated);
            QVERIFY(s.criteria.front().stableId == QLatin1String("c1"));

            // Top 4: highest reward first, ties to the earliest served.
            std::vector<const Row *> sorted = at;
            std::stable_sort(sorted.begin(), sorted.end(), [](const Row *a, const Row *b) {
                return a->reward != b->reward ? a->reward > b->reward : a->id < b->id;
            });
            QCOMPARE(s.top.size(), std::size_t(4));
            for (std::size_t k = 0; k < s.top.size(); ++k) {
                QCOMPARE(s.top[k].servedId, sorted[k]->id);
                QCOMPARE(s.top[k].reward, sorted[k]->reward);
                QCOMPARE(s.top[k].excerpt, sorted[k]->text.left(200));
            }
        }
        QVERIFY(t.steps[0].step == 10 && t.steps[1].step == 20 && t.steps[2].step == 30);

        // A criterion's trend: its pass rate at each step that judged it, counted from the rows.
        const analytics::CriterionPassRate &c1 = t.steps[0].criteria.front();
        const auto trend = analytics::passRateTrend(t.steps, c1.promptId, c1.stableId);
        std::vector<std::pair<qint64, std::pair<int, int>>> plain; // step, (yes, judged)
        for (const analytics::StepStats &s : t.steps) {
            int yes = 0, judged = 0;
            for (const Row &r : rows)
                if (r.step == s.step && r.promptId == c1.promptId)
                    for (const auto &[id, verdict] : r.verdicts)
                        if (id == c1.stableId && verdict != QLatin1String("none")) {
                            yes += verdict == QLatin1String("yes");
                            ++judged;
                        }
            if (judged > 0)
                plain.push_back({s.step, {yes, judged}});
        }
        QCOMPARE(trend.size(), plain.size());
        QVERIFY(trend.size() >= 2);
        for (std::size_t k = 0; k < trend.size(); ++k) {
            QCOMPARE(trend[k].step, plain[k].first);
            QCOMPARE(trend[k].judged, qint64(plain[k].second.second));
            QCOMPARE(trend[k].passRate, double(plain[k].second.first) / plain[k].second.second);
        }
        // The change since the first judged step, against the same plain counts.
        const double firstRate = double(plain[0].second.first) / plain[0].second.second;
        for (const analytics::StepStats &s : t.steps)
            for (const analytics::CriterionPassRate &c : s.criteria)
                if (c.promptId == c1.promptId && c.stableId == c1.stableId) {
                    if (s.step == plain[0].first) {
                        QVERIFY(!c.changeSinceFirst);
                    } else {
                        QVERIFY(c.changeSinceFirst);
                        QCOMPARE(*c.changeSinceFirst, c.passRate - firstRate);
                    }
                }
        QVERIFY(analytics::passRateTrend(t.steps, c1.promptId, QStringLiteral("no-such")).empty());
        QVERIFY(analytics::passRateTrend(t.steps, -1, c1.stableId).empty());

        const auto j = analytics::toJson(t);
        QCOMPARE(j["steps"].size(), std::size_t(3));
        QCOMPARE(j["steps"][2]["reward"]["p90"].get<double>(), t.steps[2].p90);
        QCOMPARE(j["without_step"].get<qint64>(), 1);

        // `training --json` prints the same numbers.
        QProcess cli;
        cli.start(QStringLiteral(RS_CLI),
                  {QStringLiteral("training"), store->path(), QStringLiteral("--json"),
                   QStringLiteral("--top"), QStringLiteral("4")});
        QVERIFY(cli.waitForFinished(60000));
        QVERIFY2(cli.exitCode() == 0, cli.readAllStandardError().constData());
        const auto printed =
            nlohmann::json::parse(cli.readAllStandardOutput().toStdString(), nullptr, false);
        QVERIFY(printed.is_object());
        QCOMPARE(printed["steps"].size(), std::size_t(3));
        for (std::size_t i = 0; i < 3; ++i) {
            QCOMPARE(printed["steps"][i]["reward"]["mean"].get<double>(), t.steps[i].meanReward);
            QCOMPARE(printed["steps"][i]["top"].size(), std::size_t(4));
            QCOMPARE(printed["steps"][i]["top"][0]["id"].get<qint64>(), t.steps[i].top[0].servedId);
        }
        QProcess bad;
        bad.start(QStringLiteral(RS_CLI), {QStringLiteral("training"), store->path(),
                                           QStringLiteral("--top"), QStringLiteral("x")});
        QVERIFY(bad.waitForFinished(60000));
        QCOMPARE(bad.exitCode(), 2);

        // `training --criterion PROMPT:ID --json` prints the trend counted from the rows above.
        QProcess trendCli;
        trendCli.start(QStringLiteral(RS_CLI),
                       {QStringLiteral("training"), store->path(), QStringLiteral("--criterion"),
                        QStringLiteral("%1:%2").arg(c1.promptId).arg(c1.stableId),
                        QStringLiteral("--json")});
        QVERIFY(trendCli.waitForFinished(60000));
        QVERIFY2(trendCli.exitCode() == 0, trendCli.readAllStandardError().constData());
        const auto printedTrend =
            nlohmann::json::parse(trendCli.readAllStandardOutput().toStdString(), nullptr, false);
        QVERIFY(printedTrend.is_object());
        QCOMPARE(printedTrend["criteria"].size(), std::size_t(1));
        const auto &only = printedTrend["criteria"][0];
        QCOMPARE(only["prompt_id"].get<qint64>(), c1.promptId);
        QCOMPARE(QString::fromStdString(only["text"].get<std::string>()), c1.text);
        QCOMPARE(only["steps"].size(), plain.size());
        for (std::size_t k = 0; k < plain.size(); ++k) {
            QCOMPARE(only["steps"][k]["step"].get<qint64>(), plain[k].first);
            QCOMPARE(only["steps"][k]["judged"].get<qint64>(), qint64(plain[k].second.second));
            QCOMPARE(only["steps"][k]["pass_rate"].get<double>(),
                     double(plain[k].second.first) / plain[k].second.second);
        }
        // Without a prompt: every prompt whose rubric has that id served it.
        QProcess allPrompts;
        allPrompts.start(QStringLiteral(RS_CLI),
                         {QStringLiteral("training"), store->path(), QStringLiteral("--criterion"),
                          c1.stableId, QStringLiteral("--json")});
        QVERIFY(allPrompts.waitForFinished(60000));
        QCOMPARE(allPrompts.exitCode(), 0);
        std::set<qint64> servedPrompts;
        for (const Row &r : rows)
            for (const auto &[id, verdict] : r.verdicts)
                if (id == c1.stableId && verdict != QLatin1String("none"))
                    servedPrompts.insert(r.promptId);
        QCOMPARE(nlohmann::json::parse(allPrompts.readAllStandardOutput().toStdString())["criteria"]
                     .size(),
                 servedPrompts.size());
        // The text report names at most three criteria that rose since first judged, each with
        // the change the JSON has for it at the last step.
        QProcess text;
        text.start(QStringLiteral(RS_CLI), {QStringLiteral("training"), store->path()});
        QVERIFY(text.waitForFinished(60000));
        QCOMPARE(text.exitCode(), 0);
        static const QRegularExpression rose(
            QStringLiteral("^step (\\d+): prompt (\\d+) (\\S+) rose \\+([0-9.]+) since first"));
        int roseLines = 0;
        const auto &lastJson = printed["steps"][2]["criteria"];
        for (const QString &line :
             QString::fromUtf8(text.readAllStandardOutput()).split(QLatin1Char('\n'))) {
            const auto m = rose.match(line);
            if (!m.hasMatch())
                continue;
            ++roseLines;
            QCOMPARE(m.captured(1).toLongLong(), t.steps[2].step);
            bool found = false;
            for (const auto &c : lastJson)
                if (c["prompt_id"].get<qint64>() == m.captured(2).toLongLong() &&
                    QString::fromStdString(c["criterion"].get<std::string>()) == m.captured(3)) {
                    found = true;
                    QCOMPARE(m.captured(4),
                             QString::number(c["change_since_first"].get<double>(), 'f', 2));
                }
            QVERIFY(found);
        }
        QVERIFY(roseLines >= 1 && roseLines <= 3);
        // A criterion no served reward judged is an error that names it.
        QProcess unknown;
        unknown.start(QStringLiteral(RS_CLI),
                      {QStringLiteral("training"), store->path(), QStringLiteral("--criterion"),
                       QStringLiteral("no-such")});
        QVERIFY(unknown.waitForFinished(60000));
        QCOMPARE(unknown.exitCode(), 1);
        QVERIFY(unknown.readAllStandardError().contains("no-such"));
    }
};

QTEST_GUILESS_MAIN(TrainingStatsTest)
#include "tst_trainingstats.moc"

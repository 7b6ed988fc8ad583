#pragma once

// A judged demo project for the verdict views' tests: the demo prompts judged twice against
// the local LLM test server with a few injected faults, first all criteria in one call (no
// rationales; a failed call fails a whole row), then one call per criterion with three
// gradings, so the grid has rationales, split votes, failed gradings and re-asked calls. Verdicts
// follow the server's documented rule; the tests compare the views with what is in the file, never
// with the rule.

#include "project/demoproject.h"
#include "judge/judgerunner.h"
#include "llm/llmscheduler.h"
#include "llm/pricetable.h"
#include "serverprocess.h"
#include "store/database.h"
#include "store/projectstore.h"

#include <QFile>
#include <QString>

namespace rs::test {

struct JudgedProject final {
    qint64 jointRunId = 0;
    qint64 runId = 0; ///< the per-criterion run, the latest
    QString error;
};

inline judge::JudgeConfig judgeConfig(const ServerProcess &server)
{
    judge::JudgeConfig c;
    c.provider.name = QStringLiteral("local");
    c.provider.baseUrl = server.baseUrl() + QStringLiteral("/v1");
    c.provider.model = QStringLiteral("test-judge");
    c.provider.maxConcurrency = 8;
    c.provider.timeoutMs = 5000;
    return c;
}

/// Builds the demo at `path` and judges it; blocking (a fixture, not GUI code).
inline JudgedProject buildJudgedDemo(const QString &path)
{
    JudgedProject out;
    auto built = ui::DemoProject::build(path, ui::DemoProject::Verdicts::None); // judged below
    if (!built) {
        out.error = built.error().toString();
        return out;
    }
    ServerProcess server;
    if (!server.start({QStringLiteral("--fault-rate"), QStringLiteral("0.06"),
                       QStringLiteral("--faults"), QStringLiteral("500,malformed"),
                       QStringLiteral("--seed"), QStringLiteral("5")})) {
        out.error = server.errorString();
        return out;
    }
    auto store = store::ProjectStore::open(path);
    if (!store) {
        out.error = store.error().toString();
        return out;
    }
    llm::PriceTable prices;
    prices.set(QStringLiteral("test-judge"), {2.0, 8.0});
    llm::LlmScheduler scheduler(prices, store->get());
    judge::JudgeRunner runner(*store.value(), scheduler);

    judge::JudgeConfig joint = judgeConfig(server);
    joint.provider.maxRetries = 0; // a 500 fails the whole call: every criterion of a response
    auto first = runner.run(joint, {});
    if (!first) {
        out.error = first.error().toString();
        return out;
    }
    out.jointRunId = first->runId;

    judge::JudgeConfig perCriterion = judgeConfig(server);
    perCriterion.mode = judge::JudgeMode::PerCriterion;
    perCriterion.gradings = 3;
    perCriterion.provider.maxRetries = 0; // a 500 becomes a failed grading
    perCriterion.parseRetries = 1;        // a malformed answer is asked again once
    auto second = runner.run(perCriterion, {});
    if (!second) {
        out.error = second.error().toString();
        return out;
    }
    out.runId = second->runId;
    return out;
}

/// Builds the demo at `path` and judges it once in probability mode (one call per criterion,
/// P(yes) from the yes/no token's logprobs) against the test server's openai profile, which
/// serves logprobs; returns the run's id, or 0 with `error` set. Blocking.
inline qint64 buildProbabilityDemo(const QString &path, QString *error) {
    auto built = ui::DemoProject::build(path, ui::DemoProject::Verdicts::None);
    if (!built) {
        *error = built.error().toString();
        return 0;
    }
    ServerProcess server;
    if (!server.start({QStringLiteral("--profile"), QStringLiteral("openai")})) {
        *error = server.errorString();
        return 0;
    }
    auto store = store::ProjectStore::open(path);
    if (!store) {
        *error = store.error().toString();
        return 0;
    }
    llm::LlmScheduler scheduler(llm::PriceTable(), store->get());
    judge::JudgeRunner runner(*store.value(), scheduler);
    judge::JudgeConfig config = judgeConfig(server);
    config.mode = judge::JudgeMode::Probability;
    auto run = runner.run(config, {});
    if (!run) {
        *error = run.error().toString();
        return 0;
    }
    return run->runId;
}

/// A copy of a closed project, for a test that writes to it.
inline QString copyProject(const QString &from, const QString &to)
{
    QFile::remove(to);
    return QFile::copy(from, to) ? to : QString();
}

} // namespace rs::test

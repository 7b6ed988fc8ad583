#include "judgecall.h"

#include "holistictemplate.h"
#include "judgeanswer.h"
#include "judgeplan.h"
#include "judgetemplate.h"

#include <algorithm>
#include <unordered_map>

namespace rs::judge {
namespace {

constexpr int kProbabilityTokens = 16; // P(yes) needs the first token only

/// JudgeTemplate::answerSchema, remembered per thread: a run asks it for every call, and the
/// calls on one prompt share one criteria list (only a joint answer names them).
QString answerSchemaOf(JudgeMode mode, const QList<JudgedCriterion> &criteria) {
    thread_local std::unordered_map<QString, QString> known;
    QString key = QString::number(int(mode));
    for (const auto &c : mode == JudgeMode::Joint ? criteria : QList<JudgedCriterion>()) {
        key += QLatin1Char('\n');
        key += c.stableId;
    }
    if (auto it = known.find(key); it != known.end())
        return it->second;
    if (known.size() >= 4096) // a project's prompts, several runs: bounded, rebuilt if exceeded
        known.clear();
    return known.emplace(std::move(key), JudgeTemplate::answerSchema(mode, criteria)).first->second;
}

/// Turns a holistic answer into its score; an error when it cannot be parsed.
Expected<HolisticRow> scoreFor(const WorkItem &item, const llm::LlmResult &res) {
    auto a = parseHolisticAnswer(res.text);
    if (!a)
        return a.error();
    return HolisticRow{item.guidanceHash, QStringLiteral("ok"), a->score, a->explanation};
}

/// Turns an answer into verdict rows; an error when it cannot be parsed.
Expected<std::vector<VerdictRow>> verdictsFor(const WorkItem &item, JudgeMode mode,
                                              const llm::LlmResult &res) {
    const QString &raw = res.text;
    std::vector<VerdictRow> rows;
    if (mode == JudgeMode::Probability) {
        auto p = parseProbabilityAnswer(raw, res.firstTokenLogprobs);
        if (!p)
            return p.error();
        const auto &c = item.criteria.first();
        rows.push_back(
            {c.hash, c.stableId, p->pYes >= 0.5 ? QStringLiteral("yes") : QStringLiteral("no"),
             p->fromLogprobs
                 ? QStringLiteral("P(yes) %1 from the first token").arg(p->pYes, 0, 'f', 4)
                 : QStringLiteral("answered %1 (no yes/no token probabilities)")
                       .arg(p->pYes >= 0.5 ? QStringLiteral("yes") : QStringLiteral("no")),
             p->pYes});
        return rows;
    }
    if (mode == JudgeMode::PerCriterion) {
        auto v = parsePerCriterionAnswer(raw);
        if (!v)
            return v.error();
        const auto &c = item.criteria.first();
        rows.push_back({c.hash,
                        c.stableId,
                        v->met ? QStringLiteral("yes") : QStringLiteral("no"),
                        v->reason,
                        {}});
        return rows;
    }
    QStringList ids;
    for (const auto &c : item.criteria)
        ids << c.stableId;
    auto answer = parseJointAnswer(raw, ids);
    if (!answer)
        return answer.error();
    for (const auto &c : item.criteria) {
        auto it = answer->verdicts.constFind(c.stableId);
        if (it == answer->verdicts.cend())
            rows.push_back({c.hash,
                            c.stableId,
                            QStringLiteral("error"),
                            QStringLiteral("the judge's answer left this criterion out"),
                            {}});
        else
            rows.push_back({c.hash,
                            c.stableId,
                            it->met ? QStringLiteral("yes") : QStringLiteral("no"),
                            it->reason,
                            {}});
    }
    return rows;
}

} // namespace

void markFailed(CallRecord &rec, const WorkItem &item, const QString &why, const QString &state) {
    if (item.holistic) {
        rec.holistic = HolisticRow{item.guidanceHash, state, std::nullopt, why};
        return;
    }
    for (const auto &c : item.criteria)
        rec.verdicts.push_back({c.hash, c.stableId, state, why, {}});
}

llm::LlmRequest judgeRequest(const JudgeConfig &config, const WorkItem &item, llm::LlmRequest r,
                             int parseAttempt) {
    r.temperature = config.temperatureFor(item.grading);
    r.maxTokens = config.maxTokens;
    r.sample = item.grading + kSampleStride * parseAttempt;
    if (r.sample != 0)
        r.seed = r.sample;
    r.reasoningEffort = config.reasoningEffort;
    r.thinkingBudget = config.thinkingBudget;
    // A holistic score is asked in the run's structured form even in probability mode: its
    // first token cannot carry a 1-10 distribution ("10" is "1" then "0" to many tokenizers).
    const auto schema = [&] {
        return item.holistic ? HolisticTemplate::answerSchema()
                             : answerSchemaOf(config.mode, item.criteria);
    };
    if (config.mode == JudgeMode::Probability && !item.holistic) {
        if (parseAttempt == 0) {
            r.logprobs = true;
            r.topLogprobs = config.topLogprobs;
            r.maxTokens = std::min(config.maxTokens, kProbabilityTokens);
            r.cutIsAnswer = true;
        } else {
            r.format = llm::ResponseFormat::JsonSchema;
            r.jsonSchema = schema();
        }
        return r;
    }
    switch (config.structured) {
    case Structured::Auto:
    case Structured::JsonSchema:
    case Structured::Tool:
        r.format = llm::ResponseFormat::JsonSchema;
        r.jsonSchema = schema();
        r.schemaVia =
            config.structured == Structured::Tool ? llm::SchemaVia::Tool : llm::SchemaVia::Native;
        break;
    case Structured::JsonObject:
        r.format = llm::ResponseFormat::JsonObject;
        break;
    case Structured::Off:
        break;
    }
    return r;
}

JudgeAnswer readJudgeAnswer(const JudgeConfig &config, const WorkItem &item,
                            const llm::LlmResult &res, int parseAttempt, bool cacheOnly) {
    JudgeAnswer out;
    if (!res.ok && cacheOnly) {
        // Not answered yet (e.g. not in this batch output): the call stays missing.
        out.kind = JudgeAnswer::Kind::NotCached;
        return out;
    }
    CallRecord &rec = out.record;
    rec.responseId = item.responseId;
    rec.grading = item.grading;
    rec.temperature = config.temperatureFor(item.grading);
    rec.raw = res.text;
    rec.attempts = res.attempts;
    rec.cached = res.cached;
    rec.refused = res.refused;
    rec.tokensIn = res.tokensIn;
    rec.tokensCachedIn = res.tokensCachedIn;
    rec.tokensOut = res.tokensOut;
    rec.tokensReasoning = res.tokensReasoning;
    rec.cost = res.costUsd;
    if (!res.ok) {
        out.kind = JudgeAnswer::Kind::Failed;
        out.error = rec.error = res.errorText;
        markFailed(rec, item, res.errorText);
        return out;
    }
    if (res.refused) {
        // A refusal is an answer: stored as its own state, never re-asked.
        out.kind = JudgeAnswer::Kind::Refused;
        markFailed(rec, item, res.text, QStringLiteral("refused"));
        return out;
    }
    std::optional<Error> unparsed;
    if (item.holistic) {
        if (auto score = scoreFor(item, res))
            rec.holistic = std::move(score.value());
        else
            unparsed = score.error();
    } else if (auto rows = verdictsFor(item, config.mode, res)) {
        rec.verdicts = std::move(rows.value());
    } else {
        unparsed = rows.error();
    }
    if (!unparsed)
        return out;
    if (res.cut)
        unparsed = makeError(
            QStringLiteral("the answer was cut off at the most room given (%1 tokens): %2")
                .arg(config.maxTokens * 4)
                .arg(unparsed->message));
    if (parseAttempt < config.parseRetries) {
        out.kind = JudgeAnswer::Kind::Reask;
        out.error = unparsed->message;
        return out;
    }
    out.kind = JudgeAnswer::Kind::Failed;
    out.error = rec.error = QStringLiteral("unparseable answer: ") + unparsed->message;
    markFailed(rec, item, rec.error);
    return out;
}

} // namespace rs::judge

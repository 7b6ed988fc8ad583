#include "answerbuilder.h"

#include "apidialect.h"
#include "injectionfence.h"
#include "oracle.h"
#include "profile.h"
#include "sampler.h"
#include "schemashaper.h"
#include "stats.h"
#include "textrules.h"

#include <cmath>

namespace rs::llmserver {

using nlohmann::ordered_json;

namespace {

const QString kRefusalText = QStringLiteral("I'm sorry, but I can't help with that.");

qint64 builderTokens(const QString &text) {
    return (qint64(text::codePointCount(text)) + 3) / 4;
}

qint64 effortTokens(const QString &effort) {
    if (effort == QLatin1String("none"))
        return 0;
    if (effort == QLatin1String("minimal"))
        return 8;
    if (effort == QLatin1String("low"))
        return 32;
    if (effort == QLatin1String("high"))
        return 128;
    if (effort == QLatin1String("xhigh"))
        return 192;
    if (effort == QLatin1String("max"))
        return 256;
    return 64; // medium, the default
}

std::uint64_t conversationKey(const ChatRequest &request) {
    std::uint64_t h = Sampler::hash(request.model);
    h = Sampler::hash(request.system, Sampler::mix(h, 1));
    for (const ChatMessage &m : request.messages)
        h = Sampler::hash(m.text, Sampler::hash(m.role, Sampler::mix(h, 2)));
    return h;
}

} // namespace

AnswerBuilder::AnswerBuilder(const ServerOptions &options, Stats &stats)
    : m_options(options)
    , m_stats(stats)
    , m_fresh(options.seed ^ 0x5A4D504C45ULL) {}

qint64 AnswerBuilder::reasoningTokens(const ChatRequest &request, ApiKind api) const {
    const GenerationParams &gen = request.gen;
    if (api == ApiKind::Messages) {
        if (gen.thinkingBudget > 0)
            return qMin<qint64>(gen.thinkingBudget, 64);
        return gen.adaptiveThinking ? effortTokens(gen.effort) : 0;
    }
    if (m_options.profile == Profile::OpenAi && isReasoning(modelFamily(request.model)))
        return effortTokens(gen.effort);
    return 0;
}

Outcome AnswerBuilder::build(const ChatRequest &request, ApiKind api, const QString &id) {
    const GenerationParams &gen = request.gen;
    const bool profiled = m_options.profile != Profile::Lenient;
    Outcome o;
    o.detailed = profiled;
    const qint64 promptTokens = (qint64(request.promptChars()) + 3) / 4;

    // Sampling: temperature 0 is greedy (the seed is irrelevant); above it the seed names the
    // sample, and without one every call is a fresh draw. The lenient profile never samples.
    Oracle::Sampling sampling;
    sampling.obeyInjections = m_options.obeyInjections;
    double temperature = 0.0;
    if (profiled) {
        temperature = gen.temperature.value_or(1.0);
        const std::uint64_t conversation = conversationKey(request);
        if (temperature <= 0.0)
            sampling.key = conversation;
        else if (gen.seed)
            sampling.key = Sampler::mix(conversation, std::uint64_t(*gen.seed));
        else
            sampling.key = m_fresh();
        sampling.flipProbability = Sampler::flipProbability(temperature);
    }

    ++m_answered;
    const bool refused = m_options.refuseEvery > 0 && m_answered % m_options.refuseEvery == 0;
    const Oracle::Answer answer = Oracle::answer(request, sampling);
    QString text = answer.text;

    QList<Oracle::JudgeVerdict> verdicts;
    if (answer.role == Role::Judge && !Oracle::isHolistic(request))
        verdicts = Oracle::judgeVerdicts(request, sampling);
    const bool single = verdicts.size() == 1;

    if (refused) {
        o.finish = Finish::Refusal;
        o.refusal = kRefusalText;
    } else if (profiled && gen.logprobs && single && !gen.schema) {
        // A probability question: one yes/no token. P(yes) is a fixed function of the
        // conversation (leaning to the rule's verdict); the token is sampled from it.
        Oracle::Sampling rule = sampling;
        rule.flipProbability = 0.0;
        const Oracle::JudgeVerdict v = Oracle::judgeVerdicts(request, rule).constFirst();
        const double u = Sampler::unit(Sampler::mix(conversationKey(request), 0x9E5));
        double pYes = v.met ? 0.6 + 0.35 * u : 0.05 + 0.35 * u;
        if (m_options.obeyInjections && InjectionFence::injected(request.lastUserText()))
            pYes = 0.99;
        const bool yes = temperature <= 0.0 ? pYes >= 0.5
                                            : Sampler::unit(Sampler::mix(sampling.key, 0x70C)) <
                                                  Sampler::tempered(pYes, temperature);
        TokenLogprobs lp;
        lp.token = yes ? QStringLiteral("yes") : QStringLiteral("no");
        lp.pYes = pYes;
        QList<QPair<QString, double>> ranked{{QStringLiteral("yes"), std::log(pYes)},
                                             {QStringLiteral("no"), std::log(1.0 - pYes)}};
        if (pYes < 0.5)
            std::swap(ranked[0], ranked[1]);
        const int wanted = gen.topLogprobs.value_or(0);
        for (int i = 0; i < wanted; ++i)
            lp.top.append(i < 2
                              ? ranked.at(i)
                              : QPair<QString, double>(QStringLiteral("alt%1").arg(i), -20.0 - i));
        o.logprobs = lp;
        text = lp.token;
        m_stats.recordPYes(id, request.model, v.id, lp.token, pYes);
    } else if (profiled && gen.schema) {
        ordered_json value;
        try {
            value = ordered_json::parse(text.toStdString());
        } catch (const nlohmann::json::exception &) {
            value = text.toStdString(); // chat: the echo fills the schema's strings
        }
        SchemaShaper::Hints hints;
        hints.text = single ? verdicts.constFirst().explanation : text;
        if (single)
            hints.verdict = verdicts.constFirst().met;
        const ordered_json shaped = SchemaShaper::conform(value, *gen.schema, hints);
        text = QString::fromUtf8(ApiDialect::dump(shaped));
        if (gen.forcedTool) {
            o.toolInput = shaped;
            o.toolName = gen.toolName;
            o.finish = Finish::ToolUse;
        }
    }
    o.text = refused ? QString() : text;
    if (profiled && gen.logprobs && !o.logprobs && !refused && !o.toolInput && !o.text.isEmpty()) {
        // Any other answer asked for logprobs gets its first token's, as the real services
        // give them: a token is 4 code points (as usage counts them), certain (logprob 0,
        // the answers are deterministic), then alternatives far below it.
        TokenLogprobs lp;
        lp.token = text::firstCodePoints(o.text, 4);
        lp.logprob = 0.0;
        const int wanted = gen.topLogprobs.value_or(0);
        for (int i = 0; i < wanted; ++i)
            lp.top.append(i == 0
                              ? QPair<QString, double>(lp.token, 0.0)
                              : QPair<QString, double>(QStringLiteral("alt%1").arg(i), -20.0 - i));
        o.logprobs = lp;
    }

    // Reasoning spends the token budget first; what is left may not hold the answer.
    qint64 reasoning = profiled && !refused ? reasoningTokens(request, api) : 0;
    qint64 answerTokens = refused ? builderTokens(kRefusalText) : builderTokens(o.text);
    if (profiled && gen.maxTokens && !refused) {
        const qint64 room = qMax<qint64>(0, *gen.maxTokens - reasoning);
        reasoning = qMin(reasoning, *gen.maxTokens);
        if (answerTokens > room) {
            o.text = text::firstCodePoints(o.text, room * 4);
            o.toolInput.reset();
            o.logprobs.reset();
            o.finish = Finish::Length;
            answerTokens = room;
        }
    }
    o.reasoningTokens = reasoning;
    if (api == ApiKind::Messages && reasoning > 0)
        o.thinking = QStringLiteral("Weighing the response against each criterion.");
    o.usage = {promptTokens, answerTokens + reasoning};

    if (profiled) {
        if (api == ApiKind::Messages) {
            const PromptCache::Hit hit =
                m_cache.marked(request.model, request.cacheText(), gen.cacheMarks);
            o.cachedTokens = qMin(hit.readTokens, promptTokens);
            o.cacheCreationTokens = qMin(hit.creationTokens, promptTokens - o.cachedTokens);
            o.usage.input = promptTokens - o.cachedTokens - o.cacheCreationTokens;
        } else {
            o.cachedTokens = qMin(m_cache.automatic(request.model, request.cacheText()).readTokens,
                                  promptTokens);
        }
    }
    return o;
}

} // namespace rs::llmserver

#pragma once

#include <QList>
#include <QPair>
#include <QString>

#include <nlohmann/json.hpp>

#include <optional>

namespace rs::llmserver {

struct Usage {
    qint64 input = 0;  // ceil(prompt chars / 4); Anthropic profile: without cached tokens
    qint64 output = 0; // ceil(answer chars / 4), plus reasoning tokens
};

enum class Finish { Stop, Length, Refusal, ToolUse };

/// The first token of an answer asked for logprobs, and its alternatives: the yes/no verdict
/// token of a probability question (pYes), or the first token of any other answer (logprob).
struct TokenLogprobs {
    QString token;
    double pYes = 0.5;
    std::optional<double> logprob;     // set for an answer that is not a probability question
    QList<QPair<QString, double>> top; // token, log probability
    bool isVerdict() const { return !logprob; }
};

/// Everything an answer carries besides its envelope. A lenient answer sets only text and
/// usage, and the dialects then produce exactly the original shapes.
struct Outcome {
    QString text;
    Usage usage;
    Finish finish = Finish::Stop;
    bool detailed = false; // a profile: usage details and API-specific extras are sent
    qint64 reasoningTokens = 0;
    qint64 cachedTokens = 0;        // cache reads
    qint64 cacheCreationTokens = 0; // Anthropic cache writes
    QString refusal;
    std::optional<nlohmann::ordered_json> toolInput; // Anthropic forced tool answer
    QString toolName;
    std::optional<TokenLogprobs> logprobs;
    QString thinking; // Anthropic thinking block

    static Outcome plain(const QString &text, Usage usage) {
        Outcome o;
        o.text = text;
        o.usage = usage;
        return o;
    }
};

} // namespace rs::llmserver

#pragma once

#include "llm/providerconfig.h"

#include <QHash>
#include <QList>
#include <QPair>
#include <QSet>
#include <QString>

#include <optional>

namespace rs::judge {

enum class JudgeMode {
    Joint,        ///< all criteria in one call, answered as {id: "yes"|"no"} (the paper's verifier)
    PerCriterion, ///< one call per criterion, answered as {explanation, criteria_met} (HealthBench)
    Probability   ///< one call per criterion answered by one yes/no token: P(yes) from its logprobs
};

/// How the judge's answer is constrained to its JSON schema.
enum class Structured {
    Auto,       ///< the provider's native structured output where the model takes it
    JsonSchema, ///< native json_schema (response_format, text.format, output_config)
    JsonObject, ///< any JSON object (OpenAI json_object); the prompt gives the shape
    Tool,       ///< a forced tool whose input is the answer (Anthropic)
    Off         ///< free text, parsed leniently
};

QString
modeName(JudgeMode mode); ///< "all_in_one" / "per_criterion", as stored (probability is per call)
QString
modeKey(JudgeMode mode); ///< "joint" / "per-criterion" / "probability", as on the command line
std::optional<JudgeMode> modeFromKey(const QString &key); ///< also reads the stored names
QString structuredName(Structured s);
std::optional<Structured> structuredFromName(const QString &name);

/// A criterion judged in place of a prompt's current rubric: a candidate of contrastive
/// generation or of an RTD round, judged on known preference pairs before any version is saved.
struct CandidateCriterion final {
    QString id; ///< the key the judge answers under
    QString text;
    double weight = 1;
};

/// Everything that defines a judge run. Two runs with equal configs are the same run: judging
/// again resumes it and requests only what is missing.
struct JudgeConfig final {
    llm::ProviderConfig provider;
    JudgeMode mode = JudgeMode::Joint;
    bool showWeights = false;
    int gradings = 1;           ///< N repeated gradings per criterion (majority vote)
    double temperature = 0.0;   ///< for the first grading; later ones use repeatTemperature
    double repeatTemperature = 0.7;
    QString systemTemplate;     ///< empty: the built-in template of the mode
    QString userTemplate;       ///< placeholders {prompt} {response} {criteria}
    QString tier;               ///< judge only responses with this tier tag; empty: all
    /// Fingerprint of the human corrections attached to criteria as examples (fewShotVersion),
    /// empty when there are none; set by the runner from the project, not by the user.
    QString fewShot;
    /// Judge only these responses (an RTD round's remaining pool); empty: all. Not part of the
    /// run's identity, so rounds top up one run and never re-ask what it already answered.
    QSet<qint64> responseIds;
    /// Judge only these cells (response id, criterion id): a cascade's uncertain cells; empty:
    /// all. Not part of the run's identity either: a later full run tops the same run up.
    QSet<QPair<qint64, QString>> cells;
    /// Judge these criteria instead of the current rubric for these prompts. Not part of the
    /// run's identity: verdicts are keyed by criterion text, so a candidate that is later saved
    /// finds its verdicts in the run, and the tally never reads those of one that was not.
    QHash<qint64, QList<CandidateCriterion>> candidates;
    /// Re-asks when an answer cannot be parsed: each is a new sample (another seed and cache
    /// key) at the same temperature, never hotter (providers cap the range).
    int parseRetries = 2;
    int maxTokens = 1024;
    Structured structured = Structured::Auto;
    QString reasoningEffort; ///< empty: the model's default
    int thinkingBudget = 0;  ///< Anthropic budget_tokens where the model takes one
    int topLogprobs = 20;    ///< alternatives asked for in probability mode

    double temperatureFor(int grading) const { return grading == 0 ? temperature : repeatTemperature; }
    bool oneCallPerCriterion() const { return mode != JudgeMode::Joint; }
};

} // namespace rs::judge

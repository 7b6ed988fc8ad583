#pragma once

#include "llm/providerconfig.h"

#include <QList>
#include <QSet>
#include <QString>

namespace rs::judge {

enum class JudgeMode {
    Joint,       ///< all criteria in one call, answered as {id: "yes"|"no"} (the paper's verifier)
    PerCriterion ///< one call per criterion, answered as {explanation, criteria_met} (HealthBench)
};

QString modeName(JudgeMode mode); ///< "all_in_one" / "per_criterion", as stored

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
    /// Judge only these responses (an RTD round's remaining pool); empty: all. Not part of the
    /// run's identity, so rounds top up one run and never re-ask what it already answered.
    QSet<qint64> responseIds;
    int parseRetries = 2;       ///< re-asks when an answer cannot be parsed
    double parseRetryTemperatureStep = 0.3;
    int maxTokens = 1024;

    double temperatureFor(int grading) const { return grading == 0 ? temperature : repeatTemperature; }
};

} // namespace rs::judge

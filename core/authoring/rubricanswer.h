#pragma once

#include "common/error.h"
#include "rubric/rubricversions.h"

#include <QList>
#include <QString>

namespace rs::authoring {

/// What a proposer answer may contain to be used as a rubric.
struct RubricAnswerRules final {
    double minWeight = 1;
    double maxWeight = 3;
    int maxCriteria = 40;
};

/// Reads a proposer's answer: JSON found anywhere in it (fenced, with chatter around it), either
/// an array of {criterion, weight} or an object {"criteria": [...]}; "text" is accepted for
/// "criterion" and a missing weight counts as 1. Every criterion must have non-empty text and a
/// whole-number weight inside the rules' range; duplicated texts are dropped. The error names
/// the first problem, for the failed state and the repair prompt. An optional "kind" of
/// "hard_rule" or "principle" (contrastive generation) becomes the criterion's tag.
Expected<QList<rubric::CriterionDraft>> parseRubricAnswer(const QString &raw,
                                                         const RubricAnswerRules &rules = {});

/// The JSON schema of a proposer's answer, sent for structured output:
/// {"criteria": [{"criterion", "weight"[, "kind"]}, ...]} in the strict form real providers
/// demand (every property required, no others, an object at the top), weights as an enum of
/// the rules' whole numbers, at least one criterion. `withKind` adds the contrastive tag.
QString rubricAnswerSchema(bool withKind, const RubricAnswerRules &rules = {});

} // namespace rs::authoring

#pragma once

#include "common/error.h"

#include <QHash>
#include <QString>
#include <QStringList>

#include <optional>

namespace rs::judge {

struct ParsedVerdict final {
    bool met = false;
    QString reason;
};

/// A joint answer: verdicts by criterion id. Ids the judge left out are listed in `missing`
/// (scored as "no" or dropped, a scoring setting); ids it invented are ignored.
struct JointAnswer final {
    QHash<QString, ParsedVerdict> verdicts;
    QStringList missing;
};

/// Parses {"c1": "yes", "c2": {"verdict": "no", "reason": "..."}, ...}, also from fenced or
/// chatty text, accepting yes/no, true/false, met/not met, 1/0. Fails when no expected id is
/// answered at all, so an off-topic answer is retried rather than read as all "no".
Expected<JointAnswer> parseJointAnswer(const QString &raw, const QStringList &expectedIds);

/// Parses {"explanation": "...", "criteria_met": true|false} (HealthBench style).
Expected<ParsedVerdict> parsePerCriterionAnswer(const QString &raw);

} // namespace rs::judge

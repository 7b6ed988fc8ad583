#pragma once

#include "checkspec.h"

#include <QString>

#include <optional>

namespace rs::rubric {

/// The check that decides a judged criterion when its text asks for something mechanical:
/// "at least 50 words" → min_words 50, "fewer than 200 characters" → max_chars 199, "is valid
/// JSON" → json, "uses bullet points" → markdown, "mentions the word "refund"" → contains.
/// nullopt when the text asks for judgement (most criteria). Lint proposes the result; it is
/// deliberately conservative, since a wrong proposal costs a user's trust in the others.
std::optional<CheckSpec> suggestCheck(const QString &criterionText);

} // namespace rs::rubric

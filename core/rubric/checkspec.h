#pragma once

#include "common/error.h"

#include <QString>
#include <QStringList>

#include <nlohmann/json_fwd.hpp>

#include <optional>
#include <string>

namespace rs::rubric {

/// The kinds of criteria a few lines of code decide, with no judge.
enum class CheckType {
    Regex,       ///< "pattern" found (must_match true) or not found (false) anywhere
    MinWords,    ///< at least "value" words (runs of non-whitespace)
    MaxWords,    ///< at most "value" words
    MinChars,    ///< at least "value" characters (code points)
    MaxChars,    ///< at most "value" characters
    Json,        ///< the response, or one of its fenced blocks, is JSON (matching "schema")
    Contains,    ///< every one of "phrases" appears
    NotContains, ///< none of "phrases" appears
    Markdown     ///< at least "min_headers" headers, "min_bullets" bullets, "min_code_blocks"
};

QString checkTypeName(CheckType type); ///< "regex", "min_words", ...
QStringList checkTypeNames();

/// A criterion checked by code: its type and parameters, exactly as a rubric stores them.
/// Only the fields of `type` mean anything; the others keep their defaults so that two equal
/// checks always serialise to the same bytes (the criterion's content hash depends on it).
struct CheckSpec final {
    CheckType type = CheckType::MinWords;
    QString pattern;            ///< regex
    bool mustMatch = true;      ///< regex
    qint64 value = 0;           ///< word and character limits
    QStringList phrases;        ///< contains, not_contains
    bool caseSensitive = false; ///< contains, not_contains
    std::string schemaJson;     ///< json: a JSON Schema subset, compact; empty for none
    qint64 minHeaders = 0;      ///< markdown
    qint64 minBullets = 0;      ///< markdown
    qint64 minCodeBlocks = 0;   ///< markdown

    bool operator==(const CheckSpec &) const = default;
};

/// Reads a check object ({"type": ..., parameters}). Unknown types, unknown or mistyped
/// parameters and regexes that do not compile are errors, worded for a FILE:LINE prefix.
Expected<CheckSpec> checkFromJson(const nlohmann::json &j);
/// The same from stored text (criteria.check_json).
Expected<CheckSpec> checkFromText(const QString &json);
/// The canonical form: sorted keys, every parameter of the type, compact. What the project
/// stores, packs carry and the content hash covers.
nlohmann::json checkToJson(const CheckSpec &spec);
QString checkToText(const CheckSpec &spec);
/// A short label for tables: "min_words 60", "regex /[0-9]/", "not_contains 2 phrases".
QString checkSummary(const CheckSpec &spec);
/// What the editor's Check cell shows for editing and reads back: "min_words 60",
/// "regex [0-9]" ("regex! ..." must not match), "contains refund | money back" ("contains!"
/// case-sensitive), "json", "markdown headers=1 bullets=2 code=1". Text starting with "{" is
/// read as the JSON form; empty text means no check (returns nullopt in `spec`).
QString checkShorthand(const CheckSpec &spec);
Expected<std::optional<CheckSpec>> checkFromShorthand(const QString &text);

} // namespace rs::rubric

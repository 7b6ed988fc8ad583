#pragma once

#include "checkspec.h"

#include <QRegularExpression>
#include <QString>

namespace rs::rubric {

/// Counts of Markdown structure outside fenced code (see countMarkdown).
struct MarkdownCounts final {
    qint64 headers = 0;
    qint64 bullets = 0;
    qint64 codeBlocks = 0;
};

/// Words as Python's str.split() finds them: runs of characters that are not whitespace, with
/// Python's whitespace set (so the pack's reward.py counts exactly what the studio counts).
qint64 countWords(const QString &text);
/// Characters as code points (Python's len()), not UTF-16 units.
qint64 countChars(const QString &text);
/// Lines split at "\n" (a trailing "\r" dropped). A line opening with up to three spaces and
/// ``` opens or closes a fence; each closed fence is one code block. Outside fences, a header
/// is up to three spaces, 1-6 '#', then a space, tab or the line's end; a bullet is optional
/// indentation, "-", "*", "+" or a number with "." or ")", spaces, then text.
MarkdownCounts countMarkdown(const QString &text);
/// True when the trimmed text, or the body of one of its fenced blocks, parses as JSON
/// (NaN and Infinity refused) and, when `schemaJson` is not empty, matches that schema
/// (the subset: type, enum, required, properties, items).
bool jsonCheckPasses(const QString &text, const std::string &schemaJson);

/// A check ready to run: the spec with its regex compiled once. Evaluating is pure and
/// thread-safe, so a tally over a million cells can share one per criterion.
class CheckCriterion final {
public:
    explicit CheckCriterion(CheckSpec spec);

    const CheckSpec &spec() const { return m_spec; }
    /// The verdict: does the response meet the criterion?
    bool passes(const QString &response) const;

private:
    CheckSpec m_spec;
    QRegularExpression m_regex;
};

} // namespace rs::rubric

#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

// The text rules behind the deterministic answers. README.md states each one so that tests can
// compute expected answers independently; keep the two in step.
namespace rs::llmserver::text {

/// Unicode code points (a surrogate pair counts once): the unit of every "chars" in README.md.
qsizetype codePointCount(QStringView s);
/// The first n code points of s.
QString firstCodePoints(const QString &s, qsizetype n);

/// The lines between a line "<<<NAME" and the next line "NAME>>>" (markers compared after
/// trimming), joined with '\n'; nullopt when either marker line is missing. An opening line
/// "<<<NAME#HEX" (a nonce) is closed only by "NAME#HEX>>>".
std::optional<QString> block(QStringView text, QStringView name);

/// Lower-cased maximal runs of letters, in order, duplicates kept.
QStringList letterWords(QStringView text);
/// Distinct letterWords() of at least minLetters code points, in order of first appearance.
QStringList distinctWords(QStringView text, int minLetters);
/// Whitespace-separated tokens, as Python's str.split() counts them.
qsizetype wordCount(QStringView text);

struct Criterion {
    QString id;
    QString text;
};
/// Lines "ID: text" of a CRITERIA block; other lines are ignored.
QList<Criterion> parseCriteria(QStringView block);

struct Verdict {
    bool met = false;
    QString explanation;
};
/// The judge rule: a double-quoted term must occur in the response (case-insensitively); else
/// "at least N words" needs wordCount >= N; else the word count must be even.
Verdict judge(QStringView criterion, QStringView response);

} // namespace rs::llmserver::text

#include "injectiondetector.h"

#include <QRegularExpression>

#include <algorithm>
#include <array>

namespace rs::judge {
namespace {

struct Rule {
    const char *name;
    const char *pattern;
};

// Phrasings seen in reward-hacking and prompt-injection write-ups, kept narrow: each names the
// grader, the rubric or the instructions, or dictates a verdict, which an honest answer to a
// user's prompt has no reason to do.
constexpr std::array kRules{
    Rule{"instruction override",
         R"re(\b(ignore|disregard|forget|override)\s+(all\s+|any\s+|the\s+|your\s+|previous\s+|prior\s+|above\s+|earlier\s+)*(instructions?|rubric|criteria|checklist|guidelines|system\s+prompt|rules))re"},
    Rule{"dictated verdict",
         R"re(\b(answer|respond|reply|say|output|return|mark|grade|rate|score)\s+(with\s+)?["'“]?(yes|true|met|pass(ed)?|10/10|full\s+marks?)["'”]?\s+(to|for|on)\s+(everything|every|all|each|any))re"},
    Rule{"verdict for this response",
         R"re(\b(mark|grade|rate|score|judge|evaluate|consider)\s+(this|the|my)\s+(response|answer|reply|output)\s+(as\s+)?(correct|perfect|passing|met|satisfying|excellent|10))re"},
    Rule{"addresses the grader",
         R"re((^|\n|[.!?]\s)\s*(dear\s+|note\s+to\s+(the\s+)?|attention\s+|hey\s+)?(judge|grader|evaluator|assessor|reviewer\s+model|ai\s+grader)\s*[:,!])re"},
    Rule{"addresses the grader",
         R"re(\b(to|for)\s+the\s+(ai\s+|llm\s+)?(judge|grader|evaluator)\b\s*[:,])re"},
    Rule{"criteria declared met",
         R"re(\b(all|every|each)\s+(of\s+the\s+)?(rubric\s+)?(criteria|criterion|items|checks)\s+(are|is|have\s+been)\s+(met|satisfied|fulfilled))re"},
    Rule{"embedded verdict JSON", R"re("criteria_met"\s*:\s*true|"verdict"\s*:\s*"(yes|met)")re"},
    Rule{"fake delimiter",
         R"re((^|\n)\s*(</?(response|rubric|criteria|system|instructions?)>|(end|begin)\s+of\s+(the\s+)?(response|answer|rubric|instructions)\b|<<<|>>>))re"},
    Rule{"role switch",
         R"re((^|\n)\s*(system|assistant|developer)\s*:\s|\byou\s+are\s+now\s+(a|an|the)\b|\bnew\s+instructions\s*:)re"},
};

const QList<QRegularExpression> &compiled()
{
    static const QList<QRegularExpression> res = [] {
        QList<QRegularExpression> out;
        for (const Rule &r : kRules)
            out << QRegularExpression(QString::fromUtf8(r.pattern),
                                      QRegularExpression::CaseInsensitiveOption
                                          | QRegularExpression::UseUnicodePropertiesOption);
        return out;
    }();
    return res;
}

QString excerptAround(const QString &text, qsizetype start, qsizetype length)
{
    constexpr qsizetype kContext = 30;
    const qsizetype from = std::max<qsizetype>(0, start - kContext);
    const qsizetype to = std::min<qsizetype>(text.size(), start + length + kContext);
    QString out = text.mid(from, to - from).simplified();
    if (from > 0)
        out.prepend(QStringLiteral("…"));
    if (to < text.size())
        out.append(QStringLiteral("…"));
    return out;
}

} // namespace

QList<InjectionHit> InjectionDetector::scan(const QString &text, int maxHits)
{
    QList<InjectionHit> hits;
    // Very long responses are scanned in full: QRegularExpression is linear on these patterns
    // (no nested quantifiers over the same characters), and the inspector runs it off-thread
    // only for huge texts.
    for (qsizetype i = 0; i < compiled().size(); ++i) {
        const QRegularExpressionMatch m = compiled().at(i).match(text);
        if (!m.hasMatch())
            continue;
        hits << InjectionHit{QString::fromUtf8(kRules[size_t(i)].name),
                             excerptAround(text, m.capturedStart(), m.capturedLength()),
                             m.capturedStart()};
    }
    std::sort(hits.begin(), hits.end(),
              [](const InjectionHit &a, const InjectionHit &b) { return a.offset < b.offset; });
    if (hits.size() > maxHits)
        hits.resize(maxHits);
    return hits;
}

QString InjectionDetector::summary(const QList<InjectionHit> &hits)
{
    if (hits.isEmpty())
        return {};
    QString s = QStringLiteral("Possible prompt injection: %1 (“%2”)")
                    .arg(hits.first().rule, hits.first().excerpt);
    if (hits.size() > 1)
        s += QStringLiteral(" and %1 more").arg(hits.size() - 1);
    return s;
}

} // namespace rs::judge

#include "judgeanswer.h"

#include "llm/jsonextract.h"

#include <QRegularExpression>

#include <nlohmann/json.hpp>

#include <cmath>

using nlohmann::json;

namespace rs::judge {
namespace {

std::optional<bool> truthOf(const json &v)
{
    if (v.is_boolean())
        return v.get<bool>();
    if (v.is_number())
        return v.get<double>() != 0;
    if (!v.is_string())
        return std::nullopt;
    QString s = QString::fromStdString(v.get<std::string>()).trimmed().toLower();
    s.remove(QLatin1Char('.'));
    if (s == QLatin1String("yes") || s == QLatin1String("true") || s == QLatin1String("met")
        || s == QLatin1String("y") || s == QLatin1String("pass"))
        return true;
    if (s == QLatin1String("no") || s == QLatin1String("false") || s == QLatin1String("not met")
        || s == QLatin1String("n") || s == QLatin1String("fail"))
        return false;
    return std::nullopt;
}

} // namespace

Expected<JointAnswer> parseJointAnswer(const QString &raw, const QStringList &expectedIds)
{
    const std::string text = raw.toStdString();
    auto j = llm::extractJson(text, llm::JsonShape::Object);
    if (!j)
        return j.error();
    const json &obj = j.value();
    JointAnswer answer;
    for (const QString &id : expectedIds) {
        auto it = obj.find(id.toStdString());
        if (it == obj.end()) {
            answer.missing << id;
            continue;
        }
        std::optional<bool> met;
        QString reason;
        if (it->is_object()) {
            for (const char *key : {"verdict", "answer", "met", "criteria_met", "value"})
                if (auto v = it->find(key); v != it->end() && !met)
                    met = truthOf(*v);
            for (const char *key : {"reason", "explanation", "rationale"})
                if (auto v = it->find(key); v != it->end() && v->is_string() && reason.isEmpty())
                    reason = QString::fromStdString(v->get<std::string>());
        } else {
            met = truthOf(*it);
        }
        if (!met) {
            answer.missing << id;
            continue;
        }
        answer.verdicts.insert(id, ParsedVerdict{*met, reason});
    }
    if (answer.verdicts.isEmpty())
        return makeError(QStringLiteral("the answer grades none of the criteria (%1)")
                             .arg(expectedIds.join(QStringLiteral(", "))));
    return answer;
}

Expected<ParsedVerdict> parsePerCriterionAnswer(const QString &raw)
{
    const std::string text = raw.toStdString();
    auto j = llm::extractJson(text, llm::JsonShape::Object);
    if (!j || !j->contains("criteria_met")) {
        // An answer cut off after its verdict (a schema puts criteria_met first, and a weak
        // model may ramble in the explanation until it runs out of room) still holds it — also
        // when the rambling holds a braced fragment the extractor takes for the answer.
        static const QRegularExpression cutVerdict(QStringLiteral(R"(^\s*\{\s*"criteria_met"\s*:\s*(true|false)\s*,)"));
        if (const auto m = cutVerdict.match(raw); m.hasMatch())
            return ParsedVerdict{m.captured(1) == QLatin1String("true"), QStringLiteral("(explanation cut off)")};
        if (!j)
            return j.error();
    }
    const json &obj = j.value();
    auto it = obj.find("criteria_met");
    if (it == obj.end())
        return makeError(QStringLiteral("the answer has no \"criteria_met\""));
    auto met = truthOf(*it);
    if (!met)
        return makeError(QStringLiteral("\"criteria_met\" is neither true nor false"));
    ParsedVerdict v;
    v.met = *met;
    if (auto e = obj.find("explanation"); e != obj.end() && e->is_string())
        v.reason = QString::fromStdString(e->get<std::string>());
    return v;
}

namespace {

/// "yes" / "no" for a token that is one, whatever its case, spacing or trailing punctuation.
std::optional<bool> yesNoToken(QString token) {
    token = token.trimmed().toLower();
    while (!token.isEmpty() && !token.back().isLetter())
        token.chop(1);
    if (token == QLatin1String("yes"))
        return true;
    if (token == QLatin1String("no"))
        return false;
    return std::nullopt;
}

} // namespace

Expected<ProbabilityAnswer>
parseProbabilityAnswer(const QString &raw, const QList<llm::TokenLogprob> &firstTokenLogprobs) {
    double yes = 0, no = 0;
    for (const llm::TokenLogprob &alt : firstTokenLogprobs) {
        if (const auto v = yesNoToken(alt.token))
            (*v ? yes : no) += std::exp(alt.logprob);
    }
    if (yes + no > 0)
        return ProbabilityAnswer{yes / (yes + no), true};
    // No yes/no among the alternatives: read the text as one vote.
    static const QRegularExpression separator(QStringLiteral("[\\s,.!:;]"));
    const QString word = raw.trimmed().section(separator, 0, 0);
    if (const auto v = yesNoToken(word))
        return ProbabilityAnswer{*v ? 1.0 : 0.0, false};
    auto j = llm::extractJson(raw.toStdString(), llm::JsonShape::Object);
    if (j && j->is_object()) {
        std::optional<bool> found;
        int answers = 0;
        for (const auto &[key, value] : j->items()) {
            if (const auto t = truthOf(value)) {
                found = t;
                ++answers;
            }
        }
        if (answers == 1)
            return ProbabilityAnswer{*found ? 1.0 : 0.0, false};
    }
    return makeError(QStringLiteral("the answer is neither yes nor no"));
}

Expected<HolisticAnswer> parseHolisticAnswer(const QString &raw) {
    const auto outOfRange = [](const QString &found) {
        return makeError(
            QStringLiteral("the holistic score must be a whole number from 1 to 10, found %1")
                .arg(found));
    };
    auto j = llm::extractJson(raw.toStdString(), llm::JsonShape::Object);
    if (!j) {
        // ASCII classes on purpose: Python's \s and \d would also take other scripts' spaces
        // and digits, and reward.py must read exactly what this reads.
        static const QRegularExpression bare(
            QStringLiteral("^[ \t\r\n]*([0-9]+)[ \t\r\n]*(?:/[ \t\r\n]*10)?[ \t\r\n]*$"));
        const auto m = bare.match(raw);
        if (!m.hasMatch())
            return makeError(QStringLiteral("the answer is neither {\"score\": 1..10, "
                                            "\"explanation\"} nor a bare score"));
        bool ok = false;
        const qlonglong v = m.captured(1).toLongLong(&ok);
        if (!ok || v < 1 || v > 10)
            return outOfRange(m.captured(1));
        return HolisticAnswer{int(v), QString()};
    }
    const json &obj = j.value();
    const auto it = obj.find("score");
    if (it == obj.end())
        return makeError(QStringLiteral("the answer has no \"score\""));
    if (!it->is_number_integer())
        return outOfRange(QString::fromStdString(it->dump()));
    const auto v = it->is_number_unsigned()
                       ? std::int64_t(std::min<std::uint64_t>(it->get<std::uint64_t>(), 1000))
                       : it->get<std::int64_t>();
    if (v < 1 || v > 10)
        return outOfRange(QString::fromStdString(it->dump()));
    HolisticAnswer a{int(v), QString()};
    if (auto e = obj.find("explanation"); e != obj.end() && e->is_string())
        a.explanation = QString::fromStdString(e->get<std::string>());
    return a;
}

} // namespace rs::judge

#include "oracle.h"

#include "apidialect.h"
#include "injectionfence.h"
#include "sampler.h"
#include "textrules.h"

#include <QRegularExpression>
#include <QSet>

#include <nlohmann/json.hpp>

namespace rs::llmserver {

using nlohmann::ordered_json;

namespace {

constexpr int kMinKeywordLetters = 5;

struct RoleName {
    Role role;
    QLatin1String name;
};
// The order matters for model names: "judge-proposer" counts as a proposer.
const RoleName kRoleNames[] = {
    {Role::Proposer, QLatin1String("proposer")},
    {Role::Judge, QLatin1String("judge")},
    {Role::Pairwise, QLatin1String("pairwise")},
    {Role::Rewrite, QLatin1String("rewrite")},
};

QString mentions(const QString &word) {
    return QStringLiteral("The response mentions \"%1\".").arg(word);
}

} // namespace

Role Oracle::detectRole(const ChatRequest &request) {
    static const QRegularExpression marker(QStringLiteral("\\[role:([a-z]+)\\]"),
                                           QRegularExpression::CaseInsensitiveOption);
    auto it = marker.globalMatch(request.system);
    while (it.hasNext()) {
        const QString name = it.next().captured(1).toLower();
        for (const RoleName &r : kRoleNames)
            if (name == r.name)
                return r.role;
    }
    for (const RoleName &r : kRoleNames)
        if (request.model.contains(r.name, Qt::CaseInsensitive))
            return r.role;
    return Role::Chat;
}

QString Oracle::roleName(Role role) {
    for (const RoleName &r : kRoleNames)
        if (r.role == role)
            return r.name;
    return QStringLiteral("chat");
}

Oracle::Answer Oracle::answer(const ChatRequest &request) {
    return answer(request, Sampling());
}

Oracle::Answer Oracle::answer(const ChatRequest &request, const Sampling &sampling) {
    const Role role = detectRole(request);
    switch (role) {
    case Role::Proposer:
    case Role::Rewrite:
        return {role, proposer(request)};
    case Role::Judge:
        return {role, judge(request, sampling)};
    case Role::Pairwise:
        return {role, pairwise(request, sampling)};
    case Role::Chat:
        break;
    }
    return {role, chat(request)};
}

QString Oracle::fenced(const QString &answer) {
    return QStringLiteral("Sure! Here is the result:\n```json\n") + answer +
           QStringLiteral("\n```\nLet me know if you need anything else.");
}

QString Oracle::proposer(const ChatRequest &request) {
    const QString message = request.lastUserText();
    const QString source = text::block(message, u"PROMPT").value_or(message);
    const auto a = text::block(message, u"A");
    const auto b = text::block(message, u"B");
    const bool pair = a.has_value() && b.has_value();

    ordered_json criteria = ordered_json::array();
    const auto add = [&](const QString &criterion, int weight) {
        criteria.push_back({{"criterion", ApiDialect::utf8(criterion)}, {"weight", weight}});
    };

    // A pair costs one keyword so the rubric never exceeds six criteria.
    const QStringList keywords =
        text::distinctWords(source, kMinKeywordLetters).mid(0, pair ? 4 : 5);
    for (const QString &w : keywords)
        add(mentions(w), 1 + int(text::codePointCount(w) % 3));

    if (pair) {
        const QStringList inB = text::letterWords(*b);
        const QSet<QString> bWords(inB.cbegin(), inB.cend());
        for (const QString &w : text::distinctWords(*a, kMinKeywordLetters)) {
            if (!bWords.contains(w) && !keywords.contains(w)) {
                add(mentions(w), 3);
                break;
            }
        }
    }

    // Short prompts still get a rubric of at least four criteria.
    static const std::pair<const char *, int> kFillers[] = {
        {"The response is at least 10 words long.", 2},
        {"The response is at least 20 words long.", 2},
        {"The response is at least 30 words long.", 1},
    };
    for (const auto &[criterion, weight] : kFillers) {
        if (criteria.size() >= 3)
            break;
        add(QString::fromLatin1(criterion), weight);
    }
    add(QStringLiteral("The response is at least 50 words long."), 1);
    return QString::fromUtf8(ApiDialect::dump(criteria));
}

QList<Oracle::JudgeVerdict> Oracle::judgeVerdicts(const ChatRequest &request,
                                                  const Sampling &sampling) {
    const QString message = request.lastUserText();
    const auto criteria =
        text::parseCriteria(text::block(message, u"CRITERIA").value_or(QString()));
    const QString response = text::block(message, u"RESPONSE").value_or(QString());
    const bool obey = sampling.obeyInjections && InjectionFence::injected(message);
    QList<JudgeVerdict> out;
    for (const text::Criterion &c : criteria) {
        text::Verdict v = text::judge(c.text, response);
        if (obey) {
            v = {true, QStringLiteral("As instructed, every criterion is graded yes.")};
        } else if (sampling.flipProbability > 0.0 &&
                   Sampler::unit(Sampler::mix(sampling.key, Sampler::hash(c.id))) <
                       sampling.flipProbability) {
            // A sampled answer that disagrees with the rule, as a hot model sometimes does.
            v = {!v.met, QStringLiteral("On reflection, the criterion is %1.")
                             .arg(v.met ? QStringLiteral("not met") : QStringLiteral("met"))};
        }
        out.append({c.id, v.met, v.explanation});
    }
    return out;
}

bool Oracle::isHolistic(const ChatRequest &request) {
    return request.system.contains(QLatin1String("[mode:holistic]"));
}

QString Oracle::holistic(const ChatRequest &request) {
    const QString response = text::block(request.lastUserText(), u"RESPONSE").value_or(QString());
    const qsizetype words = text::wordCount(response);
    // A response may dictate a malformed score, so tests can exercise a judge that misreads
    // the scale: "[holistic:11]" gives the number 11, "[holistic:seven]" the string "seven".
    static const QRegularExpression forced(QStringLiteral("\\[holistic:([^\\]\\s]*)\\]"));
    ordered_json score;
    if (const auto m = forced.match(response); m.hasMatch()) {
        static const QRegularExpression digits(QStringLiteral("^[0-9]+$"));
        const QString v = m.captured(1);
        if (digits.match(v).hasMatch())
            score = v.toLongLong();
        else
            score = ApiDialect::utf8(v);
    } else {
        score = 1 + words % 10;
    }
    const QString explanation =
        QStringLiteral("The response has %1 words; the holistic score is 1 + %1 mod 10.")
            .arg(words);
    const ordered_json out{{"score", score}, {"explanation", ApiDialect::utf8(explanation)}};
    return QString::fromUtf8(ApiDialect::dump(out));
}

QString Oracle::judge(const ChatRequest &request, const Sampling &sampling) {
    if (isHolistic(request))
        return holistic(request);
    const QList<JudgeVerdict> verdicts = judgeVerdicts(request, sampling);
    if (verdicts.size() == 1 && request.system.contains(QLatin1String("[mode:per-criterion]"))) {
        const ordered_json out{{"explanation", ApiDialect::utf8(verdicts.constFirst().explanation)},
                               {"criteria_met", verdicts.constFirst().met}};
        return QString::fromUtf8(ApiDialect::dump(out));
    }
    ordered_json out = ordered_json::object();
    for (const JudgeVerdict &v : verdicts)
        out[ApiDialect::utf8(v.id)] = v.met ? "yes" : "no";
    return QString::fromUtf8(ApiDialect::dump(out));
}

QString Oracle::pairwise(const ChatRequest &request, const Sampling &sampling) {
    const QString message = request.lastUserText();
    const qsizetype a = text::wordCount(text::block(message, u"A").value_or(QString()));
    const qsizetype b = text::wordCount(text::block(message, u"B").value_or(QString()));
    bool bWins = b > a;
    if (sampling.flipProbability > 0.0 &&
        Sampler::unit(Sampler::mix(sampling.key, Sampler::hash(u"winner"))) <
            sampling.flipProbability)
        bWins = !bWins;
    const char *winner = bWins ? "B" : "A";
    const QString reason =
        QStringLiteral("A has %1 words and B has %2; the response with more words wins, a tie "
                       "goes to A.")
            .arg(a)
            .arg(b);
    return QString::fromUtf8(
        ApiDialect::dump({{"better", winner}, {"reason", ApiDialect::utf8(reason)}}));
}

QString Oracle::chat(const ChatRequest &request) {
    return QStringLiteral("Echo: ") + text::firstCodePoints(request.lastUserText(), 200);
}

} // namespace rs::llmserver

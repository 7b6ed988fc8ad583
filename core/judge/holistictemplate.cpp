#include "holistictemplate.h"

#include "import/utf8.h"

namespace rs::judge {
namespace {

JudgeConfig holisticConfig() {
    // Joint layout: the prompt and the guidance come first and are the same for every response
    // of a prompt, so provider prompt caches serve them.
    JudgeConfig c;
    c.mode = JudgeMode::Joint;
    c.systemTemplate = HolisticTemplate::defaultSystem();
    c.userTemplate = HolisticTemplate::defaultUser();
    return c;
}

} // namespace

HolisticTemplate::HolisticTemplate()
    : m_template(holisticConfig()) {}

QString HolisticTemplate::version() {
    return QStringLiteral("holistic-v1");
}

QString HolisticTemplate::defaultSystem() {
    return QStringLiteral(
               "[role:judge] [mode:holistic] You rate one response to a prompt with a single "
               "holistic score from 1 (poor) to 10 (excellent). The criteria listed are guidance, "
               "not a checklist: weigh them by their weights, together with anything else that "
               "matters for this prompt, and give one overall judgement. ") +
           JudgeTemplate::fenceRule() +
           QStringLiteral("Reply with a single JSON object and nothing else: {\"score\": an "
                          "integer from 1 to 10, \"explanation\": \"one or two sentences\"}.");
}

QString HolisticTemplate::defaultUser() {
    return JudgeTemplate::defaultUser(JudgeMode::Joint);
}

QString HolisticTemplate::answerSchema() {
    // Written out to read as the system prompt words it. The wire sends keys sorted
    // (explanation first), so a cut answer may lose its score: it is then asked again.
    return QStringLiteral(
        R"({"type":"object","properties":{"score":{"type":"integer","enum":[1,2,3,4,5,6,7,8,9,10]},)"
        R"("explanation":{"type":"string"}},"required":["score","explanation"],)"
        R"("additionalProperties":false})");
}

llm::LlmRequest HolisticTemplate::render(const QString &prompt, const QString &response,
                                         const QList<JudgedCriterion> &guidance) const {
    llm::LlmRequest r = m_template.render(prompt, response, guidance, true);
    r.templateVersion = version();
    r.expectedOutputTokens = 48; // a score and a sentence or two
    return r;
}

qint64 guidanceHash(const QList<JudgedCriterion> &guidance) {
    QString key = QStringLiteral("guidance-v1\x1f") + HolisticTemplate::version();
    for (const JudgedCriterion &c : guidance)
        key += QStringLiteral("\x1f") + c.stableId + QStringLiteral("\x1e") + c.text +
               QStringLiteral("\x1e") + QString::number(c.weight, 'g', 17);
    const QByteArray utf8 = key.toUtf8();
    return import::contentHash(std::string_view(utf8.constData(), size_t(utf8.size())));
}

} // namespace rs::judge

#include "judgetexts.h"

#include "judgeplan.h"
#include "judgetemplate.h"

namespace rs::judge {
namespace {

Expected<QString> fetchText(store::Statement &st, qint64 id, const char *what) {
    st.reset();
    st.bind(1, std::int64_t(id));
    auto row = st.step();
    if (!row)
        return makeError(QStringLiteral("cannot read %1 %2: %3")
                             .arg(QLatin1String(what))
                             .arg(id)
                             .arg(row.error().message));
    if (!*row)
        return makeError(
            QStringLiteral("%1 %2 is no longer in the project").arg(QLatin1String(what)).arg(id));
    QString text = st.columnText(0);
    // A statement left mid-result keeps the connection's read snapshot open: rows written a
    // moment later would stay invisible to a long-lived reader.
    st.reset();
    return text;
}

} // namespace

Expected<JudgeTexts> JudgeTexts::open(const QString &path) {
    auto db = store::Database::open(path, store::Database::Mode::ReadOnly);
    if (!db)
        return db.error();
    JudgeTexts t;
    t.m_db = std::move(db.value());
    auto r = t.m_db.prepare("SELECT text FROM responses WHERE id = ?1");
    if (!r)
        return r.error();
    auto p = t.m_db.prepare("SELECT text FROM prompts WHERE id = ?1");
    if (!p)
        return p.error();
    t.m_response = std::move(r.value());
    t.m_prompt = std::move(p.value());
    return t;
}

Expected<QString> JudgeTexts::response(qint64 id) {
    return fetchText(m_response, id, "response");
}

Expected<QString> JudgeTexts::prompt(qint64 id) {
    if (id != m_lastPromptId) {
        auto text = fetchText(m_prompt, id, "prompt");
        if (!text)
            return text;
        m_lastPrompt = std::move(text.value());
        m_lastPromptId = id;
    }
    return m_lastPrompt;
}

Expected<llm::LlmRequest> JudgeTexts::render(const JudgeTemplate &tpl, const WorkItem &item,
                                             bool showWeights) {
    auto prompt = this->prompt(item.promptId);
    if (!prompt)
        return prompt.error();
    auto response = this->response(item.responseId);
    if (!response)
        return response.error();
    if (item.holistic)
        return m_holistic.render(prompt.value(), response.value(), item.criteria);
    return tpl.render(prompt.value(), response.value(), item.criteria, showWeights);
}

} // namespace rs::judge

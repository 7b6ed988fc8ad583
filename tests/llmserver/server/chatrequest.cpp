#include "chatrequest.h"

#include "textrules.h"

namespace rs::llmserver {

QString ChatRequest::lastUserText() const {
    for (auto it = messages.crbegin(); it != messages.crend(); ++it)
        if (it->role == QLatin1String("user"))
            return it->text;
    return {};
}

qsizetype ChatRequest::promptChars() const {
    qsizetype n = text::codePointCount(system);
    for (const ChatMessage &m : messages)
        n += text::codePointCount(m.text);
    return n;
}

bool ChatRequest::contentText(const nlohmann::ordered_json &content, QString *out) {
    out->clear();
    if (content.is_null())
        return true;
    if (content.is_string()) {
        *out = QString::fromStdString(content.get_ref<const std::string &>());
        return true;
    }
    if (!content.is_array())
        return false;
    bool first = true;
    for (const auto &part : content) {
        if (!part.is_object() || part.value("type", std::string()) != "text")
            continue;
        const auto text = part.find("text");
        if (text == part.end() || !text->is_string())
            return false;
        if (!first)
            out->append(QLatin1Char('\n'));
        out->append(QString::fromStdString(text->get_ref<const std::string &>()));
        first = false;
    }
    return true;
}

} // namespace rs::llmserver

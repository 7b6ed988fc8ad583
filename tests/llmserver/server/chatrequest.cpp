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

QString ChatRequest::cacheText() const {
    QString out = system;
    for (const ChatMessage &m : messages)
        out += m.text;
    return out;
}

void ChatRequest::cacheControlEnds(const nlohmann::ordered_json &content, qsizetype base,
                                   QList<qsizetype> *ends) {
    if (!content.is_array())
        return;
    // Mirrors contentText(): text parts joined with '\n', other parts add nothing.
    qsizetype offset = 0;
    bool first = true;
    for (const auto &part : content) {
        if (!part.is_object())
            continue;
        if (part.value("type", std::string()) == "text") {
            const auto text = part.find("text");
            if (text != part.end() && text->is_string()) {
                if (!first)
                    ++offset;
                offset += QString::fromStdString(text->get_ref<const std::string &>()).size();
                first = false;
            }
        }
        if (part.contains("cache_control"))
            ends->append(base + offset);
    }
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

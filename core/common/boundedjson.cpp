#include "boundedjson.h"

namespace rs {

bool jsonDepthWithin(std::string_view text, int maxDepth)
{
    JsonNesting nesting;
    for (const char c : text)
        if (nesting.feed(c) > 0 && nesting.depth > maxDepth)
            return false;
    return true;
}

nlohmann::json parseBoundedJson(std::string_view text)
{
    if (!jsonDepthWithin(text))
        return nlohmann::json(nlohmann::json::value_t::discarded);
    return nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
}

} // namespace rs

#include "responsetext.h"

#include <array>

namespace rs::serve {
namespace {

constexpr std::array<std::string_view, 12> kEndTokens{"<|im_end|>",
                                                      "<|eot_id|>",
                                                      "</s>",
                                                      "<|end|>",
                                                      "<end_of_turn>",
                                                      "<|endoftext|>",
                                                      "<|end_of_text|>",
                                                      "<｜end▁of▁sentence｜>",
                                                      "<|eom_id|>",
                                                      "<|return|>",
                                                      "[EOS]",
                                                      "<eos>"};

bool isSpace(char c) {
    return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

} // namespace

std::string_view responseAfterPrompt(std::string_view query, std::string_view prompt) {
    if (prompt.empty())
        return query;
    if (query.substr(0, prompt.size()) == prompt)
        return query.substr(prompt.size());
    // Left-truncated: find the longest k with query starting with prompt's last k bytes. The
    // prompt's last bytes (the assistant header of the template) anchor the search.
    const std::size_t anchorLen = std::min<std::size_t>(prompt.size(), 32);
    const std::string_view anchor = prompt.substr(prompt.size() - anchorLen);
    std::size_t best = std::string_view::npos;
    for (std::size_t at = query.find(anchor); at != std::string_view::npos;
         at = query.find(anchor, at + 1)) {
        const std::size_t k = at + anchorLen; // query[0, k) should be prompt's tail
        if (k <= prompt.size() && prompt.substr(prompt.size() - k) == query.substr(0, k))
            best = k;
    }
    return best == std::string_view::npos ? query : query.substr(best);
}

std::string_view stripEndOfTurn(std::string_view s) {
    for (;;) {
        std::string_view t = s;
        while (!t.empty() && isSpace(t.back()))
            t.remove_suffix(1);
        bool cut = false;
        for (std::string_view tok : kEndTokens) {
            if (t.size() >= tok.size() && t.substr(t.size() - tok.size()) == tok) {
                t.remove_suffix(tok.size());
                cut = true;
                break;
            }
        }
        if (!cut)
            return s;
        s = t;
    }
}

} // namespace rs::serve

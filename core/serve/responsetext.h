#pragma once

#include <string>
#include <string_view>

namespace rs::serve {

/// The response inside an OpenRLHF `query`: what follows the rendered prompt. The trainer may
/// have left-truncated the prompt (in tokens), so the query can start anywhere inside it: the
/// response then starts after the longest tail of the prompt that the query begins with.
/// Without the prompt in the query at all, the whole query is the response.
std::string_view responseAfterPrompt(std::string_view query, std::string_view renderedPrompt);

/// Removes end-of-turn and end-of-text tokens of the common chat templates from the end of a
/// decoded response (ChatML <|im_end|>, Llama 3 <|eot_id|>, </s>, Phi <|end|>, Gemma
/// <end_of_turn>, <|endoftext|>, DeepSeek's end of sentence, ...). Whitespace is removed only
/// together with such a token, so a response that ends in a newline keeps it: the text must
/// equal the one the studio judged for the cache to answer.
std::string_view stripEndOfTurn(std::string_view response);

} // namespace rs::serve

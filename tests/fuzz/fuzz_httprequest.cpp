// Fuzzes the reward server's HTTP request parser and the response cutting that follows it: both
// read whatever a network peer sends. The input is fed in two pieces (split by its first byte)
// to exercise the incremental path, and every invariant a connection relies on is checked.
#include "serve/requestparser.h"
#include "serve/responsetext.h"

#include <cstdint>
#include <cstdlib>
#include <string>

using namespace rs::serve;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const std::string input(reinterpret_cast<const char *>(data) + 1, size - 1);
    const std::size_t cut = std::min<std::size_t>(data[0], input.size());
    RequestParser parser({4096, 4096});
    std::string buffer = input.substr(0, cut);
    bool fedAll = false;
    for (int round = 0; round < 64; ++round) {
        const std::size_t before = buffer.size();
        RequestParser::Result r = parser.parse(buffer);
        if (r.state == RequestParser::State::Error) {
            if (r.status < 400 || r.status > 599 || r.error.empty())
                std::abort(); // every refusal is an HTTP error with a message
            break;
        }
        if (r.state == RequestParser::State::Complete) {
            if (buffer.size() >= before || r.request.body.size() > 4096)
                std::abort(); // a request consumes input and respects the body limit
            const std::string_view tail = responseAfterPrompt(r.request.body, r.request.target);
            if (stripEndOfTurn(tail).size() > tail.size())
                std::abort();
            continue;
        }
        if (fedAll)
            break;
        buffer += input.substr(cut);
        fedAll = true;
    }
    return 0;
}

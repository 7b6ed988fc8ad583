// Fuzzes the decoding of provider responses (OpenAI-compatible and Anthropic bodies and their
// error bodies): the first bytes from the network that the studio parses.
#include "llm/wireprotocol.h"

#include <cstdint>

using namespace rs::llm;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const std::string_view body(reinterpret_cast<const char *>(data) + 1, size - 1);
    const ProviderKind kind = (data[0] & 1) ? ProviderKind::Anthropic : ProviderKind::OpenAiCompatible;
    (void)wire::decode(kind, body);
    (void)wire::errorMessage(body);
    return 0;
}

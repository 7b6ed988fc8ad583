// Fuzzes the extraction of JSON from a model's answer (whole text, fenced block, or the first
// balanced value amid chatter), in each shape the proposer and judge ask for.
#include "llm/jsonextract.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstdlib>

using namespace rs::llm;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const std::string_view text(reinterpret_cast<const char *>(data), size);
    for (JsonShape shape : {JsonShape::Any, JsonShape::Object, JsonShape::Array}) {
        auto j = extractJson(text, shape);
        if (!j)
            continue;
        if ((shape == JsonShape::Object && !j->is_object())
            || (shape == JsonShape::Array && !j->is_array()))
            std::abort(); // returned a value of the wrong shape
        (void)requireArrayOfObjects(j.value(), "text", "weight");
    }
    return 0;
}

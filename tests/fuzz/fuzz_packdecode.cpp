// Fuzzes the rubric pack importer's record decoding: format detection and the decoder of each
// pack format, on one JSON record (a pack's rubrics.jsonl line, a paper or HealthBench record).
#include "pack/packcodec.h"

#include <nlohmann/json.hpp>

#include <cstdint>

using namespace rs::pack;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const auto j = nlohmann::json::parse(data, data + size, nullptr, false);
    if (j.is_discarded())
        return 0;
    if (const auto format = codec::detect(j)) {
        if (auto rubric = codec::decode(j, *format))
            (void)codec::encode(rubric.value(), *format); // a decoded rubric must encode again
    }
    for (PackFormat f : {PackFormat::Native, PackFormat::Paper, PackFormat::HealthBench, PackFormat::Rar})
        (void)codec::decode(j, f);
    return 0;
}

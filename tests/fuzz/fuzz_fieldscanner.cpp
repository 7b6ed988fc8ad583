// Fuzzes the generic format's validating single-pass scanner, and checks it against the DOM
// parser: whenever the scanner accepts a record, nlohmann must accept it too and agree on the
// fields; otherwise an import could store text the slow path would have rejected.
#include "import/fieldscanner.h"
#include "import/utf8.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstdlib>
#include <string>

using rs::import::FieldScanner;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const std::string_view text(reinterpret_cast<const char *>(data), size);
    // The importer rejects invalid UTF-8 before any parser sees a record (a first fuzz run
    // flagged the scanner accepting 0xff in a key, which it never gets in an import).
    if (rs::import::firstInvalidUtf8(text) != std::string_view::npos)
        return 0;
    std::string prompt, response, model;
    FieldScanner::Field fields[] = {{"prompt", &prompt, true},
                                    {"response", &response, true},
                                    {"model", &model, false}};
    if (!FieldScanner::scan(text, fields, std::size(fields)))
        return 0;
    const auto dom = nlohmann::json::parse(text, nullptr, false);
    if (dom.is_discarded() || !dom.is_object())
        std::abort(); // the scanner accepted what the parser rejects
    for (const auto &f : fields) {
        if (!f.found)
            continue;
        const auto it = dom.find(std::string(f.key));
        if (it == dom.end() || !it->is_string() || it->get<std::string>() != *f.out)
            std::abort(); // the scanner read a different value than the parser
    }
    return 0;
}

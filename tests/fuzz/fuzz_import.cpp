// Fuzzes the importer's read path: the record splitter (lines, arrays, documents) on a real
// file, format detection, and the mapper of every format. The first byte picks the format
// (Auto runs detection as an import would); the rest is the file.
#include "import/importconfig.h"
#include "import/recordmapper.h"
#include "import/recordreader.h"
#include "import/utf8.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <unistd.h>

using namespace rs::import;

namespace {

QString scratchFile()
{
    // One file per process, rewritten for every input; tmpfs when the system has one.
    static const QString path = []() -> QString {
        const char *dir = std::getenv("TMPDIR");
        return QString::fromUtf8(dir ? dir : "/tmp")
            + QStringLiteral("/rs-fuzz-import-%1.json").arg(::getpid());
    }();
    return path;
}

constexpr Format kFormats[] = {Format::Auto, Format::AlpacaEval, Format::Rollouts,
                               Format::Jsonl, Format::HealthBench, Format::Rubrics};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    ImportConfig config;
    config.format = kFormats[data[0] % std::size(kFormats)];
    // A field map too, so the generic format's fast scanner and its dotted DOM route both run.
    config.map.prompt = (data[0] & 0x40) ? QStringLiteral("meta.q") : QStringLiteral("prompt");
    config.map.response = QStringLiteral("response");
    config.map.generator = QStringLiteral("model");
    config.maxRecordBytes = 1 << 16;

    const QString path = scratchFile();
    {
        std::FILE *f = std::fopen(path.toUtf8().constData(), "wb");
        if (!f)
            std::abort();
        std::fwrite(data + 1, 1, size - 1, f);
        std::fclose(f);
    }
    RecordReader reader(path, config.maxRecordBytes);
    if (!reader.open())
        return 0;
    std::optional<RecordMapper> mapper;
    if (config.format != Format::Auto)
        mapper.emplace(config.format, config, path);
    RawRecord rec;
    for (int n = 0; n < 10000; ++n) {
        const auto status = reader.next(rec);
        if (status == RecordReader::Status::End)
            break;
        if (status == RecordReader::Status::Error)
            continue;
        // As the importer does: invalid UTF-8 is reported before any parser sees the record.
        if (firstInvalidUtf8(rec.text) != std::string_view::npos)
            continue;
        if (!mapper) {
            auto parsed = parseJson(rec.text, path, rec.line);
            if (!parsed)
                continue;
            auto fmt = RecordMapper::detect(parsed.value(), config, path, rec.line);
            if (!fmt)
                return 0;
            mapper.emplace(fmt.value(), config, path);
        }
        (void)mapper->map(rec.text, rec.line);
    }
    return 0;
}

// Fuzzes the reader of providers' batch output files (OpenAI and Anthropic shapes, truncated
// downloads): the file is the input, written to a scratch file as the reader takes a path.
#include "batch/batchfile.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const QString path = []() -> QString {
        const char *dir = std::getenv("TMPDIR");
        return QString::fromUtf8(dir ? dir : "/tmp")
            + QStringLiteral("/rs-fuzz-batch-%1.jsonl").arg(::getpid());
    }();
    std::FILE *f = std::fopen(path.toUtf8().constData(), "wb");
    if (!f)
        std::abort();
    std::fwrite(data, 1, size, f);
    std::fclose(f);
    QStringList problems;
    (void)rs::batch::readBatchOutput(path, &problems);
    return 0;
}

// A main() for the fuzz targets in ordinary (non-libFuzzer) builds: feeds every file of the
// given folders, or the given files, to LLVMFuzzerTestOneInput once. ctest uses it to replay
// the seed corpora and the crash reproducers under tests/fuzz/regressions, so a parser change
// that breaks on them fails the normal test run, with any compiler.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

namespace {

int runFile(const std::filesystem::path &p)
{
    std::ifstream in(p, std::ios::binary);
    const std::vector<char> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    // Copied into an exact-size heap block, so ASan sees reads past the end as libFuzzer would.
    std::vector<uint8_t> data(bytes.begin(), bytes.end());
    return LLVMFuzzerTestOneInput(data.data(), data.size());
}

} // namespace

int main(int argc, char **argv)
{
    long inputs = 0;
    for (int i = 1; i < argc; ++i) {
        const std::filesystem::path arg(argv[i]);
        std::error_code ec;
        if (std::filesystem::is_directory(arg, ec)) {
            for (const auto &e : std::filesystem::recursive_directory_iterator(arg)) {
                if (e.is_regular_file()) {
                    runFile(e.path());
                    ++inputs;
                }
            }
        } else if (std::filesystem::is_regular_file(arg, ec)) {
            runFile(arg);
            ++inputs;
        } else {
            std::fprintf(stderr, "skipping %s: not found\n", argv[i]);
        }
    }
    std::printf("replayed %ld inputs\n", inputs);
    return inputs > 0 ? 0 : 1;
}

// LLM engine throughput benchmark: N judge-shaped calls through rs::llm::LlmScheduler against
// an OpenAI-compatible server (normally rs-llm-test-server with a fixed latency), at a given
// concurrency. Prints one JSON line: wall time, calls/s, CPU time of this process per call
// (getrusage delta over the run: the worker thread, libcurl, request building and decoding)
// and peak RSS. bench/llm/run_llm_bench.sh runs it and tabulates it next to promptfoo.
//
// A benchmark, not a test: it reports, it does not assert. The exit code is non-zero only
// when it cannot run (bad arguments, a file it cannot write) or when calls fail or answers do
// not parse, because then the figures would not mean what they say.
//
//   rs_llm_throughput_bench --base-url http://127.0.0.1:PORT/v1 [--calls 5000]
//       [--concurrency 64] [--seed 1] [--model rs-test-judge] [--timeout-ms 60000]
//       [--write-promptfoo-tests FILE.jsonl] [--items-only]
//
// --write-promptfoo-tests writes the same items as a promptfoo tests file (one JSON test per
// line: vars.response and one llm-rubric assertion whose value is the criteria block), so
// promptfoo grades exactly what the engine graded. --items-only writes it and exits.

#include "llm/jsonextract.h"
#include "llm/llmscheduler.h"

#include <nlohmann/json.hpp>

#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::ordered_json;

// The judge prompt. run_llm_bench.sh gives promptfoo's llm-rubric the same system text and the
// same user-message layout (bench/llm/promptfoo/judge-rubric-prompt.json), so both clients send
// the server the same work per call. Keep the two in step.
constexpr const char *kSystemPrompt =
    "[role:judge] You are a strict grader. For each criterion, answer \"yes\" if the response "
    "meets it and \"no\" if it does not. Answer with one JSON object that maps every criterion "
    "id to \"yes\" or \"no\", and nothing else.";
constexpr const char *kUserIntro = "Grade the response below against each criterion.\n\n";

// A fixed vocabulary (no external data): words of five or more letters so that "mentions"
// criteria look like the ones the proposer writes.
constexpr std::array<const char *, 120> kWords = {
    "garden",    "harbor",    "lantern",   "meadow",    "orchard",   "pebble",    "quartz",
    "ribbon",    "saddle",    "thunder",   "velvet",    "walnut",    "anchor",    "blossom",
    "canyon",    "dolphin",   "ember",     "falcon",    "glacier",   "hazel",     "island",
    "jasmine",   "kettle",    "lagoon",    "marble",    "nectar",    "oyster",    "prairie",
    "quiver",    "raven",     "spruce",    "timber",    "umbrella",  "valley",    "willow",
    "yonder",    "zenith",    "almond",    "bramble",   "cobalt",    "drizzle",   "estuary",
    "fjord",     "granite",   "horizon",   "indigo",    "juniper",   "kernel",    "lichen",
    "mosaic",    "nomad",     "obsidian",  "paddle",    "quarry",    "rustic",    "summit",
    "tundra",    "upland",    "vortex",    "wander",    "bicycle",   "compass",   "diagram",
    "engine",    "fabric",    "gadget",    "hammock",   "invoice",   "journal",   "keyboard",
    "ladder",    "magnet",    "needle",    "outline",   "pencil",    "puzzle",    "riddle",
    "sketch",    "teapot",    "utensil",   "vessel",    "window",    "battery",   "cabinet",
    "drawer",    "eraser",    "folder",    "grater",    "helmet",    "infant",    "jacket",
    "kitten",    "lemonade",  "mitten",    "noodle",    "oatmeal",   "pillow",    "quilt",
    "rocket",    "sandal",    "tablet",    "unicorn",   "violin",    "wallet",    "yogurt",
    "zipper",    "archive",   "balance",   "cluster",   "density",   "elastic",   "formula",
    "gradient",  "harmonic",  "integral",  "lattice",   "momentum",  "network",   "orbital",
    "parabola"};
constexpr std::array<const char *, 24> kFillers = {
    "the", "a", "of", "and", "to", "in", "is", "was", "near", "with", "for", "on",
    "by", "that", "it", "as", "from", "every", "under", "over", "beside", "then", "so", "we"};
constexpr std::array<const char *, 4> kStyleCriteria = {
    "The response is written in a neutral tone.", "The response stays on topic.",
    "The response is easy to follow.", "The response avoids needless repetition."};

/// splitmix64: deterministic on every platform, unlike std:: distributions.
struct Rng {
    std::uint64_t s;
    std::uint64_t next()
    {
        std::uint64_t z = (s += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    std::size_t below(std::size_t n) { return std::size_t(next() % n); }
    std::size_t between(std::size_t lo, std::size_t hi) { return lo + below(hi - lo + 1); }
};

struct Criterion {
    std::string id;
    std::string text;
    bool expected = false; ///< the verdict the test server's rules give
};

struct Item {
    std::string response;
    std::vector<Criterion> criteria;
    std::string criteriaBlock; ///< "c1: ...\nc2: ..." (no trailing newline)
};

std::string lower(std::string_view s)
{
    std::string out(s);
    for (char &c : out)
        if (c >= 'A' && c <= 'Z')
            c = char(c - 'A' + 'a');
    return out;
}

std::size_t wordCount(std::string_view s)
{
    std::size_t n = 0;
    bool inWord = false;
    for (char c : s) {
        const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
        if (space)
            inWord = false;
        else if (!inWord) {
            inWord = true;
            ++n;
        }
    }
    return n;
}

Item makeItem(Rng &rng)
{
    Item item;
    // Sentences of 6-14 words until the text reaches a target of 300-700 characters; the last
    // sentence takes it to roughly 300-800.
    const std::size_t target = rng.between(300, 700);
    std::vector<std::size_t> used;
    while (item.response.size() < target) {
        const std::size_t len = rng.between(6, 14);
        std::string sentence;
        for (std::size_t w = 0; w < len; ++w) {
            std::string word;
            if (rng.below(5) < 2) {
                word = kFillers[rng.below(kFillers.size())];
            } else {
                const std::size_t k = rng.below(kWords.size());
                used.push_back(k);
                word = kWords[k];
            }
            if (w == 0)
                word[0] = char(word[0] - 'a' + 'A');
            if (!sentence.empty())
                sentence += ' ';
            sentence += word;
        }
        sentence += rng.below(6) == 0 ? '?' : '.';
        if (!item.response.empty())
            item.response += rng.below(8) == 0 ? "\n" : " ";
        item.response += sentence;
    }

    const std::string haystack = lower(item.response);
    const std::size_t words = wordCount(item.response);
    const std::size_t nCriteria = rng.between(5, 8);
    std::vector<std::string> texts;
    std::vector<bool> expected;
    // One length criterion, sometimes one style criterion (the server judges those by the
    // parity of the word count), the rest "mentions": about two thirds of them present.
    {
        const long delta = long(rng.between(0, 40)) - 20;
        const std::size_t needed = std::size_t(std::max(1L, long(words) + delta));
        texts.push_back("The response is at least " + std::to_string(needed) + " words long.");
        expected.push_back(words >= needed);
    }
    if (rng.below(3) == 0) {
        texts.emplace_back(kStyleCriteria[rng.below(kStyleCriteria.size())]);
        expected.push_back(words % 2 == 0);
    }
    while (texts.size() < nCriteria) {
        const char *word = rng.below(3) < 2 && !used.empty() ? kWords[used[rng.below(used.size())]]
                                                             : kWords[rng.below(kWords.size())];
        std::string text = std::string("The response mentions \"") + word + "\".";
        bool dup = false;
        for (const auto &t : texts)
            dup = dup || t == text;
        if (dup)
            continue;
        texts.push_back(text);
        expected.push_back(haystack.find(word) != std::string::npos);
    }
    // Shuffle so the length criterion is not always c1.
    for (std::size_t i = texts.size(); i > 1; --i) {
        const std::size_t j = rng.below(i);
        std::swap(texts[i - 1], texts[j]);
        const bool t = expected[i - 1];
        expected[i - 1] = expected[j];
        expected[j] = t;
    }
    for (std::size_t i = 0; i < texts.size(); ++i) {
        Criterion c{"c" + std::to_string(i + 1), texts[i], expected[i]};
        if (!item.criteriaBlock.empty())
            item.criteriaBlock += '\n';
        item.criteriaBlock += c.id + ": " + c.text;
        item.criteria.push_back(std::move(c));
    }
    return item;
}

std::string userMessage(const Item &item)
{
    return std::string(kUserIntro) + "<<<RESPONSE\n" + item.response + "\nRESPONSE>>>\n\n<<<CRITERIA\n"
           + item.criteriaBlock + "\nCRITERIA>>>";
}

struct Usage {
    double user = 0;
    double sys = 0;
    long maxRssKb = 0;
};

Usage usage()
{
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return {double(ru.ru_utime.tv_sec) + double(ru.ru_utime.tv_usec) / 1e6,
            double(ru.ru_stime.tv_sec) + double(ru.ru_stime.tv_usec) / 1e6, ru.ru_maxrss};
}

[[noreturn]] void usageError(const char *why)
{
    const bool help = why == nullptr;
    std::fprintf(help ? stdout : stderr,
                 "%s%s%s"
                 "usage: rs_llm_throughput_bench --base-url URL [--calls N] [--concurrency C]\n"
                 "       [--seed S] [--model NAME] [--timeout-ms MS]\n"
                 "       [--write-promptfoo-tests FILE.jsonl] [--items-only]\n",
                 help ? "" : "rs_llm_throughput_bench: ", help ? "" : why, help ? "" : "\n");
    std::exit(help ? 0 : 2);
}

long positive(const char *text, const char *name)
{
    char *end = nullptr;
    const long v = std::strtol(text, &end, 10);
    if (!end || *end != '\0' || v <= 0) {
        std::fprintf(stderr, "rs_llm_throughput_bench: %s needs a positive integer, got \"%s\"\n",
                     name, text);
        std::exit(2);
    }
    return v;
}

} // namespace

int main(int argc, char **argv)
{
    std::string baseUrl;
    std::string model = "rs-test-judge";
    std::string testsFile;
    bool itemsOnly = false;
    long calls = 5000;
    long concurrency = 64;
    long seed = 1;
    long timeoutMs = 60000;
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        const auto value = [&]() -> const char * {
            if (i + 1 >= argc)
                usageError("an option lacks its value");
            return argv[++i];
        };
        if (a == "--base-url")
            baseUrl = value();
        else if (a == "--calls")
            calls = positive(value(), "--calls");
        else if (a == "--concurrency")
            concurrency = positive(value(), "--concurrency");
        else if (a == "--seed")
            seed = positive(value(), "--seed");
        else if (a == "--model")
            model = value();
        else if (a == "--timeout-ms")
            timeoutMs = positive(value(), "--timeout-ms");
        else if (a == "--write-promptfoo-tests")
            testsFile = value();
        else if (a == "--items-only")
            itemsOnly = true;
        else if (a == "-h" || a == "--help")
            usageError(nullptr);
        else
            usageError("unknown argument");
    }
    if (itemsOnly && testsFile.empty())
        usageError("--items-only needs --write-promptfoo-tests");
    if (!itemsOnly && baseUrl.empty())
        usageError("--base-url is required");

    // --- items --------------------------------------------------------------------------
    Rng rng{std::uint64_t(seed) * 0x2545F4914F6CDD1Dull};
    std::vector<Item> items;
    items.reserve(std::size_t(calls));
    std::size_t responseChars = 0;
    std::size_t criteriaTotal = 0;
    for (long i = 0; i < calls; ++i) {
        items.push_back(makeItem(rng));
        responseChars += items.back().response.size();
        criteriaTotal += items.back().criteria.size();
    }

    if (!testsFile.empty()) {
        std::ofstream out(testsFile, std::ios::binary | std::ios::trunc);
        if (!out) {
            std::fprintf(stderr, "rs_llm_throughput_bench: cannot write %s\n", testsFile.c_str());
            return 2;
        }
        for (std::size_t i = 0; i < items.size(); ++i) {
            const ordered_json test{
                {"description", "item " + std::to_string(i + 1)},
                {"vars", {{"response", items[i].response}}},
                {"assert", ordered_json::array({{{"type", "llm-rubric"},
                                                 {"value", items[i].criteriaBlock}}})}};
            out << test.dump() << '\n';
        }
        if (!out.flush()) {
            std::fprintf(stderr, "rs_llm_throughput_bench: cannot write %s\n", testsFile.c_str());
            return 2;
        }
        if (itemsOnly)
            return 0;
    }

    std::vector<rs::llm::LlmRequest> requests;
    requests.reserve(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) {
        rs::llm::LlmRequest r;
        r.tag = i;
        r.system = QString::fromUtf8(kSystemPrompt);
        r.messages.append({QStringLiteral("user"), QString::fromStdString(userMessage(items[i]))});
        r.temperature = 0.0;
        r.maxTokens = 256;
        requests.push_back(std::move(r));
    }

    rs::llm::ProviderConfig provider;
    provider.name = QStringLiteral("bench");
    provider.kind = rs::llm::ProviderKind::OpenAiCompatible;
    provider.baseUrl = QString::fromStdString(baseUrl);
    provider.model = QString::fromStdString(model);
    provider.maxConcurrency = int(concurrency);
    provider.timeoutMs = int(timeoutMs);
    provider.maxRetries = 2;

    rs::llm::JobOptions options;
    options.kind = QStringLiteral("judge");
    options.bypassCache = true;

    // --- run ----------------------------------------------------------------------------
    std::vector<rs::llm::LlmResult> results;
    results.reserve(items.size());
    rs::llm::LlmScheduler scheduler(rs::llm::PriceTable{}, /*store*/ nullptr);
    const Usage u0 = usage();
    const auto t0 = Clock::now();
    const rs::llm::JobSummary summary = scheduler.runBlocking(provider, std::move(requests), options, &results);
    const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    const Usage u1 = usage();

    // --- check (outside the timed part) ------------------------------------------------
    std::size_t parsed = 0, verdicts = 0, yes = 0, mismatches = 0, missing = 0;
    long attempts = 0;
    std::string firstProblem;
    for (const auto &r : results) {
        attempts += r.attempts;
        if (!r.ok || r.tag >= items.size()) {
            if (firstProblem.empty())
                firstProblem = "call failed: " + r.errorText.toStdString();
            continue;
        }
        const std::string text = r.text.toStdString();
        auto j = rs::llm::extractJson(text, rs::llm::JsonShape::Object);
        if (!j) {
            if (firstProblem.empty())
                firstProblem = "unparsed answer: " + text.substr(0, 200);
            continue;
        }
        bool complete = true;
        for (const Criterion &c : items[r.tag].criteria) {
            const auto it = j->find(c.id);
            if (it == j->end() || !it->is_string() || (*it != "yes" && *it != "no")) {
                complete = false;
                ++missing;
                continue;
            }
            ++verdicts;
            const bool met = *it == "yes";
            yes += met;
            mismatches += met != c.expected;
        }
        if (complete)
            ++parsed;
        else if (firstProblem.empty())
            firstProblem = "answer lacks verdicts: " + text.substr(0, 200);
    }

    const double cpuUser = u1.user - u0.user;
    const double cpuSys = u1.sys - u0.sys;
    const ordered_json out{
        {"calls", calls},
        {"concurrency", concurrency},
        {"seconds", seconds},
        {"calls_per_s", double(summary.succeeded) / seconds},
        {"cpu_user_s", cpuUser},
        {"cpu_sys_s", cpuSys},
        {"cpu_us_per_call", (cpuUser + cpuSys) * 1e6 / double(calls)},
        {"peak_rss_mb", double(u1.maxRssKb) / 1024.0},
        {"succeeded", summary.succeeded},
        {"failed", summary.failed},
        {"attempts", attempts},
        {"parsed", parsed},
        {"criteria", criteriaTotal},
        {"verdicts", verdicts},
        {"verdicts_yes", yes},
        {"verdicts_missing", missing},
        {"verdict_mismatches", mismatches},
        {"avg_response_chars", double(responseChars) / double(calls)},
        {"tokens_in", summary.tokensIn},
        {"tokens_out", summary.tokensOut},
    };
    std::printf("%s\n", out.dump().c_str());
    std::fflush(stdout);
    if (!firstProblem.empty())
        std::fprintf(stderr, "rs_llm_throughput_bench: first problem: %s\n", firstProblem.c_str());
    return summary.succeeded == calls && parsed == std::size_t(calls) ? 0 : 1;
}

#pragma once

#include <QStringView>

#include <cstdint>

namespace rs::llmserver {

/// Stable hashing for the "sampling" of a deterministic model: the same inputs give the same
/// numbers on every machine and run (unlike qHash, which is seeded per process).
class Sampler final {
public:
    /// FNV-1a over the UTF-16 units of text, continued from h.
    static std::uint64_t hash(QStringView text, std::uint64_t h = 0xcbf29ce484222325ULL);
    /// splitmix64's finaliser: spreads a combination of two values over all 64 bits.
    static std::uint64_t mix(std::uint64_t a, std::uint64_t b);
    /// A number in [0, 1) from the top 53 bits.
    static double unit(std::uint64_t v) { return double(v >> 11) * 0x1.0p-53; }
    /// The chance that a judge verdict flips at temperature t: 0 at 0, 1/4 at 1, 1/3 at 2,
    /// approaching 1/2 (a coin toss) as t grows.
    static double flipProbability(double t) { return t <= 0.0 ? 0.0 : t / (2.0 * t + 2.0); }
    /// P(yes) sharpened (t < 1) or flattened (t > 1) by temperature, as sampling does.
    static double tempered(double pYes, double t);
};

} // namespace rs::llmserver

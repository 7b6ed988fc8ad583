#pragma once

#include <cstdint>

namespace rs {

/// SplitMix64: a tiny, fast generator whose sequence is the same on every platform and
/// standard library (std::uniform_int_distribution's is not), so a seeded sample or interval
/// is reproducible anywhere and a test can repeat it draw for draw.
class SplitMix64 final {
public:
    explicit SplitMix64(std::uint64_t seed) : m_state(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (m_state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    /// Uniform in [0, n) by the multiply-high method (bias below 2^-40 for the n used here).
    std::int64_t below(std::int64_t n) { return std::int64_t(mulHigh(next(), std::uint64_t(n))); }

    /// The high 64 bits of a 64x64-bit product, in portable C++ (no __int128).
    static std::uint64_t mulHigh(std::uint64_t a, std::uint64_t b) {
        const std::uint64_t aLo = a & 0xFFFFFFFFULL, aHi = a >> 32;
        const std::uint64_t bLo = b & 0xFFFFFFFFULL, bHi = b >> 32;
        const std::uint64_t lo = aLo * bLo, mid1 = aLo * bHi, mid2 = aHi * bLo;
        const std::uint64_t carry = (lo >> 32) + (mid1 & 0xFFFFFFFFULL) + (mid2 & 0xFFFFFFFFULL);
        return aHi * bHi + (mid1 >> 32) + (mid2 >> 32) + (carry >> 32);
    }

private:
    std::uint64_t m_state;
};

} // namespace rs

#include "sampler.h"

#include <cmath>

namespace rs::llmserver {

std::uint64_t Sampler::hash(QStringView text, std::uint64_t h) {
    for (const QChar c : text) {
        h ^= c.unicode();
        h *= 0x100000001b3ULL;
    }
    return h;
}

std::uint64_t Sampler::mix(std::uint64_t a, std::uint64_t b) {
    std::uint64_t z = a ^ (b + 0x9e3779b97f4a7c15ULL + (a << 6) + (a >> 2));
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

double Sampler::tempered(double pYes, double t) {
    if (t <= 0.0)
        return pYes >= 0.5 ? 1.0 : 0.0;
    const double y = std::pow(pYes, 1.0 / t);
    const double n = std::pow(1.0 - pYes, 1.0 / t);
    return y / (y + n);
}

} // namespace rs::llmserver

#include "theory.h"

#include <algorithm>
#include <cmath>

namespace rs::analytics {
namespace {

// Simpson intervals per smooth segment. The integrand's fourth derivative grows like β⁻⁴,
// so at β = 0.01 a step of 1/8192 still leaves an error far below 1e-9.
constexpr int kIntervals = 8192;

template <typename F> double simpson(F f, double a, double b) {
    if (b <= a)
        return 0;
    const double h = (b - a) / kIntervals;
    double sum = f(a) + f(b);
    for (int i = 1; i < kIntervals; ++i)
        sum += f(a + i * h) * (i % 2 ? 4 : 2);
    return sum * h / 3;
}

std::vector<double> breakpoints(const Mapping &m) {
    std::vector<double> cuts{0.0, 1.0};
    if (m.kind == Mapping::Kind::TopWrong)
        cuts.push_back(1 - m.c);
    if (m.kind == Mapping::Kind::WorstWrong)
        cuts.push_back(m.c);
    std::sort(cuts.begin(), cuts.end());
    cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
    return cuts;
}

} // namespace

double Mapping::gold(double u) const {
    switch (kind) {
    case Kind::Correct:
        return u;
    case Kind::Reversed:
        return 1 - u;
    case Kind::TopWrong:
        return u <= 1 - c ? u : 2 - c - u;
    case Kind::WorstWrong:
        return u < c ? c - u : u;
    }
    return u;
}

QString Mapping::name() const {
    switch (kind) {
    case Kind::Correct:
        return QStringLiteral("correct");
    case Kind::Reversed:
        return QStringLiteral("reversed");
    case Kind::TopWrong:
        return QStringLiteral("top:") + QString::number(c);
    case Kind::WorstWrong:
        return QStringLiteral("worst:") + QString::number(c);
    }
    return {};
}

Expected<Mapping> parseMapping(const QString &text) {
    const QString t = text.trimmed().toLower();
    if (t == QLatin1String("correct"))
        return Mapping{Mapping::Kind::Correct, 0};
    if (t == QLatin1String("reversed"))
        return Mapping{Mapping::Kind::Reversed, 0};
    const qsizetype colon = t.indexOf(QLatin1Char(':'));
    const QString kind = t.left(colon);
    if (colon > 0 && (kind == QLatin1String("top") || kind == QLatin1String("worst"))) {
        QString num = t.mid(colon + 1).trimmed();
        const bool percent = num.endsWith(QLatin1Char('%'));
        if (percent)
            num.chop(1);
        bool ok = false;
        double c = num.toDouble(&ok);
        if (ok && percent)
            c /= 100;
        if (ok && c > 0 && c <= 1)
            return Mapping{kind == QLatin1String("top") ? Mapping::Kind::TopWrong
                                                        : Mapping::Kind::WorstWrong,
                           c};
        return makeError(QStringLiteral("mapping \"%1\": C must be a share in (0, 1] such as "
                                        "0.1, or a percentage such as 10%")
                             .arg(text));
    }
    return makeError(
        QStringLiteral("unknown mapping \"%1\" (use correct, reversed, top:C or worst:C)")
            .arg(text));
}

TheoryPoint theoryPoint(const Mapping &mapping, double beta) {
    TheoryPoint p;
    p.beta = beta;
    // The tilted density over the proxy reward u, written as e^((u-1)/β) / Z so nothing
    // overflows for small β: Z = β(1 - e^(-1/β)).
    const double z = beta * -std::expm1(-1 / beta);
    const double lnZ = std::log(z);
    const auto density = [&](double u) { return std::exp((u - 1) / beta) / z; };
    double win = 0, kl = 0;
    const std::vector<double> cuts = breakpoints(mapping);
    for (size_t i = 0; i + 1 < cuts.size(); ++i) {
        win +=
            simpson([&](double u) { return mapping.gold(u) * density(u); }, cuts[i], cuts[i + 1]);
        kl += simpson([&](double u) { return density(u) * ((u - 1) / beta - lnZ); }, cuts[i],
                      cuts[i + 1]);
    }
    p.win = win;
    p.kl = kl;
    // Closed forms in the same overflow-free terms: with q = e^(-1/β),
    // e/(e-1) = 1/(1-q) and ln(e-1) = 1/β + ln(1-q).
    const double q = std::exp(-1 / beta);
    const double ratio = 1 / -std::expm1(-1 / beta);
    p.klClosedForm = ratio / beta - 1 - std::log(beta) - (1 / beta + std::log1p(-q));
    const double correctWin = ratio - beta;
    if (mapping.kind == Mapping::Kind::Correct)
        p.winClosedForm = correctWin;
    else if (mapping.kind == Mapping::Kind::Reversed)
        p.winClosedForm = 1 - correctWin;
    return p;
}

TheoryCurve theoryCurve(const Mapping &mapping, const std::vector<double> &betas) {
    TheoryCurve curve{mapping, {}};
    curve.points.reserve(betas.size());
    for (double b : betas)
        if (b > 0)
            curve.points.push_back(theoryPoint(mapping, b));
    return curve;
}

std::vector<double> defaultBetas(int count) {
    std::vector<double> betas;
    if (count < 2)
        return {0.1};
    const double lo = std::log(0.01), hi = std::log(10.0);
    betas.reserve(size_t(count));
    for (int i = 0; i < count; ++i)
        betas.push_back(std::exp(lo + (hi - lo) * i / (count - 1)));
    return betas;
}

std::vector<Mapping> paperMappings() {
    return {Mapping{Mapping::Kind::Correct, 0}, Mapping{Mapping::Kind::Reversed, 0},
            Mapping{Mapping::Kind::TopWrong, 0.1}, Mapping{Mapping::Kind::WorstWrong, 0.1}};
}

std::vector<SweepPoint> topWrongSweep(double beta, const std::vector<double> &cs) {
    std::vector<SweepPoint> out;
    for (double c : cs)
        if (c > 0 && c <= 1)
            out.push_back({c, theoryPoint(Mapping{Mapping::Kind::TopWrong, c}, beta).win});
    return out;
}

} // namespace rs::analytics

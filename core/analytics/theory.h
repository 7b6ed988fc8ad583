#pragma once

#include "common/error.h"

#include <QString>

#include <optional>
#include <vector>

namespace rs::analytics {

/// A test mapping of method.md's Theorem: the proxy reward r = f(r*) re-ranks the gold
/// reward r* (uniform on [0,1]). All four are measure-preserving involutions, so f = f⁻¹.
struct Mapping final {
    enum class Kind { Correct, Reversed, TopWrong, WorstWrong };
    Kind kind = Kind::Correct;
    double c = 0; ///< share of the range mis-ranked (TopWrong/WorstWrong), in (0, 1]

    /// The gold reward behind proxy reward u: f⁻¹(u).
    double gold(double u) const;
    /// "correct", "reversed", "top:0.1", "worst:0.1".
    QString name() const;
};

/// Parses "correct", "reversed", "top:C" or "worst:C", C a share (0.1) or a percentage (10%).
Expected<Mapping> parseMapping(const QString &text);

/// Win rate and KL of the policy tilted by exp(r/beta) from a uniform base.
struct TheoryPoint final {
    double beta = 0;
    double win = 0;          ///< ∫ f⁻¹(u) e^(u/β) du / (β(e^(1/β) − 1)), numerically
    double kl = 0;           ///< KL(tilted || base), numerically; independent of f
    double klClosedForm = 0; ///< e/(β(e−1)) − 1 − ln β − ln(e−1), e = exp(1/β)
    std::optional<double> winClosedForm; ///< correct: e/(e−1) − β; reversed: 1 − that
};

struct TheoryCurve final {
    Mapping mapping;
    std::vector<TheoryPoint> points;
};

/// One point by composite Simpson integration split at the mapping's breakpoints.
/// beta must be > 0.
TheoryPoint theoryPoint(const Mapping &mapping, double beta);
TheoryCurve theoryCurve(const Mapping &mapping, const std::vector<double> &betas);

/// Log-spaced betas from 0.01 to 10, the range where the curves bend.
std::vector<double> defaultBetas(int count = 60);

/// The four mappings of the paper's figure, with c = 0.1.
std::vector<Mapping> paperMappings();

/// Win rate at one beta of "top c wrong" for each c, to see how much the top matters.
struct SweepPoint final {
    double c = 0;
    double win = 0;
};
std::vector<SweepPoint> topWrongSweep(double beta, const std::vector<double> &cs);

} // namespace rs::analytics

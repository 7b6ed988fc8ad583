#pragma once

#include <QStringList>

namespace rs::cli {

/// metrics PROJECT [options] [--json]: every project-level metric of issue 6.
int runMetrics(const QStringList &args);
/// theory --beta B|--betas B1,B2,... --mapping M [--sweep C1,C2,...] [--json]
int runTheory(const QStringList &args);
/// import-curves PROJECT FILE.csv...: RL training curves for the over-optimisation chart.
int runImportCurves(const QStringList &args);

/// training PROJECT [--top K] [--json]: served rewards by training step (issue 14).
int runTraining(const QStringList &args);

} // namespace rs::cli

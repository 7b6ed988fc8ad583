#pragma once

#include "cliargs.h"

#include <QStringList>

namespace rs::cli {

/// metrics PROJECT [options] [--json]: every project-level metric of issue 6.
int runMetrics(const QStringList &args);
/// theory --beta B|--betas B1,B2,... --mapping M [--sweep C1,C2,...] [--json]
int runTheory(const QStringList &args);
/// import-curves PROJECT FILE.csv...: RL training curves for the over-optimisation chart.
int runImportCurves(const QStringList &args);

/// training PROJECT [--top K] [--json]: served rewards by training step (issue 14); with
/// --panel-check PROVIDER[,...] [--step N|latest] the rubric-free check of a step's top
/// responses (runTrainingPanelCheck).
int runTraining(const QStringList &args);
/// training PROJECT --panel-check ...: its arguments already parsed by runTraining.
int runTrainingPanelCheck(const Args &args);

} // namespace rs::cli

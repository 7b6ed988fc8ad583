#pragma once

#include <QStringList>

namespace rs::judge {
struct JudgeConfig;
}

namespace rs::cli {

struct Args;

/// The judge settings the options name (provider options, --mode, --votes, --show-weights,
/// --rubric, --responses), shared by judge and batch-export; an error message when bad.
QString judgeConfigFromArgs(const Args &args, judge::JudgeConfig *config);

/// judge PROJECT (--provider NAME | --base-url URL --model M) [--mode joint|per-criterion]
///   [--votes N] [--rubric latest] [--responses all|tier:NAME] ...
int runJudge(const QStringList &args);
/// scores PROJECT [--run ID] [--prompt ID] [--missing no|drop] [--json]
int runScores(const QStringList &args);
/// judge-panel PROJECT --runs A,B[,C...] [--ties missing|no] [--name NAME] [--json]
int runJudgePanel(const QStringList &args);
/// judge-cascade PROJECT --cheap-run A (--curve [--strong-run S] | --strong-run S --margin M)
int runJudgeCascade(const QStringList &args);
/// oracle PROJECT PROVIDER [--models M1,M2,...] [--tiers A,B] [--prompts ...] [--max-pairs N]
int runOracle(const QStringList &args);

} // namespace rs::cli

#pragma once

#include "judge/judgeconfig.h"

namespace rs::ui {

class ProviderListModel;

/// The judge settings the studio remembers between runs (QSettings group "judgeRun"): the Run
/// Judge dialog saves them on Start, and the provider batch export starts from them, so a batch
/// makes the same run a live judge would (equal settings are one run, resumed, never doubled).
class JudgeSettings final {
public:
    /// The saved settings. The provider is looked up by its saved name in `providers` (an empty
    /// config when it is gone); templates are empty when the built-in ones were in use.
    static judge::JudgeConfig load(const ProviderListModel &providers);
    static void save(const judge::JudgeConfig &config);

    /// The Run Judge dialog's spending cap in USD (0: none); not part of a run's identity.
    static double spendingCap();
    static void setSpendingCap(double usd);
};

} // namespace rs::ui

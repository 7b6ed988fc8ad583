#pragma once

#include "common/error.h"
#include "pack/packtypes.h"

#include <QStringList>

#include <optional>

namespace rs::store {
class Database;
}

namespace rs::pack {

/// Where a rubric reward goes: an RL trainer or an evaluation harness.
enum class TrainerFormat { Verl, Trl, OpenRlhf, Verifiers, Promptfoo, Inspect };

std::optional<TrainerFormat> trainerFormatFromName(const QString &name);
QString trainerFormatName(TrainerFormat format);
QStringList trainerFormatNames();

/// Writes a trainer adapter into `dir`: standard-library Python that calls `serve` in the
/// trainer's own calling convention (integrations.md), a README with the worked command, and
/// what the trainer needs besides (verl's training rows, verifiers' taskset TOML, promptfoo's
/// config, an Inspect task). The rubrics come from `selection`. Returns the files written,
/// relative to `dir`.
Expected<QStringList> writeTrainerAdapter(store::Database &db, TrainerFormat format,
                                          const QString &dir, const PackSelection &selection);

} // namespace rs::pack

#pragma once

#include "common/error.h"
#include "packtypes.h"

#include <nlohmann/json_fwd.hpp>

namespace rs::pack {

/// Turns a rubric into one record of a format and back. Pure functions: the mappings between
/// weights, points and categories live here and nowhere else (docs/packs.md describes them).
namespace codec {

nlohmann::json encode(const PackRubric &rubric, PackFormat format);
Expected<PackRubric> decode(const nlohmann::json &record, PackFormat format);

/// Guesses the format of a record: native has "criteria" with ids, HealthBench a list of
/// turns as its prompt, RaR a "rubric" list of {title, description}, the paper "rubrics".
std::optional<PackFormat> detect(const nlohmann::json &record);

/// SHA-256 (hex) of the rubric's content: scoring and each criterion's id, text, weight,
/// category and tags, in order. Equal hashes mean the same rubric, in any project.
QString rubricHash(const PackRubric &rubric);
/// SHA-256 (hex) of the prompt text.
QString promptHash(const QString &prompt);

/// The RaR label ("Essential", "Important", "Optional", "Pitfall") and weight a criterion
/// maps to.
std::pair<QString, double> rarMapping(const PackCriterion &c, const QString &scoring);

} // namespace codec
} // namespace rs::pack

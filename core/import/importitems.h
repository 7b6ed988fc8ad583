#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rs::import {

/// What one input record contributes to the project, in UTF-8, ready for the writer.
struct ResponseItem final {
    std::string generator;
    std::string text;
    std::string tier;
    bool offPolicy = false;
};

struct CriterionItem final {
    std::string text;
    double weight = 1; ///< weight, or points when the rubric scores in points
    std::string category;
    std::string tagsJson; ///< JSON array of strings, empty when none
};

struct RubricItem final {
    std::string scoring; ///< "weights" or "points"
    std::vector<CriterionItem> criteria;
};

struct RecordItems final {
    std::string promptText;
    std::string dataset;
    std::string externalId;
    std::string conversationJson; ///< multi-turn prompts keep their turns here
    std::string tagsJson;
    std::vector<ResponseItem> responses;
    std::optional<RubricItem> rubric;
    std::int64_t line = 0;
};

} // namespace rs::import

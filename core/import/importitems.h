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
    // Derived on the parsing thread (ImportSink::fillDerived), so the writer thread, the import's
    // bottleneck, only binds them.
    std::int64_t hash = 0;   ///< contentHash(text)
    std::int64_t length = 0; ///< code points
    bool empty = false;      ///< whitespace only
};

struct CriterionItem final {
    std::string text;
    double weight = 1; ///< weight, or points when the rubric scores in points
    std::string category;
    std::string tagsJson; ///< JSON array of strings, empty when none
    std::string stableId; ///< kept as given when set (native rubric packs); else assigned
    std::string checkJson; ///< canonical check (rubric/checkspec.h); empty: judged
    bool veto = false;     ///< failing it caps the reward
};

struct RubricItem final {
    std::string scoring; ///< "weights" or "points"
    std::string aggregationJson; ///< canonical aggregation; empty: plain `scoring`
    std::vector<CriterionItem> criteria;
};

/// A gold preference between the record's two responses (pairwise annotation files).
struct PreferenceItem final {
    std::optional<double> preferenceB; ///< P(second better) in [0, 1]; nullopt: not annotated
    std::string annotator;
};

struct RecordItems final {
    std::string promptText;
    std::string dataset;
    std::string externalId;
    std::string conversationJson; ///< multi-turn prompts keep their turns here
    std::string tagsJson;
    std::vector<ResponseItem> responses;
    std::optional<RubricItem> rubric;
    std::optional<PreferenceItem> preference; ///< between responses[0] and responses[1]
    std::int64_t line = 0;
    std::int64_t promptHash = 0; ///< contentHash(promptText), set with `derived`
    bool derived = false;        ///< ImportSink::fillDerived ran
};


} // namespace rs::import

#pragma once

#include <QString>

#include <nlohmann/json.hpp>

#include <optional>

namespace rs::llmserver {

/// Puts the oracle's answer into the shape of a client's JSON schema, keeping its judgement:
/// properties present in the answer keep their values (converted between "yes"/"no", booleans
/// and numbers as the schema's type or enum needs), missing ones get a default. A constrained
/// decoder does the same to a real model: the content stays the model's, the form the schema's.
class SchemaShaper final {
public:
    struct Hints {
        /// A judge with a single criterion: its verdict fills yes/no-like properties the answer
        /// does not name (a probability question's {"verdict": …}).
        std::optional<bool> verdict;
        /// The text for free string properties (an explanation or the chat echo).
        QString text;
    };
    static nlohmann::ordered_json conform(const nlohmann::ordered_json &value,
                                          const nlohmann::ordered_json &schema, const Hints &hints);
};

} // namespace rs::llmserver

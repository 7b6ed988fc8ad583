#pragma once

#include "common/error.h"
#include "judgetemplate.h"

#include <QHash>
#include <QString>

#include <tuple>
#include <unordered_map>

namespace rs::store {
class Database;
}

namespace rs::judge {

/// Few-shot from corrections: responses a human decided for a criterion (where the judge had
/// erred) are shown to the judge as examples under that criterion. They are attached by
/// `labels attach` (labels/corrections) and stored in criterion_examples, keyed like labels by
/// response, criterion id and criterion text.
using ExampleKey = std::tuple<qint64, QString, QString>; ///< prompt id, stable id, text

struct ExampleKeyHash {
    std::size_t operator()(const ExampleKey &k) const {
        return qHash(std::get<0>(k)) ^ (qHash(std::get<1>(k)) * 31) ^ (qHash(std::get<2>(k)) * 131);
    }
};

/// Characters of a response shown in an example: enough to see why, short enough that a
/// criterion with two examples does not crowd out the response being judged.
inline constexpr int kExampleExcerpt = 600;

/// The attached examples by criterion; empty on projects without any (or older than schema 10).
Expected<std::unordered_map<ExampleKey, QList<CriterionExample>, ExampleKeyHash>>
loadCriterionExamples(store::Database &db);

/// 12 hex digits over every attached example, empty when there is none: the judge template's
/// version carries it, so attaching or removing examples starts a new judge run.
Expected<QString> fewShotVersion(store::Database &db);

/// Sets config.fewShot from the project (the runner calls this before it names its run).
Expected<void> applyFewShot(store::Database &db, JudgeConfig &config);

} // namespace rs::judge

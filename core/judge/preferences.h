#pragma once

#include "common/error.h"

#include <QString>

namespace rs::store {
class ProjectStore;
}

namespace rs::judge {

/// A gold preference between two responses to the same prompt. `preference` is the
/// probability that B is better: 0 = A wins, 1 = B wins, 0.5 = tie (fractional values come
/// from judges that report probabilities, such as AlpacaEval's weighted annotator).
struct Preference final {
    qint64 promptId = 0;
    qint64 responseA = 0;
    qint64 responseB = 0;
    double preference = 0.5;
    QString source; ///< "human", "oracle", "import"
    QString detail; ///< JSON: who/which model, orders asked, raw answers
};

/// Stores a preference (durable on return); returns its id. Both responses must belong to
/// the prompt.
Expected<qint64> recordPreference(store::ProjectStore &store, const Preference &preference);

} // namespace rs::judge

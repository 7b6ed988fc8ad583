#pragma once

#include "common/error.h"
#include "promptindex.h"
#include "store/database.h"

#include <QString>

#include <memory>
#include <utility>

namespace rs::serve {

/// The serving prompt index, following the project: when a lookup misses, the router asks
/// whether prompts were added or removed since the index was built (one query on a
/// connection kept open, so no clock and no poller) and the index is rebuilt if so. Prompts
/// imported while `serve` runs are then served without a restart. For the HTTP I/O thread
/// only: the index is swapped between lookups of that one thread.
class LivePromptIndex final {
public:
    static Expected<std::unique_ptr<LivePromptIndex>> open(const QString &projectPath);

    const PromptIndex &index() const { return m_index; }
    /// Rebuilds the index when the project's prompts changed since it was built; true then.
    /// A project that cannot be read keeps the index it had.
    bool refreshIfChanged();

private:
    using Fingerprint = std::pair<qint64, qint64>; ///< count(*), max(id) of prompts

    LivePromptIndex(store::Database db, PromptIndex index, Fingerprint seen);
    static Expected<Fingerprint> fingerprint(store::Database &db);

    store::Database m_db;
    PromptIndex m_index;
    Fingerprint m_seen;
};

} // namespace rs::serve

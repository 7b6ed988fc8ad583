#include "common/asynctask.h"

#include <QCoreApplication>
#include <QPointer>

namespace rs::ui {

QThreadPool *queryPool()
{
    // Parented to the application so its threads are joined before the application object
    // goes away, not during static destruction when Qt is already torn down.
    static QPointer<QThreadPool> pool;
    if (!pool) {
        pool = new QThreadPool(QCoreApplication::instance());
        pool->setObjectName(QStringLiteral("studio.queries"));
        // A few readers are plenty: each view asks for at most a page at a time, and SQLite in
        // WAL mode lets them read while an import writes.
        pool->setMaxThreadCount(3);
    }
    return pool;
}

} // namespace rs::ui

#pragma once

#include "common/error.h"
#include "store/projectreader.h"

#include <QFutureWatcher>
#include <QObject>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

#include <utility>

namespace rs::ui {

/// The pool that runs the views' read queries. It is separate from the global pool so that a
/// long import or demo build can never starve the navigator of threads.
QThreadPool *queryPool();

/// Runs `work` on `pool` and hands its result to `done` on `context`'s thread.
///
/// The watcher is a child of `context`: when the context goes away first, the result is
/// dropped instead of being delivered to a dead object, and nobody waits for the worker.
/// `work` must therefore capture only values, never `context` or its members.
template <typename Work, typename Done>
void runAsync(QObject *context, QThreadPool *pool, Work work, Done done)
{
    using Result = std::invoke_result_t<Work>;
    auto *watcher = new QFutureWatcher<Result>(context);
    QObject::connect(watcher, &QFutureWatcherBase::finished, context,
                     [watcher, done = std::move(done)]() mutable {
                         watcher->deleteLater();
                         done(watcher->future().takeResult());
                     });
    watcher->setFuture(QtConcurrent::run(pool, std::move(work)));
}

/// Runs `query(ProjectReader &)` on the query pool with a reader of its own (SQLite
/// connections are never shared between threads) and delivers the Expected<T> to `done`.
template <typename T, typename Query, typename Done>
void runQuery(QObject *context, const QString &projectPath, Query query, Done done)
{
    runAsync(
        context, queryPool(),
        [projectPath, query = std::move(query)]() -> Expected<T> {
            auto reader = store::ProjectReader::open(projectPath);
            if (!reader)
                return reader.error();
            return query(reader.value());
        },
        std::move(done));
}

/// Like runQuery, for the core functions that read through a plain read-only Database
/// (judge::loadVerdictGrid, loadCall, listRuns) rather than a ProjectReader.
template <typename T, typename Query, typename Done>
void runDbQuery(QObject *context, const QString &projectPath, Query query, Done done)
{
    runAsync(
        context, queryPool(),
        [projectPath, query = std::move(query)]() -> Expected<T> {
            auto db = store::Database::open(projectPath, store::Database::Mode::ReadOnly);
            if (!db)
                return db.error();
            return query(db.value());
        },
        std::move(done));
}

} // namespace rs::ui

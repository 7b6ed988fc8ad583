#pragma once

#include "common/error.h"

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <memory>
#include <string_view>
#include <type_traits>

struct sqlite3;
struct sqlite3_stmt;

namespace rs::store {

class Statement;
struct StatementPool;

/// One SQLite connection. Thin on purpose: the store needs prepared statements, exec and
/// transactions, and SQLite's own error text is the most useful message we can give.
class Database final {
public:
    enum class Mode { ReadWrite, ReadWriteCreate, ReadOnly };

    Database() = default;
    ~Database();
    Database(Database &&other) noexcept;
    Database &operator=(Database &&other) noexcept;
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    static Expected<Database> open(const QString &path, Mode mode);

    bool isOpen() const { return m_db != nullptr; }
    sqlite3 *handle() const { return m_db; }
    QString path() const { return m_path; }

    Expected<void> exec(std::string_view sql);
    /// A statement for `sql`. Statements are pooled per connection: a finished one is reset
    /// and kept, and the next prepare of the same SQL takes it back instead of parsing and
    /// planning again — which costs more than running the small queries a server repeats.
    Expected<Statement> prepare(std::string_view sql);
    /// Runs a parameterless statement (BEGIN, COMMIT, SAVEPOINT ...) through the pool.
    Expected<void> run(std::string_view sql);
    /// Runs a single-value query such as "SELECT count(*) FROM x"; 0 when it returns no row.
    Expected<qint64> scalar(std::string_view sql);
    qint64 lastInsertId() const;
    int changes() const;
    Error lastError(const QString &context) const;

private:
    sqlite3 *m_db = nullptr;
    QString m_path;
    std::shared_ptr<StatementPool> m_pool; ///< finalized before the connection closes
};

/// A prepared statement; resets itself before each new binding round so it can be reused in
/// hot import loops without re-parsing SQL.
class Statement final {
public:
    Statement() = default;
    Statement(sqlite3_stmt *stmt, sqlite3 *db)
        : m_stmt(stmt)
        , m_db(db) {}
    Statement(sqlite3_stmt *stmt, sqlite3 *db, std::weak_ptr<StatementPool> pool)
        : m_stmt(stmt)
        , m_db(db)
        , m_pool(std::move(pool)) {}
    ~Statement();
    Statement(Statement &&other) noexcept;
    Statement &operator=(Statement &&other) noexcept;
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;

    void reset();
    void bind(int index, std::int64_t value);
    void bind(int index, double value);
    void bind(int index, std::string_view utf8); ///< copied by SQLite (SQLITE_TRANSIENT)
    void bind(int index, const QString &text);
    /// Not copied: `utf8` must stay valid until the statement is reset or stepped to its end.
    /// For the import's hot loop, where copying every 1-2 KB response again costs real time.
    void bindStatic(int index, std::string_view utf8);
    void bindNull(int index);

    /// Steps once. Returns true when a row is available, false when done; an error otherwise.
    Expected<bool> step();
    /// Steps to completion, for statements that return no rows.
    Expected<void> run();
    /// Whether the last step failed on a UNIQUE or PRIMARY KEY constraint. A plain INSERT needs
    /// no statement journal where INSERT OR REPLACE does (it may delete before it inserts), so a
    /// writer that rarely replaces can try the plain form and replace only on this failure.
    bool violatedUniqueness() const;
    /// Steps through every row, calling `row()` for each (it reads this statement's columns).
    /// `row` returns void, or bool where false stops early. An SQLite error ends the walk and
    /// comes back as the result, so no caller can mistake a failed read for "no more rows".
    template <typename Row> Expected<void> forEach(Row &&row);

    std::int64_t columnInt(int col) const;
    double columnDouble(int col) const;
    QString columnText(int col) const;
    /// The column's UTF-8 bytes without a QString copy; valid until the next step or reset.
    std::string_view columnUtf8(int col) const;
    bool columnIsNull(int col) const;

private:
    void release();
    sqlite3_stmt *m_stmt = nullptr;
    sqlite3 *m_db = nullptr;
    std::weak_ptr<StatementPool> m_pool; ///< where it goes back when done (if still open)
};

template <typename Row> Expected<void> Statement::forEach(Row &&row) {
    for (;;) {
        Expected<bool> more = step();
        if (!more)
            return more.error();
        if (!*more)
            return {};
        if constexpr (std::is_same_v<std::invoke_result_t<Row &>, bool>) {
            if (!row())
                return {};
        } else {
            row();
        }
    }
}

/// RAII transaction: rolls back unless commit() succeeded, so an early return or an
/// exception leaves the project exactly as before.
class Transaction final {
public:
    explicit Transaction(Database &db)
        : m_db(db) {}
    ~Transaction();
    Expected<void> begin();
    Expected<void> commit();
    void rollback();

private:
    Database &m_db;
    bool m_active = false;
};

/// RAII read transaction: the statements run inside it read one snapshot, begun by the first
/// of them and released at the end of the scope. Besides consistency it saves work: in WAL mode
/// a connection empties its page cache whenever it starts reading after another connection
/// committed, so a reader that follows a busy writer statement by statement reads the same
/// pages from disk again for every statement. Failing to begin is harmless: each statement then
/// reads on its own.
class ReadSnapshot final {
public:
    explicit ReadSnapshot(Database &db);
    ~ReadSnapshot();
    ReadSnapshot(const ReadSnapshot &) = delete;
    ReadSnapshot &operator=(const ReadSnapshot &) = delete;

private:
    Database &m_db;
    bool m_active = false;
};

} // namespace rs::store

#include "database.h"

#include "common/logging.h"

#include <sqlite3.h>

#include <string>
#include <unordered_map>
#include <vector>

namespace rs::store {

namespace {

// SQLite's own text ("database or disk is full") is accurate but says nothing about what
// happened to the user's data; for the errors a user can act on, say that too.
QString describe(sqlite3 *db, const char *fallback = nullptr) {
    QString text = db ? QString::fromUtf8(sqlite3_errmsg(db)) : QString::fromUtf8(fallback);
    switch (db ? (sqlite3_errcode(db) & 0xff) : 0) {
    case SQLITE_FULL:
        return QStringLiteral("the disk is full (%1); the change was rolled back and the project "
                              "is as it was before it. Free some space and try again")
            .arg(text);
    case SQLITE_READONLY:
        return QStringLiteral("the project file is read-only (%1); make it writable to change it")
            .arg(text);
    case SQLITE_IOERR:
        return QStringLiteral("cannot write the project file (%1); the change was rolled back")
            .arg(text);
    default:
        return text;
    }
}

} // namespace

/// A connection's idle prepared statements by SQL text. Bounded: SQL built per call (lists
/// of ids spelled out) would otherwise pile up.
struct StatementPool {
    static constexpr std::size_t kMaxStatements = 256;
    static constexpr std::size_t kMaxIdlePerSql = 4;
    std::unordered_map<std::string, std::vector<sqlite3_stmt *>> idle;
    std::size_t count = 0;
    ~StatementPool() {
        for (auto &[sql, statements] : idle)
            for (sqlite3_stmt *st : statements)
                sqlite3_finalize(st);
    }
};

Database::~Database() {
    m_pool.reset(); // every idle statement finalized before the connection closes
    if (m_db)
        sqlite3_close_v2(m_db);
}

Database::Database(Database &&other) noexcept
    : m_db(other.m_db)
    , m_path(std::move(other.m_path))
    , m_pool(std::move(other.m_pool)) {
    other.m_db = nullptr;
}

Database &Database::operator=(Database &&other) noexcept {
    if (this != &other) {
        m_pool.reset();
        if (m_db)
            sqlite3_close_v2(m_db);
        m_db = other.m_db;
        m_path = std::move(other.m_path);
        m_pool = std::move(other.m_pool);
        other.m_db = nullptr;
    }
    return *this;
}

Expected<void> Database::run(std::string_view sql) {
    auto st = prepare(sql);
    if (!st)
        return st.error();
    return st->run();
}

Expected<Database> Database::open(const QString &path, Mode mode) {
    int flags = SQLITE_OPEN_NOMUTEX; // each connection is confined to one thread
    switch (mode) {
    case Mode::ReadWrite:
        flags |= SQLITE_OPEN_READWRITE;
        break;
    case Mode::ReadWriteCreate:
        flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
        break;
    case Mode::ReadOnly:
        flags |= SQLITE_OPEN_READONLY;
        break;
    }
    Database db;
    db.m_path = path;
    const QByteArray p = path.toUtf8();
    const int rc = sqlite3_open_v2(p.constData(), &db.m_db, flags, nullptr);
    if (rc != SQLITE_OK) {
        QString msg = db.m_db ? QString::fromUtf8(sqlite3_errmsg(db.m_db))
                              : QString::fromUtf8(sqlite3_errstr(rc));
        return makeError(QStringLiteral("cannot open project: %1").arg(msg), path);
    }
    sqlite3_extended_result_codes(db.m_db, 1);
    // Another process (a second studio, the CLI) may hold the write lock briefly.
    sqlite3_busy_timeout(db.m_db, 5000);
    return db;
}

Expected<void> Database::exec(std::string_view sql) {
    const std::string s(sql);
    char *err = nullptr;
    if (sqlite3_exec(m_db, s.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
        QString msg = err ? describe(m_db, err) : QStringLiteral("unknown error");
        sqlite3_free(err);
        return makeError(msg, m_path);
    }
    return {};
}

Expected<Statement> Database::prepare(std::string_view sql) {
    if (!m_pool)
        m_pool = std::make_shared<StatementPool>();
    if (auto it = m_pool->idle.find(std::string(sql));
        it != m_pool->idle.end() && !it->second.empty()) {
        sqlite3_stmt *pooled = it->second.back();
        it->second.pop_back();
        --m_pool->count;
        return Statement(pooled, m_db, m_pool);
    }
    sqlite3_stmt *stmt = nullptr;
    if (sqlite3_prepare_v3(m_db, sql.data(), int(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt,
                           nullptr) != SQLITE_OK)
        return lastError(QStringLiteral("prepare"));
    return Statement(stmt, m_db, m_pool);
}

Expected<qint64> Database::scalar(std::string_view sql) {
    auto st = prepare(sql);
    if (!st)
        return st.error();
    auto row = st->step();
    if (!row)
        return row.error();
    return row.value() ? qint64(st->columnInt(0)) : qint64(0);
}

qint64 Database::lastInsertId() const {
    return sqlite3_last_insert_rowid(m_db);
}
int Database::changes() const {
    return sqlite3_changes(m_db);
}

Error Database::lastError(const QString &context) const {
    return makeError(context + QStringLiteral(": ") + describe(m_db), m_path);
}

Statement::~Statement() {
    release();
}

void Statement::release() {
    if (!m_stmt)
        return;
    // Back to its connection's pool, reset and unbound (so it holds no read snapshot), when
    // the connection is still open and the pool has room; else finalized.
    const auto pool = m_pool.lock();
    const char *sql = sqlite3_sql(m_stmt);
    if (pool && sql && pool->count < StatementPool::kMaxStatements) {
        auto &idle = pool->idle[sql];
        if (idle.size() < StatementPool::kMaxIdlePerSql) {
            sqlite3_reset(m_stmt);
            sqlite3_clear_bindings(m_stmt);
            idle.push_back(m_stmt);
            ++pool->count;
            m_stmt = nullptr;
            return;
        }
    }
    sqlite3_finalize(m_stmt);
    m_stmt = nullptr;
}

Statement::Statement(Statement &&other) noexcept
    : m_stmt(other.m_stmt)
    , m_db(other.m_db)
    , m_pool(std::move(other.m_pool)) {
    other.m_stmt = nullptr;
}

Statement &Statement::operator=(Statement &&other) noexcept {
    if (this != &other) {
        release();
        m_stmt = other.m_stmt;
        m_db = other.m_db;
        m_pool = std::move(other.m_pool);
        other.m_stmt = nullptr;
    }
    return *this;
}

void Statement::reset() {
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

void Statement::bind(int index, std::int64_t value) {
    sqlite3_bind_int64(m_stmt, index, value);
}
void Statement::bind(int index, double value) {
    sqlite3_bind_double(m_stmt, index, value);
}
void Statement::bind(int index, std::string_view utf8) {
    sqlite3_bind_text64(m_stmt, index, utf8.data(), utf8.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
}
void Statement::bind(int index, const QString &text) {
    const QByteArray b = text.toUtf8();
    bind(index, std::string_view(b.constData(), size_t(b.size())));
}
void Statement::bindStatic(int index, std::string_view utf8) {
    sqlite3_bind_text64(m_stmt, index, utf8.data(), utf8.size(), SQLITE_STATIC, SQLITE_UTF8);
}
void Statement::bindNull(int index) {
    sqlite3_bind_null(m_stmt, index);
}

Expected<bool> Statement::step() {
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    return makeError(describe(m_db), QString::fromUtf8(sqlite3_db_filename(m_db, "main")));
}

Expected<void> Statement::run() {
    for (;;) {
        auto r = step();
        if (!r)
            return r.error();
        if (!r.value())
            return {};
    }
}

bool Statement::violatedUniqueness() const {
    const int rc = sqlite3_extended_errcode(m_db);
    return rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY;
}

std::int64_t Statement::columnInt(int col) const {
    return sqlite3_column_int64(m_stmt, col);
}
double Statement::columnDouble(int col) const {
    return sqlite3_column_double(m_stmt, col);
}
QString Statement::columnText(int col) const {
    const auto *t = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, col));
    return t ? QString::fromUtf8(t, sqlite3_column_bytes(m_stmt, col)) : QString();
}
std::string_view Statement::columnUtf8(int col) const {
    const auto *t = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, col));
    return t ? std::string_view(t, std::size_t(sqlite3_column_bytes(m_stmt, col)))
             : std::string_view();
}

bool Statement::columnIsNull(int col) const {
    return sqlite3_column_type(m_stmt, col) == SQLITE_NULL;
}

Transaction::~Transaction() {
    rollback();
}

Expected<void> Transaction::begin() {
    // IMMEDIATE takes the write lock up front, so a busy project fails here, before any work.
    auto r = m_db.run("BEGIN IMMEDIATE");
    m_active = r.ok();
    return r;
}

Expected<void> Transaction::commit() {
    auto r = m_db.run("COMMIT");
    if (r)
        m_active = false;
    return r;
}

ReadSnapshot::ReadSnapshot(Database &db)
    : m_db(db) {
    m_active = m_db.run("BEGIN").ok();
}

ReadSnapshot::~ReadSnapshot() {
    // A read transaction has nothing to keep: ending it only releases the snapshot.
    if (m_active && !m_db.run("COMMIT"))
        (void)m_db.run("ROLLBACK");
}

void Transaction::rollback() {
    if (m_active) {
        m_active = false;
        if (!m_db.run("ROLLBACK"))
            qCWarning(lcStore) << "rollback failed" << m_db.path();
    }
}

} // namespace rs::store

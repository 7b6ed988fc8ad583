#pragma once

// Helpers shared by the core tests: temporary projects, fingerprints to prove "unchanged".
#include "import/importer.h"
#include "store/database.h"
#include "store/projectreader.h"
#include "store/projectstore.h"

#include <QFile>
#include <QString>
#include <QTemporaryDir>
#include <QTest>

namespace rs::test {

inline QString sharedData(const QString &rel)
{
    return QStringLiteral(RS_SHARED_DATA) + QLatin1Char('/') + rel;
}

inline std::unique_ptr<store::ProjectStore> newProject(const QTemporaryDir &dir,
                                                       const QString &name = QStringLiteral("p.rubrics"))
{
    auto s = store::ProjectStore::create(dir.filePath(name));
    if (!s)
        qFatal("cannot create project: %s", qPrintable(s.error().toString()));
    return std::move(s.value());
}

inline ProjectStats stats(store::ProjectStore &store)
{
    auto r = store.reader();
    if (!r)
        qFatal("reader: %s", qPrintable(r.error().toString()));
    auto s = r->stats();
    if (!s)
        qFatal("stats: %s", qPrintable(s.error().toString()));
    return s.value();
}

/// Row counts and content checksums of every table: equal fingerprints mean nothing changed.
inline QString fingerprint(const QString &path)
{
    auto db = store::Database::open(path, store::Database::Mode::ReadOnly);
    if (!db)
        qFatal("open: %s", qPrintable(db.error().toString()));
    QString out;
    const char *queries[] = {
        "SELECT count(*) || ':' || total(length(text)) FROM prompts",
        "SELECT count(*) || ':' || total(length(text)) || ':' || total(text_hash) FROM responses",
        "SELECT count(*) FROM rubrics", "SELECT count(*) FROM rubric_versions",
        "SELECT count(*) || ':' || total(weight) FROM criteria", "SELECT count(*) FROM imports",
        "SELECT count(*) FROM verdicts"};
    for (const char *q : queries) {
        auto st = db->prepare(q);
        if (!st || !st->step())
            qFatal("fingerprint query failed");
        out += st->columnText(0) + QLatin1Char('|');
    }
    return out;
}

inline QString writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &bytes)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

} // namespace rs::test

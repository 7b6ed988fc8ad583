#include "fewshotexamples.h"

#include "store/database.h"

#include <QCryptographicHash>

namespace rs::judge {
namespace {

Expected<bool> hasTable(store::Database &db) {
    auto n = db.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'criterion_examples'");
    if (!n)
        return n.error();
    return n.value() > 0;
}

} // namespace

Expected<std::unordered_map<ExampleKey, QList<CriterionExample>, ExampleKeyHash>>
loadCriterionExamples(store::Database &db) {
    std::unordered_map<ExampleKey, QList<CriterionExample>, ExampleKeyHash> out;
    auto has = hasTable(db);
    if (!has)
        return has.error();
    if (!has.value())
        return out;
    auto st = db.prepare("SELECT r.prompt_id, e.stable_id, e.criterion, e.met, substr(r.text, 1, ?1)"
                         " FROM criterion_examples e JOIN responses r ON r.id = e.response_id"
                         " ORDER BY e.id");
    if (!st)
        return st.error();
    st->bind(1, std::int64_t(kExampleExcerpt));
    auto read = st->forEach([&] {
        QString excerpt = st->columnText(4);
        if (excerpt.size() >= kExampleExcerpt)
            excerpt += QStringLiteral(" […]");
        out[ExampleKey{st->columnInt(0), st->columnText(1), st->columnText(2)}].append(
            CriterionExample{excerpt, st->columnInt(3) != 0});
    });
    if (!read)
        return read.error();
    return out;
}

Expected<QString> fewShotVersion(store::Database &db) {
    auto has = hasTable(db);
    if (!has)
        return has.error();
    if (!has.value())
        return QString();
    auto st = db.prepare("SELECT response_id, stable_id, criterion, met FROM criterion_examples"
                         " ORDER BY response_id, stable_id, criterion");
    if (!st)
        return st.error();
    QCryptographicHash h(QCryptographicHash::Sha256);
    int rows = 0;
    auto read = st->forEach([&] {
        h.addData(QByteArray::number(qlonglong(st->columnInt(0))));
        for (int c = 1; c <= 2; ++c) {
            h.addData(QByteArrayView("\x1f", 1));
            h.addData(st->columnText(c).toUtf8());
        }
        h.addData(st->columnInt(3) ? QByteArrayView("\x1fy\n", 3) : QByteArrayView("\x1fn\n", 3));
        ++rows;
    });
    if (!read)
        return read.error();
    return rows ? QString::fromLatin1(h.result().toHex().left(12)) : QString();
}

Expected<void> applyFewShot(store::Database &db, JudgeConfig &config) {
    auto version = fewShotVersion(db);
    if (!version)
        return version.error();
    config.fewShot = version.value();
    return {};
}

} // namespace rs::judge

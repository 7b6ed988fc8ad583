#include "labelqueue.h"

#include "store/database.h"
#include "store/projectstore.h"
#include "store/projectwriter.h"

namespace rs::labels {

Expected<void> replaceQueue(store::ProjectStore &store, const std::vector<SampledCell> &cells) {
    return store.writer().write([&cells](store::Database &db) -> Expected<void> {
        if (auto r = db.exec("DELETE FROM label_queue"); !r)
            return r;
        auto st = db.prepare("INSERT OR IGNORE INTO label_queue(response_id, stable_id, criterion)"
                             " VALUES(?1, ?2, ?3)");
        if (!st)
            return st.error();
        for (const SampledCell &c : cells) {
            st->reset();
            st->bind(1, std::int64_t(c.responseId));
            st->bind(2, c.stableId);
            st->bind(3, c.criterion);
            if (auto r = st->run(); !r)
                return r;
        }
        return {};
    });
}

Expected<std::vector<QueueItem>> readQueue(store::Database &db, const QString &annotator) {
    // The criterion must still be in the response's current rubric with the same text.
    auto st = db.prepare(
        "SELECT q.position, q.response_id, r.prompt_id, q.stable_id, q.criterion, p.text, r.text,"
        " r.tier, l.label,"
        " (SELECT total(v.verdict = 'yes') FROM verdicts v WHERE v.run_id = (SELECT max(id) FROM"
        "  judge_runs) AND v.response_id = q.response_id AND v.stable_id = q.stable_id),"
        " (SELECT total(v.verdict = 'no') FROM verdicts v WHERE v.run_id = (SELECT max(id) FROM"
        "  judge_runs) AND v.response_id = q.response_id AND v.stable_id = q.stable_id)"
        " FROM label_queue q"
        " JOIN responses r ON r.id = q.response_id JOIN prompts p ON p.id = r.prompt_id"
        " LEFT JOIN labels l ON l.response_id = q.response_id AND l.stable_id = q.stable_id"
        "  AND l.criterion = q.criterion AND l.annotator = ?1"
        " WHERE EXISTS (SELECT 1 FROM rubrics b JOIN criteria c ON c.version_id = b.head_version_id"
        "  WHERE b.prompt_id = r.prompt_id AND c.stable_id = q.stable_id AND c.text = q.criterion)"
        " ORDER BY q.position");
    if (!st)
        return st.error();
    st->bind(1, annotator);
    std::vector<QueueItem> out;
    auto read = st->forEach([&] {
        QueueItem item;
        item.position = int(st->columnInt(0));
        item.cell = SampledCell{st->columnInt(1), st->columnInt(2), st->columnText(3),
                                st->columnText(4), st->columnText(5), st->columnText(6),
                                st->columnText(7)};
        if (!st->columnIsNull(8))
            item.label = labelValueFromName(st->columnText(8));
        const double yes = st->columnDouble(9), no = st->columnDouble(10);
        if (yes != no)
            item.judge = yes > no;
        out.push_back(std::move(item));
    });
    if (!read)
        return read.error();
    return out;
}

} // namespace rs::labels

#include "batchstatus.h"

#include "store/database.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace rs::batch {

Expected<QList<BatchJobStatus>> listBatchJobs(store::Database &db)
{
    auto st = db.prepare(
        "SELECT j.id, j.job_kind, j.format, coalesce(j.run_id, 0), j.files, j.requests, "
        "j.created_at,"
        " (SELECT count(*) FROM batch_requests r WHERE r.batch_id = j.id AND r.status = "
        "'answered'),"
        " (SELECT count(*) FROM batch_requests r WHERE r.batch_id = j.id AND r.status = 'failed')"
        " FROM batch_jobs j ORDER BY j.id");
    if (!st)
        return st.error();
    QList<BatchJobStatus> out;
    auto read = st->forEach([&] {
        BatchJobStatus b;
        b.batchId = st->columnInt(0);
        b.jobKind = st->columnText(1);
        b.format = st->columnText(2);
        b.runId = st->columnInt(3);
        for (const auto &f : QJsonDocument::fromJson(st->columnText(4).toUtf8()).array())
            b.files << f.toString();
        b.requests = st->columnInt(5);
        b.createdAt = st->columnText(6);
        b.answered = st->columnInt(7);
        b.failed = st->columnInt(8);
        out.push_back(std::move(b));
    });
    if (!read)
        return read.error();
    return out;
}

} // namespace rs::batch

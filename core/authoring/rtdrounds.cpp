#include "rtdrounds.h"

#include "store/database.h"
#include "store/projectstore.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace rs::authoring {

QJsonObject RtdRound::toDetail() const
{
    return QJsonObject{{QStringLiteral("series"), series},
                       {QStringLiteral("round"), round},
                       {QStringLiteral("selection"), selection},
                       {QStringLiteral("pair"), QJsonArray{responseA, responseB}},
                       {QStringLiteral("scores"), QJsonArray{scoreA, scoreB}},
                       {QStringLiteral("top_score"), topScore},
                       {QStringLiteral("ties_at_top"), tiesAtTop},
                       {QStringLiteral("pool_size"), poolSize},
                       {QStringLiteral("judge_run"), judgeRunId},
                       {QStringLiteral("previous_version"), previousVersionId}};
}

RtdRound RtdRound::fromDetail(qint64 promptId, qint64 versionId, const QJsonObject &d)
{
    RtdRound r;
    r.promptId = promptId;
    r.versionId = versionId;
    r.series = d.value(QStringLiteral("series")).toInt(1);
    r.round = d.value(QStringLiteral("round")).toInt();
    r.selection = d.value(QStringLiteral("selection")).toString();
    const QJsonArray pair = d.value(QStringLiteral("pair")).toArray();
    const QJsonArray scores = d.value(QStringLiteral("scores")).toArray();
    r.responseA = pair.at(0).toInteger();
    r.responseB = pair.at(1).toInteger();
    r.scoreA = scores.at(0).toDouble();
    r.scoreB = scores.at(1).toDouble();
    r.topScore = d.value(QStringLiteral("top_score")).toDouble();
    r.tiesAtTop = d.value(QStringLiteral("ties_at_top")).toInt();
    r.poolSize = d.value(QStringLiteral("pool_size")).toInt();
    r.judgeRunId = d.value(QStringLiteral("judge_run")).toInteger();
    r.previousVersionId = d.value(QStringLiteral("previous_version")).toInteger();
    return r;
}

Expected<void> insertRound(store::Database &db, const RtdRound &r)
{
    auto st = db.prepare("INSERT OR IGNORE INTO rtd_rounds(prompt_id, series, round, selection,"
                         " response_a, response_b, score_a, score_b, top_score, ties_at_top,"
                         " pool_size, judge_run_id, previous_version_id, version_id)"
                         " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)");
    if (!st)
        return st.error();
    st->bind(1, std::int64_t(r.promptId));
    st->bind(2, std::int64_t(r.series));
    st->bind(3, std::int64_t(r.round));
    st->bind(4, r.selection);
    st->bind(5, std::int64_t(r.responseA));
    st->bind(6, std::int64_t(r.responseB));
    st->bind(7, r.scoreA);
    st->bind(8, r.scoreB);
    st->bind(9, r.topScore);
    st->bind(10, std::int64_t(r.tiesAtTop));
    st->bind(11, std::int64_t(r.poolSize));
    auto optId = [&](int i, qint64 v) {
        if (v)
            st->bind(i, std::int64_t(v));
        else
            st->bindNull(i);
    };
    optId(12, r.judgeRunId);
    optId(13, r.previousVersionId);
    optId(14, r.versionId);
    return st->run();
}

Expected<QList<RtdRound>> listRounds(store::Database &db, qint64 promptId, int series)
{
    auto st = db.prepare("SELECT id, prompt_id, series, round, selection, coalesce(response_a, 0),"
                         " coalesce(response_b, 0), coalesce(score_a, 0), coalesce(score_b, 0),"
                         " coalesce(top_score, 0), ties_at_top, pool_size, coalesce(judge_run_id, 0),"
                         " coalesce(previous_version_id, 0), coalesce(version_id, 0), created_at"
                         " FROM rtd_rounds WHERE prompt_id = ?1 AND (?2 = 0 OR series = ?2)"
                         " ORDER BY series, round");
    if (!st)
        return st.error();
    st->bind(1, std::int64_t(promptId));
    st->bind(2, std::int64_t(series));
    QList<RtdRound> out;
    auto walked = st->forEach([&] {
        RtdRound r;
        r.id = st->columnInt(0);
        r.promptId = st->columnInt(1);
        r.series = int(st->columnInt(2));
        r.round = int(st->columnInt(3));
        r.selection = st->columnText(4);
        r.responseA = st->columnInt(5);
        r.responseB = st->columnInt(6);
        r.scoreA = st->columnDouble(7);
        r.scoreB = st->columnDouble(8);
        r.topScore = st->columnDouble(9);
        r.tiesAtTop = int(st->columnInt(10));
        r.poolSize = int(st->columnInt(11));
        r.judgeRunId = st->columnInt(12);
        r.previousVersionId = st->columnInt(13);
        r.versionId = st->columnInt(14);
        r.createdAt = st->columnText(15);
        out.push_back(r);
    });
    if (!walked)
        return walked.error();
    return out;
}

Expected<int> recoverRounds(store::ProjectStore &store)
{
    int rebuilt = 0;
    auto r = store.writer().write([&](store::Database &db) -> Expected<void> {
        auto st = db.prepare("SELECT v.id, b.prompt_id, v.origin_detail FROM rubric_versions v"
                             " JOIN rubrics b ON b.id = v.rubric_id"
                             " WHERE v.origin = 'rtd' AND NOT EXISTS"
                             " (SELECT 1 FROM rtd_rounds r WHERE r.version_id = v.id)");
        if (!st)
            return st.error();
        QList<RtdRound> missing;
        auto walked = st->forEach([&] {
            const QJsonObject d = QJsonDocument::fromJson(st->columnText(2).toUtf8()).object();
            if (d.value(QStringLiteral("round")).toInt() > 0)
                missing.push_back(RtdRound::fromDetail(st->columnInt(1), st->columnInt(0), d));
        });
        if (!walked)
            return walked.error();
        for (const auto &m : missing) {
            if (auto res = insertRound(db, m); !res)
                return res;
            ++rebuilt;
        }
        return {};
    });
    if (!r)
        return r.error();
    return rebuilt;
}

} // namespace rs::authoring

#include "prunecriteria.h"

#include "rubricversions.h"
#include "store/database.h"
#include "store/projectstore.h"

#include <QJsonArray>
#include <QSet>

namespace rs::rubric {

QMap<qint64, QList<DeadCriterion>> groupByPrompt(const QList<DeadCriterion> &selection) {
    QMap<qint64, QList<DeadCriterion>> out;
    for (const DeadCriterion &d : selection)
        out[d.promptId].push_back(d);
    return out;
}

QList<DeadCriterion> stillInHead(const QList<DeadCriterion> &picked,
                                 const QList<CriterionRecord> &head) {
    QList<DeadCriterion> out;
    for (const DeadCriterion &d : picked) {
        for (const CriterionRecord &c : head) {
            if (c.stableId == d.stableId && c.text == d.text) {
                out.push_back(d);
                break;
            }
        }
    }
    return out;
}

QJsonObject deadDetail(const QString &key, const QList<DeadCriterion> &criteria, qint64 runId,
                       const TopSelection &top) {
    QJsonArray list;
    for (const DeadCriterion &d : criteria) {
        QJsonObject o{{QStringLiteral("id"), d.stableId},
                      {QStringLiteral("text"), d.text},
                      {QStringLiteral("dead"), deadWayKey(d.way)},
                      {QStringLiteral("judged"), d.judged},
                      {QStringLiteral("top"), d.top}};
        if (d.check)
            o.insert(QStringLiteral("check"), true);
        list.push_back(o);
    }
    QJsonObject out = top.toJson();
    out.insert(QStringLiteral("reason"), QStringLiteral("dead among the top responses"));
    out.insert(QStringLiteral("run_id"), runId);
    out.insert(key, list);
    return out;
}

Expected<PruneSummary> pruneCriteria(store::ProjectStore &store,
                                     const QList<DeadCriterion> &selection, qint64 runId,
                                     const TopSelection &top) {
    auto db = store::Database::open(store.path(), store::Database::Mode::ReadOnly);
    if (!db)
        return db.error();
    PruneSummary summary;
    const auto byPrompt = groupByPrompt(selection);
    for (auto it = byPrompt.cbegin(); it != byPrompt.cend(); ++it) {
        ++summary.prompts;
        PruneOutcome outcome;
        outcome.promptId = it.key();
        auto head = loadHead(db.value(), it.key());
        if (!head)
            return head.error();
        const QList<DeadCriterion> found = stillInHead(it.value(), head->criteria);
        QSet<QString> drop;
        for (const DeadCriterion &d : found)
            drop.insert(d.stableId);
        QList<CriterionDraft> kept;
        for (const CriterionDraft &c : toDrafts(head->criteria))
            if (!drop.contains(c.stableId))
                kept.push_back(c);
        if (found.isEmpty()) {
            ++summary.skipped;
            outcome.note = QStringLiteral("the picked criteria are no longer in the current "
                                          "rubric (pruned already, or edited since)");
        } else if (kept.isEmpty()) {
            // A rubric without criteria scores every response alike: worse than dead ones.
            ++summary.refused;
            outcome.note = QStringLiteral("refused: pruning would leave the rubric empty "
                                          "(every criterion is picked); rewrite them instead");
        } else {
            const QJsonObject detail = deadDetail(QStringLiteral("removed"), found, runId, top);
            auto v = saveVersion(store, it.key(), VersionOrigin{QStringLiteral("prune"), detail},
                                 kept, head->versionId);
            if (!v)
                return v.error();
            outcome.versionId = v.value();
            ++summary.pruned;
            for (const DeadCriterion &d : found)
                outcome.removed << d.stableId;
            summary.removed += int(found.size());
        }
        summary.outcomes.push_back(std::move(outcome));
    }
    return summary;
}

} // namespace rs::rubric

#include "packsource.h"

#include "store/database.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

namespace rs::pack {

Expected<QList<PackRubric>> readPackRubrics(store::Database &db, const PackSelection &selection,
                                            QStringList *skipped, int limit)
{
    // The version: the rubric's head, or its newest version carrying the tag.
    auto rubrics = db.prepare(
        "SELECT p.id, p.text, coalesce(p.dataset, ''), coalesce(p.external_id, ''),"
        " coalesce(p.conversation, ''), coalesce(p.tags, ''), b.scoring,"
        " CASE WHEN ?1 IS NULL THEN b.head_version_id"
        "  ELSE (SELECT max(v.id) FROM rubric_versions v WHERE v.rubric_id = b.id AND v.tag = ?1) END"
        " FROM prompts p JOIN rubrics b ON b.prompt_id = p.id"
        " WHERE b.id = (SELECT min(x.id) FROM rubrics x WHERE x.prompt_id = p.id)"
        " ORDER BY p.id");
    auto version = db.prepare("SELECT origin, coalesce(tag, ''), created_at,"
                              " coalesce(aggregation, '') FROM rubric_versions WHERE id = ?1");
    auto criteria = db.prepare("SELECT stable_id, text, weight, coalesce(category, ''),"
                               " coalesce(tags, ''), coalesce(check_json, ''), veto"
                               " FROM criteria WHERE version_id = ?1 ORDER BY position");
    for (auto *st : {&rubrics, &version, &criteria})
        if (!*st)
            return st->error();
    if (selection.tag.isEmpty())
        rubrics->bindNull(1);
    else
        rubrics->bind(1, selection.tag);
    const QSet<qint64> wanted(selection.promptIds.begin(), selection.promptIds.end());

    QList<PackRubric> out;
    Expected<void> inner; // a failed read of a version or its criteria stops the walk
    auto walked = rubrics->forEach([&] {
        if (limit > 0 && out.size() >= limit)
            return false;
        const qint64 promptId = rubrics->columnInt(0);
        if (!wanted.isEmpty() && !wanted.contains(promptId))
            return true;
        if (rubrics->columnIsNull(7)) {
            if (skipped)
                *skipped << QStringLiteral("prompt %1: no version tagged \"%2\"").arg(promptId).arg(selection.tag);
            return true;
        }
        PackRubric r;
        r.promptId = promptId;
        r.prompt = rubrics->columnText(1);
        r.dataset = rubrics->columnText(2);
        r.externalId = rubrics->columnText(3);
        r.conversationJson = rubrics->columnText(4);
        r.promptTagsJson = rubrics->columnText(5);
        r.scoring = rubrics->columnText(6);
        r.versionId = rubrics->columnInt(7);
        version->reset();
        version->bind(1, std::int64_t(r.versionId));
        auto v = version->step();
        if (!v) {
            inner = v.error();
            return false;
        }
        if (*v) {
            r.origin = version->columnText(0);
            r.tag = version->columnText(1);
            r.createdAt = version->columnText(2);
            r.aggregation = version->columnText(3);
        }
        criteria->reset();
        criteria->bind(1, std::int64_t(r.versionId));
        inner = criteria->forEach([&] {
            PackCriterion pc;
            pc.id = criteria->columnText(0);
            pc.text = criteria->columnText(1);
            pc.weight = criteria->columnDouble(2);
            pc.category = criteria->columnText(3);
            pc.checkJson = criteria->columnText(5);
            pc.veto = criteria->columnInt(6) != 0;
            const QString tags = criteria->columnText(4);
            if (!tags.isEmpty())
                for (const auto &t : QJsonDocument::fromJson(tags.toUtf8()).array())
                    pc.tags << t.toString();
            r.criteria << pc;
        });
        if (!inner)
            return false;
        if (r.criteria.isEmpty()) {
            if (skipped)
                *skipped << QStringLiteral("prompt %1: the rubric version has no criteria").arg(promptId);
            return true;
        }
        out << r;
        return true;
    });
    if (!walked)
        return walked.error();
    if (!inner)
        return inner.error();
    return out;
}

} // namespace rs::pack

#include "rubric/aggregationuse.h"

#include "judge/aggregationjson.h"
#include "project/projectedits.h"
#include "rubric/rubricversions.h"

namespace rs::ui {

QString AggregationUse::blocker(const RubricRecord &head,
                                const analytics::AggregationCandidate *candidate, bool canWrite,
                                bool draftDirty, bool saving) {
    if (!canWrite)
        return tr("No project is open for writing.");
    if (head.versionId == 0)
        return tr("This prompt has no rubric yet.");
    if (!candidate || !candidate->spec)
        return tr("Select an aggregation other than the current one.");
    if (draftDirty)
        return tr("Accept or discard the draft's edits first.");
    if (saving)
        return tr("Saving…");
    if (candidate->spec->type != judge::aggregationFor(head.scoring))
        return tr("This rubric is scored by %1; the %2 formula needs a rubric scored that way.")
            .arg(head.scoring, judge::aggregationTypeName(candidate->spec->type));
    if (*candidate->spec == judge::aggregationFromText(head.aggregation, head.scoring))
        return tr("This is already the rubric's aggregation.");
    return {};
}

void AggregationUse::submit(ProjectEdits &edits, qint64 promptId, const RubricRecord &head,
                            const analytics::AggregationCandidate &candidate) {
    const QString text = judge::aggregationToText(*candidate.spec);
    const QString name = candidate.name;
    const qint64 parent = head.versionId;
    const QList<rubric::CriterionDraft> criteria = rubric::toDrafts(head.criteria);
    edits.submit(
        tr("Use aggregation %1").arg(name), promptId,
        [promptId, parent, criteria, text, name](store::ProjectStore &store) -> Expected<void> {
            const rubric::VersionOrigin origin{QStringLiteral("manual"),
                                               QJsonObject{{QStringLiteral("aggregation"), name}}};
            auto v = rubric::saveVersion(store, promptId, origin, criteria, parent, text);
            return v ? Expected<void>() : Expected<void>(v.error());
        });
}

} // namespace rs::ui

#pragma once

#include "domain/records.h"
#include "judge/verdictgrid.h"

#include <QList>
#include <QMetaType>
#include <QString>

namespace rs::ui {

/// What the user is looking at in the verdict grid: a response (row) or one of its verdicts
/// (cell), with everything the inspector and an override need, copied out of the model so
/// it stays valid while the grid reloads underneath.
struct VerdictFocus final {
    QString projectPath;
    qint64 promptId = 0;
    qint64 runId = 0;    ///< 0: no judge run yet
    qint64 rubricId = 0; ///< 0: the prompt has no rubric
    QString scoring;     ///< the rubric's aggregation ("weights", "points")
    bool implicit = false; ///< the reward is the judge's holistic score (row.holisticScore)
    ResponseRecord response;
    judge::GridRow row;
    QList<judge::GridCriterion> criteria;
    int criterion = -1;  ///< index into criteria; -1 when the row itself is selected
    bool judged = false; ///< the row has at least one verdict
    /// How the row's reward counted criteria without a usable verdict.
    judge::MissingPolicy missing = judge::MissingPolicy::CountAsNo;

    bool hasResponse() const { return response.id != 0; }
    bool isCell() const { return hasResponse() && criterion >= 0 && criterion < criteria.size(); }
    const judge::GridCell &cell() const { return row.cells.at(criterion); }
    const judge::GridCriterion &criterionInfo() const { return criteria.at(criterion); }
};

} // namespace rs::ui

Q_DECLARE_METATYPE(rs::ui::VerdictFocus)

#pragma once

#include "rubric/rubricversions.h"

#include <QPointer>
#include <QUndoCommand>

namespace rs::ui {

class RubricDraft;

/// One edit of a rubric draft, as the whole criteria list before and after it.
class DraftEditCommand final : public QUndoCommand {
public:
    DraftEditCommand(RubricDraft *draft, const QString &text, QList<rubric::CriterionDraft> before,
                     QList<rubric::CriterionDraft> after);

    void redo() override;
    void undo() override;

private:
    QPointer<RubricDraft> m_draft;
    QList<rubric::CriterionDraft> m_before;
    QList<rubric::CriterionDraft> m_after;
};

} // namespace rs::ui

#include "rubric/drafteditcommand.h"

#include "rubric/rubricdraft.h"

namespace rs::ui {

DraftEditCommand::DraftEditCommand(RubricDraft *draft, const QString &text,
                                   QList<rubric::CriterionDraft> before,
                                   QList<rubric::CriterionDraft> after)
    : QUndoCommand(text)
    , m_draft(draft)
    , m_before(std::move(before))
    , m_after(std::move(after)) {}

void DraftEditCommand::redo() {
    if (m_draft)
        m_draft->apply(m_after);
}

void DraftEditCommand::undo() {
    if (m_draft)
        m_draft->apply(m_before);
}

} // namespace rs::ui

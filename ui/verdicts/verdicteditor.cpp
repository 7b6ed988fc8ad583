#include "verdicts/verdicteditor.h"

#include "project/projectedits.h"

#include <QUndoStack>

namespace rs::ui {

VerdictEditor::VerdictEditor(QObject *parent)
    : QObject(parent)
{
}

void VerdictEditor::setFocus(const VerdictFocus &focus)
{
    // A note typed for one cell must not land on another one.
    const bool sameCell = focus.isCell() && m_focus.isCell() &&
                          focus.response.id == m_focus.response.id &&
                          focus.criterion == m_focus.criterion;
    m_focus = focus;
    if (!sameCell)
        setDraftNote({});
    Q_EMIT focusChanged(m_focus);
}

void VerdictEditor::setDraftNote(const QString &note)
{
    if (note == m_draftNote)
        return;
    m_draftNote = note;
    Q_EMIT draftNoteChanged(m_draftNote);
}

bool VerdictEditor::canApply(OverrideChoice choice) const
{
    return m_edits && OverrideCommand::create(*m_edits, m_focus, choice, m_draftNote) != nullptr;
}

bool VerdictEditor::apply(OverrideChoice choice)
{
    if (!m_edits)
        return false;
    if (!m_focus.isCell()) {
        Q_EMIT message(tr("Select a verdict cell to override it."));
        return false;
    }
    if (m_focus.rubricId == 0)
        return false;
    auto command = OverrideCommand::create(*m_edits, m_focus, choice, m_draftNote);
    if (!command) {
        Q_EMIT message(
            choice == OverrideChoice::Clear
                ? tr("%1 has no override to clear.").arg(m_focus.criterionInfo().stableId)
                : tr("%1 is already set to that by hand.").arg(m_focus.criterionInfo().stableId));
        return false;
    }
    Q_EMIT message(command->text());
    m_edits->undoStack()->push(command.release());
    setDraftNote({});
    return true;
}

} // namespace rs::ui

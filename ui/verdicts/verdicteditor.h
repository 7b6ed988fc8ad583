#pragma once

#include "verdicts/overridecommand.h"
#include "verdicts/verdictfocus.h"

#include <QObject>

namespace rs::ui {

class ProjectEdits;

/// The verdict the user is on and what they can do to it: the Responses table tells it where
/// the focus is, the inspector shows that and holds the note being typed, and both the
/// table's keys (Y, N, Delete) and the inspector's buttons apply an override through it, so
/// the note typed in one place goes with the key pressed in the other.
class VerdictEditor final : public QObject {
    Q_OBJECT

public:
    explicit VerdictEditor(QObject *parent = nullptr);

    /// Where overrides go; nullptr disables them.
    void setEdits(ProjectEdits *edits) { m_edits = edits; }
    ProjectEdits *edits() const { return m_edits; }

    void setFocus(const VerdictFocus &focus);
    const VerdictFocus &focus() const { return m_focus; }

    QString draftNote() const { return m_draftNote; }
    void setDraftNote(const QString &note);

    /// Whether `choice` would change the focused cell (and can be written).
    bool canApply(OverrideChoice choice) const;
    /// Pushes an undoable override of the focused cell with the draft note, which is then
    /// cleared. False (with a message) when there is nothing to change.
    bool apply(OverrideChoice choice);

Q_SIGNALS:
    void focusChanged(const rs::ui::VerdictFocus &focus);
    void draftNoteChanged(const QString &note);
    /// Something worth a status-bar line ("c3 is already yes").
    void message(const QString &text);

private:
    ProjectEdits *m_edits = nullptr;
    VerdictFocus m_focus;
    QString m_draftNote;
};

} // namespace rs::ui

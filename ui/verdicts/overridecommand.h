#pragma once

#include <QString>
#include <QUndoCommand>

#include <memory>
#include <optional>

namespace rs::ui {

class ProjectEdits;
struct VerdictFocus;

/// What a user can do to a verdict by hand.
enum class OverrideChoice { Yes, No, Clear };

/// One human override of a response × criterion verdict, undoable.
///
/// The first redo stores a new override (judge::setOverride, which retires the cell's live
/// one); undo reverts it and brings the retired one back; a later redo restores it again
/// rather than adding another row, so the record of who decided what stays short and true.
/// Clearing reverts the live override and undo restores it. The writes go through
/// ProjectEdits, off the GUI thread and in order.
class OverrideCommand final : public QUndoCommand {
public:
    struct Target final {
        qint64 promptId = 0;
        qint64 runId = 0; ///< the run the criterion hash was computed for
        qint64 responseId = 0;
        qint64 rubricId = 0;
        QString stableId;
        qint64 criterionHash = 0;
    };

    /// The command for `choice` on the focused cell, or nullptr when it would change nothing
    /// (clearing a cell without an override, or setting the verdict and note it already has).
    static std::unique_ptr<OverrideCommand> create(ProjectEdits &edits, const VerdictFocus &focus,
                                                   OverrideChoice choice, const QString &note);

    OverrideCommand(ProjectEdits &edits, Target target, std::optional<bool> verdict, QString note);

    void redo() override;
    void undo() override;

    const Target &target() const { return m_target; }

private:
    /// Ids written on the worker and read by the next write, which the queue runs after it.
    /// The override being replaced is looked up when the command first runs, not when it was
    /// made: a second key press can come before the grid shows the first one's result.
    struct State final {
        bool ran = false;
        qint64 replacedId = 0; ///< the cell's live override before the first redo
        qint64 createdId = 0;
    };

    ProjectEdits &m_edits;
    Target m_target;
    std::optional<bool> m_verdict; ///< nullopt: clear the override
    QString m_note;
    std::shared_ptr<State> m_state = std::make_shared<State>();
};

} // namespace rs::ui

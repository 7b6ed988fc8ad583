#pragma once

#include <QString>
#include <QUndoCommand>

#include <memory>

namespace rs::ui {

class ProjectEdits;

/// A gold preference between two responses of a prompt, recorded by hand from the Compare
/// view into the project's `preferences` table (source 'human'), undoable.
///
/// `preference` is the probability that B is the better response: 0 when A wins, 1 when B
/// wins, 0.5 for a tie. Undo deletes the row this command added; redo adds it again.
class PreferenceCommand final : public QUndoCommand {
public:
    PreferenceCommand(ProjectEdits &edits, qint64 promptId, qint64 responseA, qint64 responseB,
                      double preference);

    void redo() override;
    void undo() override;

    /// "Prefer response 12 over 15", "Tie between responses 12 and 15".
    static QString describe(qint64 responseA, qint64 responseB, double preference);

private:
    struct State final {
        qint64 rowId = 0;
    };

    ProjectEdits &m_edits;
    qint64 m_promptId = 0;
    qint64 m_responseA = 0;
    qint64 m_responseB = 0;
    double m_preference = 0.5;
    std::shared_ptr<State> m_state = std::make_shared<State>();
};

} // namespace rs::ui

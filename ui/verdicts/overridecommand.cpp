#include "verdicts/overridecommand.h"

#include "judge/overrides.h"
#include "judge/verdictgrid.h"
#include "project/projectedits.h"
#include "store/database.h"
#include "store/projectstore.h"
#include "verdicts/verdictfocus.h"
#include "verdicts/verdicttext.h"

#include <QCoreApplication>

namespace rs::ui {
namespace {

QString trOverride(const char *text) {
    return QCoreApplication::translate("OverrideCommand", text);
}

/// The live override of the target cell now, as the grid would show it; 0 when none.
Expected<qint64> liveOverride(store::ProjectStore &store, const OverrideCommand::Target &t)
{
    auto db = store::Database::open(store.path(), store::Database::Mode::ReadOnly);
    if (!db)
        return db.error();
    auto grid = judge::loadVerdictGrid(db.value(), t.promptId, t.runId);
    if (!grid)
        return grid.error();
    qsizetype column = -1;
    for (qsizetype c = 0; c < grid->criteria.size(); ++c)
        if (grid->criteria[c].hash == t.criterionHash && grid->criteria[c].stableId == t.stableId)
            column = c;
    for (const judge::GridRow &row : grid->rows)
        if (row.responseId == t.responseId && column >= 0)
            return row.cells[column].overrideId;
    return qint64(0);
}

} // namespace

std::unique_ptr<OverrideCommand> OverrideCommand::create(ProjectEdits &edits,
                                                         const VerdictFocus &focus,
                                                         OverrideChoice choice, const QString &note)
{
    if (!focus.isCell() || focus.rubricId == 0)
        return nullptr;
    const judge::GridCell &cell = focus.cell();
    const judge::GridCriterion &criterion = focus.criterionInfo();
    const bool overridden = isOverridden(cell.state);
    std::optional<bool> verdict;
    if (choice == OverrideChoice::Clear) {
        if (!overridden)
            return nullptr;
    } else {
        verdict = choice == OverrideChoice::Yes;
        // Setting the verdict a human already set only counts when it brings a new note.
        const bool same = overridden && isMet(cell.state) == *verdict;
        if (same && (note.trimmed().isEmpty() || note.trimmed() == cell.overrideNote))
            return nullptr;
    }
    Target target{focus.promptId, focus.runId,        focus.response.id,
                  focus.rubricId, criterion.stableId, criterion.hash};
    return std::make_unique<OverrideCommand>(edits, std::move(target), verdict, note.trimmed());
}

OverrideCommand::OverrideCommand(ProjectEdits &edits, Target target, std::optional<bool> verdict,
                                 QString note)
    : m_edits(edits)
    , m_target(std::move(target))
    , m_verdict(verdict)
    , m_note(std::move(note))
{
    if (!m_verdict) {
        setText(trOverride("Clear override of %1 on response %2")
                    .arg(m_target.stableId)
                    .arg(m_target.responseId));
    } else {
        setText(trOverride("Override %1 on response %2 to %3")
                    .arg(m_target.stableId)
                    .arg(m_target.responseId)
                    .arg(*m_verdict ? trOverride("yes") : trOverride("no")));
    }
}

void OverrideCommand::redo()
{
    const Target t = m_target;
    const std::optional<bool> verdict = m_verdict;
    const QString note = m_note;
    const std::shared_ptr<State> state = m_state;
    m_edits.submit(
        text(), t.promptId,
        [t, verdict, note, state](store::ProjectStore &store) -> Expected<void> {
            if (!state->ran) {
                auto live = liveOverride(store, t);
                if (!live)
                    return live.error();
                state->replacedId = live.value();
            }
            if (!verdict) {
                state->ran = true;
                return state->replacedId ? judge::revertOverride(store, state->replacedId)
                                         : Expected<void>();
            }
            if (!state->ran) {
                judge::OverrideRequest request{
                    t.responseId, t.rubricId, t.stableId, t.criterionHash, *verdict, note, {}};
                auto id = judge::setOverride(store, request); // retires the live one
                if (!id)
                    return id.error();
                state->createdId = id.value();
                state->ran = true;
                return {};
            }
            // Redo after undo: the same override comes back, the one it replaced
            // goes again.
            if (state->replacedId) {
                if (auto r = judge::revertOverride(store, state->replacedId); !r)
                    return r;
            }
            return judge::restoreOverride(store, state->createdId);
        });
}

void OverrideCommand::undo()
{
    const Target t = m_target;
    const std::shared_ptr<State> state = m_state;
    m_edits.submit(trOverride("Undo %1").arg(text()), t.promptId,
                   [state](store::ProjectStore &store) -> Expected<void> {
                       if (state->createdId) {
                           if (auto r = judge::revertOverride(store, state->createdId); !r)
                               return r;
                       }
                       if (state->replacedId == 0)
                           return {};
                       return judge::restoreOverride(store, state->replacedId);
                   });
}

} // namespace rs::ui

#include "verdicts/preferencecommand.h"

#include "project/projectedits.h"
#include "store/database.h"
#include "store/projectstore.h"

#include <QCoreApplication>

namespace rs::ui {
namespace {

QString trPreference(const char *text) {
    return QCoreApplication::translate("PreferenceCommand", text);
}

} // namespace

PreferenceCommand::PreferenceCommand(ProjectEdits &edits, qint64 promptId, qint64 responseA,
                                     qint64 responseB, double preference)
    : m_edits(edits)
    , m_promptId(promptId)
    , m_responseA(responseA)
    , m_responseB(responseB)
    , m_preference(preference)
{
    setText(describe(responseA, responseB, preference));
}

QString PreferenceCommand::describe(qint64 responseA, qint64 responseB, double preference)
{
    if (preference == 0.5)
        return trPreference("Tie between responses %1 and %2").arg(responseA).arg(responseB);
    const bool bWins = preference > 0.5;
    return trPreference("Prefer response %1 over %2")
        .arg(bWins ? responseB : responseA)
        .arg(bWins ? responseA : responseB);
}

void PreferenceCommand::redo()
{
    const qint64 promptId = m_promptId;
    const qint64 a = m_responseA;
    const qint64 b = m_responseB;
    const double preference = m_preference;
    const std::shared_ptr<State> state = m_state;
    m_edits.submit(
        text(), promptId, [promptId, a, b, preference, state](store::ProjectStore &store) {
            return store.writer().write([&](store::Database &db) -> Expected<void> {
                auto st = db.prepare("INSERT INTO preferences(prompt_id, response_a, response_b,"
                                     " preference, source, detail) VALUES(?1, ?2, ?3, ?4, 'human',"
                                     " 'compare view')");
                if (!st)
                    return st.error();
                st->bind(1, std::int64_t(promptId));
                st->bind(2, std::int64_t(a));
                st->bind(3, std::int64_t(b));
                st->bind(4, preference);
                if (auto r = st->run(); !r)
                    return r;
                state->rowId = db.lastInsertId();
                return {};
            });
        });
}

void PreferenceCommand::undo()
{
    const std::shared_ptr<State> state = m_state;
    m_edits.submit(
        trPreference("Undo %1").arg(text()), m_promptId, [state](store::ProjectStore &store) {
            return store.writer().write([&](store::Database &db) -> Expected<void> {
                auto st = db.prepare("DELETE FROM preferences WHERE id = ?1 AND source = 'human'");
                if (!st)
                    return st.error();
                st->bind(1, std::int64_t(state->rowId));
                return st->run();
            });
        });
}

} // namespace rs::ui

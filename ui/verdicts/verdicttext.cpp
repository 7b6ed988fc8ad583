#include "verdicts/verdicttext.h"

#include "common/uitext.h"

#include <QCoreApplication>
#include <QStringList>

namespace rs::ui {
namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("VerdictText", text);
}

constexpr int kToolTipRationaleChars = 400;

} // namespace

bool isOverridden(judge::CellState state)
{
    return state == judge::CellState::OverriddenYes || state == judge::CellState::OverriddenNo;
}

bool isMet(judge::CellState state)
{
    return state == judge::CellState::Yes || state == judge::CellState::OverriddenYes;
}

bool isDecided(judge::CellState state)
{
    return state != judge::CellState::Pending;
}

QString stateText(judge::CellState state)
{
    switch (state) {
    case judge::CellState::Pending:
        return tr("pending");
    case judge::CellState::Yes:
        return tr("yes");
    case judge::CellState::No:
        return tr("no");
    case judge::CellState::Failed:
        return tr("failed");
    case judge::CellState::OverriddenYes:
        return tr("yes (override)");
    case judge::CellState::OverriddenNo:
        return tr("no (override)");
    }
    return {};
}

QString voteText(const judge::GridCell &cell)
{
    const int total = cell.yesVotes + cell.noVotes + cell.failedVotes;
    if (total == 0)
        return {};
    QString text = tr("%1/%2 yes").arg(cell.yesVotes).arg(total);
    if (cell.failedVotes > 0)
        text += tr(", %1 failed").arg(cell.failedVotes);
    return text;
}

QString verdictLine(const judge::GridCell &cell)
{
    const QString votes = voteText(cell);
    if (votes.isEmpty())
        return stateText(cell.state);
    if (isOverridden(cell.state))
        return tr("%1 · judge: %2").arg(stateText(cell.state), votes);
    return tr("%1 · %2").arg(stateText(cell.state), votes);
}

QString cellToolTip(const judge::GridCriterion &criterion, const judge::GridCell &cell)
{
    QStringList lines;
    lines << tr("%1 · weight %2").arg(criterion.stableId, weightText(criterion.weight))
          << criterion.text << QString() << tr("Verdict: %1").arg(verdictLine(cell));
    if (!cell.rationale.isEmpty()) {
        QString rationale = cell.rationale;
        if (rationale.size() > kToolTipRationaleChars)
            rationale = rationale.left(kToolTipRationaleChars) + QStringLiteral("…");
        lines << tr("Judge: %1").arg(rationale);
    }
    if (isOverridden(cell.state))
        lines << (cell.overrideNote.isEmpty() ? tr("Set by hand")
                                              : tr("Set by hand: %1").arg(cell.overrideNote));
    return lines.join(QLatin1Char('\n'));
}

QString rewardText(double reward)
{
    return QString::number(reward, 'f', 2);
}

} // namespace rs::ui

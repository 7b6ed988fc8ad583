#include "verdicts/verdicttext.h"

#include "common/uitext.h"
#include "verdicts/verdictshade.h"

#include <QCoreApplication>
#include <QStringList>

namespace rs::ui {
namespace {

QString trVerdict(const char *text) {
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
        return trVerdict("pending");
    case judge::CellState::Yes:
        return trVerdict("yes");
    case judge::CellState::No:
        return trVerdict("no");
    case judge::CellState::Failed:
        return trVerdict("failed");
    case judge::CellState::OverriddenYes:
        return trVerdict("yes (override)");
    case judge::CellState::OverriddenNo:
        return trVerdict("no (override)");
    case judge::CellState::Refused:
        return trVerdict("refused");
    }
    return {};
}

QString voteText(const judge::GridCell &cell)
{
    const int total = cell.yesVotes + cell.noVotes + cell.failedVotes + cell.refusedVotes;
    if (total == 0)
        return {};
    QString text = trVerdict("%1/%2 yes").arg(cell.yesVotes).arg(total);
    if (cell.failedVotes > 0)
        text += trVerdict(", %1 failed").arg(cell.failedVotes);
    if (cell.refusedVotes > 0)
        text += trVerdict(", %1 refused").arg(cell.refusedVotes);
    if (cell.pYes >= 0)
        text += trVerdict(", P(yes) %1").arg(cell.pYes, 0, 'f', 2);
    return text;
}

QString verdictLine(const judge::GridCell &cell)
{
    const QString votes = voteText(cell);
    if (votes.isEmpty())
        return stateText(cell.state);
    if (isOverridden(cell.state))
        return trVerdict("%1 · judge: %2").arg(stateText(cell.state), votes);
    return trVerdict("%1 · %2").arg(stateText(cell.state), votes);
}

QString cellToolTip(const judge::GridCriterion &criterion, const judge::GridCell &cell)
{
    QStringList lines;
    lines << trVerdict("%1 · weight %2").arg(criterion.stableId, weightText(criterion.weight))
          << criterion.text << QString() << trVerdict("Verdict: %1").arg(verdictLine(cell));
    if (const auto p = shadedPYes(cell)) {
        const QString value = QString::number(*p, 'f', 2);
        if (cell.pYesVotes == 1)
            lines << trVerdict("Shaded by P(yes) %1, from the judge's token probabilities")
                         .arg(value);
        else if (cell.pYesVotes > 1)
            lines << trVerdict("Shaded by P(yes) %1, the mean of %2 votes' token probabilities")
                         .arg(value)
                         .arg(cell.pYesVotes);
        else
            lines << trVerdict("Shaded by P(yes) %1: %2 of %3 votes said yes")
                         .arg(value)
                         .arg(cell.yesVotes)
                         .arg(cell.yesVotes + cell.noVotes);
    }
    if (!cell.rationale.isEmpty()) {
        QString rationale = cell.rationale;
        if (rationale.size() > kToolTipRationaleChars)
            rationale = rationale.left(kToolTipRationaleChars) + QStringLiteral("…");
        lines << trVerdict("Judge: %1").arg(rationale);
    }
    if (isOverridden(cell.state))
        lines << (cell.overrideNote.isEmpty()
                      ? trVerdict("Set by hand")
                      : trVerdict("Set by hand: %1").arg(cell.overrideNote));
    return lines.join(QLatin1Char('\n'));
}

QString rewardText(double reward)
{
    return QString::number(reward, 'f', 2);
}

} // namespace rs::ui

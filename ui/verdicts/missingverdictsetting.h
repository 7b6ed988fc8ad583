#pragma once

#include "judge/scoring.h"

#include <QObject>
#include <QString>

class QMenu;

namespace rs::ui {

/// How a criterion without a usable verdict (not judged yet, failed, or a split vote) counts
/// in a reward: as "no", the paper's rule and `scores --missing no`, or left out of the
/// denominator, `--missing drop`. The rankings and verdict grid, the reward breakdown and the
/// Analysis tab all follow it.
///
/// Kept per user in QSettings rather than in the project: it is a way of reading rewards, like
/// the CLI's flag, not part of what a project or its rubric packs hold, so two people can read
/// one project both ways and the CLI, which cannot see a GUI choice, never disagrees with a
/// number stored in the file.
class MissingVerdictSetting final : public QObject {
    Q_OBJECT

public:
    static MissingVerdictSetting *instance();

    judge::MissingPolicy policy() const { return m_policy; }
    /// Applies and saves the policy; announces it when it changed.
    void setPolicy(judge::MissingPolicy policy);
    /// Re-reads the saved choice (CountAsNo when none); for tests that clear QSettings.
    void reload();

    /// Adds "Missing Verdicts" with its two exclusive choices to `menu`.
    void addMenu(QMenu *menu);

    static QString name(judge::MissingPolicy policy); ///< "no" / "drop", as the CLI spells them
    /// One line for status texts: "missing verdicts count as no".
    static QString description(judge::MissingPolicy policy);

Q_SIGNALS:
    void changed(rs::judge::MissingPolicy policy);

private:
    explicit MissingVerdictSetting(QObject *parent);

    judge::MissingPolicy m_policy = judge::MissingPolicy::CountAsNo;
};

} // namespace rs::ui

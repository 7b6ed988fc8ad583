#pragma once

#include "rubric/rubricversions.h"

#include <QList>
#include <QObject>
#include <QString>

class QUndoStack;

namespace rs::ui {

/// A prompt's rubric being edited: the criteria as they will be saved, the version they
/// started from, and the undo history of the edits since. Nothing is written until the editor
/// accepts the draft as a new version, so every edit here is cheap and undoable.
///
/// Each edit builds the new list and pushes a DraftEditCommand holding the list before and
/// after (rubrics are tens of criteria; whole-list snapshots make every undo exact).
class RubricDraft final : public QObject {
    Q_OBJECT

public:
    RubricDraft(qint64 promptId, QObject *parent = nullptr);

    qint64 promptId() const { return m_promptId; }
    qint64 baseVersionId() const { return m_baseVersionId; }
    QString scoring() const { return m_scoring; }
    bool usesPoints() const { return m_scoring == QLatin1String("points"); }
    const QList<rubric::CriterionDraft> &criteria() const { return m_criteria; }
    QUndoStack *undoStack() const { return m_undo; }
    /// Edited since it was loaded or last accepted.
    bool isDirty() const;

    /// Starts over from a stored version (clears the history).
    void reset(qint64 baseVersionId, const QString &scoring,
               const QList<rubric::CriterionDraft> &criteria);

    // Edits; each pushes one command with a readable text ("Re-weight c2 to 3").
    void setText(int row, const QString &text);
    void setWeight(int row, double weight);
    void setCategory(int row, const QString &category);
    void setTags(int row, const QStringList &tags);
    /// Makes the criterion checked by code (canonical check JSON) or, with "", judged again.
    void setCheck(int row, const QString &checkJson);
    void setVeto(int row, bool veto);
    /// Inserts an empty criterion at `row` (the end when out of range); returns its row.
    int addCriterion(int row = -1);
    void removeCriterion(int row);
    /// Moves a criterion up (delta -1) or down (delta +1).
    void moveCriterion(int row, int delta);
    void duplicateCriterion(int row);
    /// Replaces one criterion by several; the first part keeps its id (its history follows
    /// the main check), the others get new ids, and all keep its weight and category.
    void splitCriterion(int row, const QStringList &parts);

    /// Applies a whole list; what commands call on redo and undo.
    void apply(const QList<rubric::CriterionDraft> &criteria);
    /// Proposes a split of a compound criterion at its "and"/"or" or sentence boundaries.
    static QStringList suggestSplit(const QString &text);

Q_SIGNALS:
    /// The list changed; `structural` when rows were added, removed or moved.
    void changed(bool structural);
    void dirtyChanged(bool dirty);

private:
    QString label(int row) const; ///< "c3", or "new criterion 4" before it has an id
    void push(const QString &text, const QList<rubric::CriterionDraft> &after);

    qint64 m_promptId = 0;
    qint64 m_baseVersionId = 0;
    QString m_scoring = QStringLiteral("weights");
    QList<rubric::CriterionDraft> m_criteria;
    QUndoStack *m_undo = nullptr;
};

} // namespace rs::ui

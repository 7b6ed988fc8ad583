#include "rubric/rubricdraft.h"

#include "rubric/drafteditcommand.h"
#include "common/uitext.h"

#include <QRegularExpression>
#include <QUndoStack>

namespace rs::ui {
namespace {

bool sameList(const QList<rubric::CriterionDraft> &a, const QList<rubric::CriterionDraft> &b) {
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i)
        if (a[i].stableId != b[i].stableId || a[i].text != b[i].text ||
            a[i].weight != b[i].weight || a[i].category != b[i].category ||
            a[i].tags != b[i].tags || a[i].checkJson != b[i].checkJson || a[i].veto != b[i].veto)
            return false;
    return true;
}

bool sameRows(const QList<rubric::CriterionDraft> &a, const QList<rubric::CriterionDraft> &b) {
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i)
        if (a[i].stableId != b[i].stableId)
            return false;
    return true;
}

} // namespace

RubricDraft::RubricDraft(qint64 promptId, QObject *parent)
    : QObject(parent)
    , m_promptId(promptId)
    , m_undo(new QUndoStack(this)) {
    connect(m_undo, &QUndoStack::cleanChanged, this,
            [this](bool clean) { Q_EMIT dirtyChanged(!clean); });
}

bool RubricDraft::isDirty() const {
    return !m_undo->isClean();
}

void RubricDraft::reset(qint64 baseVersionId, const QString &scoring,
                        const QList<rubric::CriterionDraft> &criteria) {
    m_undo->clear(); // emits cleanChanged, hence dirtyChanged, when it was dirty
    m_baseVersionId = baseVersionId;
    m_scoring = scoring.isEmpty() ? QStringLiteral("weights") : scoring;
    const bool structural = !sameRows(m_criteria, criteria);
    m_criteria = criteria;
    Q_EMIT changed(structural);
}

void RubricDraft::apply(const QList<rubric::CriterionDraft> &criteria) {
    const bool structural = !sameRows(m_criteria, criteria);
    m_criteria = criteria;
    Q_EMIT changed(structural);
}

QString RubricDraft::label(int row) const {
    const QString &sid = m_criteria[row].stableId;
    return sid.isEmpty() ? tr("new criterion %1").arg(row + 1) : sid;
}

void RubricDraft::push(const QString &text, const QList<rubric::CriterionDraft> &after) {
    if (sameList(m_criteria, after))
        return; // an edit that changes nothing is not history
    m_undo->push(new DraftEditCommand(this, text, m_criteria, after));
}

void RubricDraft::setText(int row, const QString &text) {
    if (row < 0 || row >= m_criteria.size())
        return;
    auto after = m_criteria;
    after[row].text = text;
    push(tr("Edit criterion %1 text").arg(label(row)), after);
}

void RubricDraft::setWeight(int row, double weight) {
    if (row < 0 || row >= m_criteria.size())
        return;
    auto after = m_criteria;
    after[row].weight = weight;
    push(tr("Re-weight %1 to %2").arg(label(row), weightText(weight)), after);
}

void RubricDraft::setCategory(int row, const QString &category) {
    if (row < 0 || row >= m_criteria.size())
        return;
    auto after = m_criteria;
    after[row].category = category;
    push(category.isEmpty() ? tr("Clear the category of %1").arg(label(row))
                            : tr("Make %1 %2").arg(label(row), category),
         after);
}

void RubricDraft::setTags(int row, const QStringList &tags) {
    if (row < 0 || row >= m_criteria.size())
        return;
    auto after = m_criteria;
    after[row].tags = tags;
    push(tr("Tag %1").arg(label(row)), after);
}

void RubricDraft::setCheck(int row, const QString &checkJson) {
    if (row < 0 || row >= m_criteria.size())
        return;
    auto after = m_criteria;
    after[row].checkJson = checkJson;
    push(checkJson.isEmpty() ? tr("Let the judge decide %1").arg(label(row))
                             : tr("Check %1 by code").arg(label(row)),
         after);
}

void RubricDraft::setVeto(int row, bool veto) {
    if (row < 0 || row >= m_criteria.size())
        return;
    auto after = m_criteria;
    after[row].veto = veto;
    push(veto ? tr("Make %1 a veto").arg(label(row)) : tr("Clear the veto of %1").arg(label(row)),
         after);
}

int RubricDraft::addCriterion(int row) {
    if (row < 0 || row > m_criteria.size())
        row = int(m_criteria.size());
    auto after = m_criteria;
    after.insert(row, rubric::CriterionDraft{{}, tr("New criterion"), 1, {}, {}});
    push(tr("Add a criterion"), after);
    return row;
}

void RubricDraft::removeCriterion(int row) {
    if (row < 0 || row >= m_criteria.size())
        return;
    auto after = m_criteria;
    after.removeAt(row);
    push(tr("Delete %1").arg(label(row)), after);
}

void RubricDraft::moveCriterion(int row, int delta) {
    const int to = row + delta;
    if (row < 0 || row >= m_criteria.size() || to < 0 || to >= m_criteria.size() || delta == 0)
        return;
    auto after = m_criteria;
    after.move(row, to);
    push(delta < 0 ? tr("Move %1 up").arg(label(row)) : tr("Move %1 down").arg(label(row)), after);
}

void RubricDraft::duplicateCriterion(int row) {
    if (row < 0 || row >= m_criteria.size())
        return;
    auto after = m_criteria;
    rubric::CriterionDraft copy = after[row];
    copy.stableId.clear(); // a copy is a new criterion; the original keeps the history
    after.insert(row + 1, copy);
    push(tr("Duplicate %1").arg(label(row)), after);
}

void RubricDraft::splitCriterion(int row, const QStringList &parts) {
    QStringList texts;
    for (const QString &p : parts)
        if (!p.trimmed().isEmpty())
            texts << p.trimmed();
    if (row < 0 || row >= m_criteria.size() || texts.size() < 2)
        return;
    auto after = m_criteria;
    const rubric::CriterionDraft original = after.takeAt(row);
    for (int i = 0; i < texts.size(); ++i) {
        rubric::CriterionDraft part = original;
        part.text = texts[i];
        if (i > 0)
            part.stableId.clear();
        after.insert(row + i, part);
    }
    push(tr("Split %1 into %2").arg(label(row)).arg(texts.size()), after);
}

QStringList RubricDraft::suggestSplit(const QString &text) {
    // "Explains X and mentions Y." -> "Explains X.", "Mentions Y."; sentences split as well.
    static const QRegularExpression joiner(
        QStringLiteral("[,;]?\\s+\\b(?:and|or)\\s+(?:also\\s+)?(?=[a-z]+s\\b)"),
        QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression sentence(QStringLiteral("(?<=[.!?])\\s+(?=[A-Z])"));
    QStringList out;
    for (const QString &s : text.split(sentence, Qt::SkipEmptyParts))
        for (QString part : s.split(joiner, Qt::SkipEmptyParts)) {
            part = part.trimmed();
            if (part.isEmpty())
                continue;
            part[0] = part[0].toUpper();
            if (!part.endsWith(QLatin1Char('.')) && !part.endsWith(QLatin1Char('?')) &&
                !part.endsWith(QLatin1Char('!')))
                part += QLatin1Char('.');
            out << part;
        }
    return out;
}

} // namespace rs::ui

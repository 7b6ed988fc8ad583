#include "compare/pairdiffpane.h"

#include "common/asynctask.h"
#include "common/offlinetextdocument.h"
#include "verdicts/preferencecommand.h"
#include "project/projectedits.h"
#include "text/worddiff.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QTextBrowser>
#include <QUndoStack>
#include <QVBoxLayout>

namespace rs::ui {
namespace {

struct DiffResult final {
    QString html;
    int common = 0;
    int deleted = 0;
    int inserted = 0;
};

/// Human preferences recorded for a pair, counted from the left response's side.
struct Recorded final {
    int leftWins = 0;
    int ties = 0;
    int rightWins = 0;
};

Expected<Recorded> readRecorded(store::Database &db, qint64 left, qint64 right)
{
    auto st = db.prepare("SELECT response_a, preference FROM preferences WHERE source = 'human'"
                         " AND preference IS NOT NULL AND ((response_a = ?1 AND response_b = ?2)"
                         " OR (response_a = ?2 AND response_b = ?1))");
    if (!st)
        return st.error();
    st->bind(1, std::int64_t(left));
    st->bind(2, std::int64_t(right));
    Recorded out;
    auto walked = st->forEach([&] {
        // Stored as "B is better with probability p"; turn it round when B is our left.
        double p = st->columnDouble(1);
        if (st->columnInt(0) != left)
            p = 1.0 - p;
        if (p < 0.5)
            ++out.leftWins;
        else if (p > 0.5)
            ++out.rightWins;
        else
            ++out.ties;
    });
    if (!walked)
        return walked.error();
    return out;
}

} // namespace

PairDiffPane::PairDiffPane(QWidget *parent)
    : QWidget(parent)
{
    m_left = new QComboBox(this);
    m_right = new QComboBox(this);
    m_left->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_right->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_left->setToolTip(tr("Left response: the diff starts from it"));
    m_right->setToolTip(tr("Right response: the diff shows how it differs from the left one"));
    m_preferLeft = new QPushButton(tr("◀ Prefer left"), this);
    m_tie = new QPushButton(tr("Tie"), this);
    m_preferRight = new QPushButton(tr("Prefer right ▶"), this);
    m_preferLeft->setToolTip(tr("Record by hand that the left response is better (gold label)"));
    m_tie->setToolTip(tr("Record by hand that neither response is better"));
    m_preferRight->setToolTip(tr("Record by hand that the right response is better (gold label)"));
    m_recorded = new QLabel(this);
    m_stats = new QLabel(this);
    m_stats->setTextFormat(Qt::RichText);
    m_stats->setWordWrap(true);

    m_view = new QTextBrowser(this);
    // The texts are model output: the document loads nothing, whatever the HTML might say.
    m_view->setDocument(new OfflineTextDocument(m_view));
    m_view->setOpenLinks(false);
    m_view->setOpenExternalLinks(false);
    m_view->setPlaceholderText(tr("Pick two responses to see what the right one changes."));

    auto *pair = new QHBoxLayout;
    pair->setContentsMargins(0, 0, 0, 0);
    pair->addWidget(m_left);
    pair->addWidget(new QLabel(tr("→"), this));
    pair->addWidget(m_right);
    pair->addStretch(1);
    auto *prefer = new QHBoxLayout;
    prefer->setContentsMargins(0, 0, 0, 0);
    prefer->addWidget(m_preferLeft);
    prefer->addWidget(m_tie);
    prefer->addWidget(m_preferRight);
    prefer->addStretch(1);
    m_recorded->setWordWrap(true);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(3);
    layout->addLayout(pair);
    layout->addLayout(prefer);
    layout->addWidget(m_recorded);
    layout->addWidget(m_stats);
    layout->addWidget(m_view, 1);

    const auto picked = [this](QComboBox *combo, qint64 *mine, qint64 *other) {
        const qint64 id = combo->currentData().toLongLong();
        if (id == *other)
            *other = *mine; // picking the other side's response swaps the two
        *mine = id;
        onPairChanged();
    };
    connect(m_left, &QComboBox::activated, this,
            [this, picked] { picked(m_left, &m_leftId, &m_rightId); });
    connect(m_right, &QComboBox::activated, this,
            [this, picked] { picked(m_right, &m_rightId, &m_leftId); });
    connect(m_preferLeft, &QPushButton::clicked, this, [this] { recordPreference(0.0); });
    connect(m_tie, &QPushButton::clicked, this, [this] { recordPreference(0.5); });
    connect(m_preferRight, &QPushButton::clicked, this, [this] { recordPreference(1.0); });
    updateButtons();
}

void PairDiffPane::setEdits(ProjectEdits *edits)
{
    m_edits = edits;
    if (edits)
        connect(edits, &ProjectEdits::written, this, [this](qint64 promptId) {
            if (promptId == 0 || promptId == m_promptId)
                loadRecorded();
        });
    updateButtons();
}

const PairDiffPane::Choice *PairDiffPane::choice(qint64 responseId) const
{
    for (const Choice &c : m_choices)
        if (c.responseId == responseId)
            return &c;
    return nullptr;
}

void PairDiffPane::setChoices(const QString &projectPath, qint64 promptId,
                              const QList<Choice> &choices)
{
    const qint64 oldLeft = m_leftId;
    const qint64 oldRight = m_rightId;
    QString oldLeftText;
    QString oldRightText;
    if (const Choice *c = choice(oldLeft))
        oldLeftText = c->text;
    if (const Choice *c = choice(oldRight))
        oldRightText = c->text;
    m_path = projectPath;
    m_promptId = promptId;
    m_choices = choices;
    const Choice *left = choice(oldLeft);
    const Choice *right = choice(oldRight);
    if (!left || !right || oldLeft == oldRight) {
        m_leftId = choices.size() > 0 ? choices[0].responseId : 0;
        m_rightId = choices.size() > 1 ? choices[1].responseId : 0;
    }
    fillCombos();
    const bool samePair = m_leftId == oldLeft && m_rightId == oldRight && left && right &&
                          left->text == oldLeftText && right->text == oldRightText;
    if (!samePair)
        onPairChanged();
    else
        updateButtons();
}

bool PairDiffPane::setPair(int left, int right)
{
    if (left < 0 || right < 0 || left >= m_choices.size() || right >= m_choices.size() ||
        left == right)
        return false;
    m_leftId = m_choices[left].responseId;
    m_rightId = m_choices[right].responseId;
    fillCombos();
    onPairChanged();
    return true;
}

qint64 PairDiffPane::leftId() const
{
    return m_leftId;
}

qint64 PairDiffPane::rightId() const
{
    return m_rightId;
}

void PairDiffPane::fillCombos()
{
    for (QComboBox *combo : {m_left, m_right}) {
        const QSignalBlocker blocker(combo);
        combo->clear();
        for (const Choice &c : std::as_const(m_choices))
            combo->addItem(c.label, c.responseId);
    }
    m_left->setCurrentIndex(m_left->findData(m_leftId));
    m_right->setCurrentIndex(m_right->findData(m_rightId));
}

void PairDiffPane::onPairChanged()
{
    fillCombos();
    updateDiff();
    loadRecorded();
    updateButtons();
}

void PairDiffPane::updateDiff()
{
    const quint64 generation = ++m_diffGeneration;
    const Choice *left = choice(m_leftId);
    const Choice *right = choice(m_rightId);
    if (!left || !right || m_leftId == m_rightId) {
        m_view->clear();
        m_stats->setText(tr("Choose two responses to compare word by word."));
        return;
    }
    m_stats->setText(tr("Comparing…"));
    const qint64 leftId = m_leftId;
    const qint64 rightId = m_rightId;
    runAsync(
        this, QThreadPool::globalInstance(),
        [a = left->text, b = right->text] {
            const text::WordDiff diff(a, b);
            return DiffResult{diff.toHtml(), diff.commonWords(), diff.deletedWords(),
                              diff.insertedWords()};
        },
        [this, generation, leftId, rightId](DiffResult result) {
            if (generation != m_diffGeneration)
                return;
            m_view->setHtml(result.html);
            m_stats->setText(tr("<span style=\"background-color:#f7cdcd;color:#7d1414\">"
                                "&nbsp;%1 words only left&nbsp;</span> "
                                "<span style=\"background-color:#c8efc4;color:#0f4d12\">"
                                "&nbsp;%2 words only right&nbsp;</span> · %3 in common")
                                 .arg(result.deleted)
                                 .arg(result.inserted)
                                 .arg(result.common));
            Q_EMIT diffShown(leftId, rightId);
        });
}

void PairDiffPane::loadRecorded()
{
    const quint64 generation = ++m_recordedGeneration;
    if (m_path.isEmpty() || m_leftId == 0 || m_rightId == 0 || m_leftId == m_rightId) {
        m_recorded->clear();
        return;
    }
    const qint64 left = m_leftId;
    const qint64 right = m_rightId;
    runDbQuery<Recorded>(
        this, m_path, [left, right](store::Database &db) { return readRecorded(db, left, right); },
        [this, generation, left, right](Expected<Recorded> recorded) {
            if (generation != m_recordedGeneration)
                return;
            if (!recorded) {
                m_recorded->setText(
                    tr("cannot read preferences: %1").arg(recorded.error().toString()));
            } else if (recorded->leftWins + recorded->ties + recorded->rightWins == 0) {
                m_recorded->setText(tr("Gold preference: none recorded for this pair"));
            } else {
                m_recorded->setText(
                    tr("Gold preference recorded by hand: left %1 · tie %2 · right %3")
                        .arg(recorded->leftWins)
                        .arg(recorded->ties)
                        .arg(recorded->rightWins));
            }
            Q_EMIT recordedShown(left, right);
        });
}

void PairDiffPane::recordPreference(double preference)
{
    if (!m_edits || m_leftId == 0 || m_rightId == 0 || m_leftId == m_rightId)
        return;
    m_edits->undoStack()->push(
        new PreferenceCommand(*m_edits, m_promptId, m_leftId, m_rightId, preference));
}

void PairDiffPane::updateButtons()
{
    const bool pair = m_edits && m_leftId != 0 && m_rightId != 0 && m_leftId != m_rightId;
    for (QPushButton *b : {m_preferLeft, m_tie, m_preferRight})
        b->setEnabled(pair);
    m_left->setEnabled(m_choices.size() > 1);
    m_right->setEnabled(m_choices.size() > 1);
}

} // namespace rs::ui

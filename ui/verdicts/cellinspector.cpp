#include "verdicts/cellinspector.h"

#include "common/asynctask.h"
#include "common/uitext.h"
#include "verdicts/verdictcelldelegate.h"
#include "verdicts/verdicteditor.h"
#include "verdicts/verdicttext.h"

#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

namespace rs::ui {
namespace {

QLabel *wrappedLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setTextFormat(Qt::PlainText);
    return label;
}

QString costText(double usd)
{
    if (usd == 0)
        return QStringLiteral("$0");
    return QStringLiteral("$") + QString::number(usd, 'f', usd < 0.01 ? 5 : 4);
}

} // namespace

CellInspector::CellInspector(QWidget *parent)
    : QWidget(parent)
{
    m_title = new QLabel(this);
    m_title->setTextFormat(Qt::RichText);
    m_criterion = wrappedLabel(this);

    m_verdictIcon = new QLabel(this);
    m_verdict = wrappedLabel(this);
    auto *verdictRow = new QHBoxLayout;
    verdictRow->setContentsMargins(0, 0, 0, 0);
    verdictRow->addWidget(m_verdictIcon, 0, Qt::AlignTop);
    verdictRow->addWidget(m_verdict, 1);

    m_rationale = wrappedLabel(this);
    m_call = wrappedLabel(this);
    m_override = wrappedLabel(this);
    m_override->setTextFormat(Qt::RichText);

    m_rawToggle = new QToolButton(this);
    m_rawToggle->setText(tr("Raw judge answer"));
    m_rawToggle->setCheckable(true);
    m_rawToggle->setAutoRaise(true);
    m_rawToggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_rawToggle->setArrowType(Qt::RightArrow);
    m_raw = new QPlainTextEdit(this);
    m_raw->setReadOnly(true);
    m_raw->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_raw->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_raw->setMaximumHeight(220);
    m_raw->hide();
    connect(m_rawToggle, &QToolButton::toggled, this, [this](bool open) {
        m_rawToggle->setArrowType(open ? Qt::DownArrow : Qt::RightArrow);
        m_raw->setVisible(open);
    });

    m_note = new QLineEdit(this);
    m_note->setPlaceholderText(tr("Note for the override (optional)"));
    m_note->setClearButtonEnabled(true);
    m_yes = new QPushButton(tr("Yes (Y)"), this);
    m_no = new QPushButton(tr("No (N)"), this);
    m_clear = new QPushButton(tr("Clear (Del)"), this);
    m_yes->setToolTip(tr("Set this verdict to yes by hand (key Y in the table)"));
    m_no->setToolTip(tr("Set this verdict to no by hand (key N in the table)"));
    m_clear->setToolTip(tr("Remove the override; the judge's verdict counts again (Delete)"));
    auto *buttons = new QHBoxLayout;
    buttons->setContentsMargins(0, 0, 0, 0);
    buttons->addWidget(m_yes);
    buttons->addWidget(m_no);
    buttons->addWidget(m_clear);
    buttons->addStretch(1);

    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setRowWrapPolicy(QFormLayout::DontWrapRows);
    form->addRow(tr("Verdict:"), verdictRow);
    form->addRow(tr("Judge:"), m_rationale);
    form->addRow(tr("Call:"), m_call);
    form->addRow(tr("Override:"), m_override);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_title);
    layout->addWidget(m_criterion);
    layout->addLayout(form);
    layout->addWidget(m_rawToggle);
    layout->addWidget(m_raw);
    layout->addWidget(m_note);
    layout->addLayout(buttons);
    layout->addStretch(1);
}

void CellInspector::setVerdictEditor(VerdictEditor *editor)
{
    if (m_editor)
        disconnect(m_editor, nullptr, this, nullptr);
    m_editor = editor;
    if (!editor)
        return;
    connect(m_note, &QLineEdit::textEdited, editor, &VerdictEditor::setDraftNote);
    connect(editor, &VerdictEditor::draftNoteChanged, this, [this](const QString &note) {
        if (m_note->text() != note)
            m_note->setText(note);
        updateButtons();
    });
    connect(m_yes, &QPushButton::clicked, editor, [editor] { editor->apply(OverrideChoice::Yes); });
    connect(m_no, &QPushButton::clicked, editor, [editor] { editor->apply(OverrideChoice::No); });
    connect(m_clear, &QPushButton::clicked, editor,
            [editor] { editor->apply(OverrideChoice::Clear); });
}

void CellInspector::showFocus(const VerdictFocus &focus)
{
    if (!focus.isCell()) {
        m_callId = 0;
        return;
    }
    const judge::GridCriterion &c = focus.criterionInfo();
    const judge::GridCell &cell = focus.cell();
    m_title->setText(tr("<b>Criterion %1</b> · weight %2")
                         .arg(c.stableId.toHtmlEscaped(), weightText(c.weight)));
    m_criterion->setText(c.text);

    const int side = fontMetrics().height();
    m_verdictIcon->setPixmap(VerdictCellDelegate::markPixmap(
        side, cell.state, cell.yesVotes, cell.noVotes, cell.failedVotes, devicePixelRatioF()));
    QString verdict = verdictLine(cell);
    if (cell.state == judge::CellState::Pending)
        verdict = focus.runId == 0 ? tr("pending — no judge run yet")
                                   : tr("pending — not judged in this run");
    m_verdict->setText(verdict);
    m_rationale->setText(cell.rationale.isEmpty()
                             ? (cell.callId ? tr("(the judge gave no reason)") : tr("—"))
                             : cell.rationale);

    if (isOverridden(cell.state)) {
        QString text = tr("set to <b>%1</b> by hand").arg(isMet(cell.state) ? tr("yes") : tr("no"));
        if (!cell.overrideNote.isEmpty())
            text += tr(" — “%1”").arg(cell.overrideNote.toHtmlEscaped());
        m_override->setText(text);
    } else {
        m_override->setText(tr("none; the judge's verdict counts"));
    }

    // Call ids are per project: another project's call 5 is another call.
    if (cell.callId != m_callId || focus.projectPath != m_callPath) {
        m_callId = cell.callId;
        m_callPath = focus.projectPath;
        m_shownCallId = 0;
        m_raw->clear();
        if (cell.callId == 0) {
            m_call->setText(tr("—"));
            m_raw->setPlainText(tr("(no judge call)"));
            ++m_generation;
        } else {
            m_call->setText(tr("loading…"));
            loadCall(focus.projectPath, cell.callId);
        }
    }
    updateButtons();
}

void CellInspector::loadCall(const QString &path, qint64 callId)
{
    const quint64 generation = ++m_generation;
    runDbQuery<judge::CallDetail>(
        this, path, [callId](store::Database &db) { return judge::loadCall(db, callId); },
        [this, generation, callId](Expected<judge::CallDetail> detail) {
            if (generation != m_generation)
                return;
            if (detail) {
                showCall(detail.value());
            } else {
                m_call->setText(tr("cannot read the call: %1").arg(detail.error().toString()));
                m_raw->setPlainText({});
            }
            m_shownCallId = callId;
            Q_EMIT callLoaded(callId);
        });
}

void CellInspector::showCall(const judge::CallDetail &d)
{
    const QLocale locale;
    QStringList parts;
    parts << countText(d.attempts, tr("attempt"), tr("attempts"))
          << (d.cached ? tr("cached") : tr("not cached"))
          << tr("%1 in + %2 out tokens")
                 .arg(locale.toString(d.tokensIn), locale.toString(d.tokensOut))
          << costText(d.costUsd) << tr("temperature %1").arg(d.temperature);
    QString text = parts.join(QStringLiteral(" · "));
    if (!d.error.isEmpty())
        text += QLatin1Char('\n') + tr("error: %1").arg(d.error);
    m_call->setText(text);
    m_raw->setPlainText(d.raw.isEmpty() ? tr("(empty answer)") : d.raw);
}

void CellInspector::updateButtons()
{
    const bool editable = m_editor && m_editor->edits() && m_editor->focus().isCell() &&
                          m_editor->focus().rubricId != 0;
    m_note->setEnabled(editable);
    m_yes->setEnabled(editable && m_editor->canApply(OverrideChoice::Yes));
    m_no->setEnabled(editable && m_editor->canApply(OverrideChoice::No));
    m_clear->setEnabled(editable && m_editor->canApply(OverrideChoice::Clear));
}

} // namespace rs::ui

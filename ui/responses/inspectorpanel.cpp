#include "responses/inspectorpanel.h"

#include "verdicts/cellinspector.h"
#include "responses/rewardbreakdownmodel.h"
#include "common/uitext.h"
#include "verdicts/verdictcelldelegate.h"
#include "verdicts/verdicteditor.h"
#include "common/theme.h"

#include "judge/injectiondetector.h"

#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QScrollArea>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace rs::ui {
namespace {

QLabel *valueLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setWordWrap(true);
    return label;
}

qint64 wordCount(const QString &text)
{
    qint64 words = 0;
    bool inWord = false;
    for (const QChar c : text) {
        const bool letter = !c.isSpace();
        words += letter && !inWord;
        inWord = letter;
    }
    return words;
}

} // namespace

InspectorPanel::InspectorPanel(QWidget *parent)
    : QWidget(parent)
    , m_breakdownModel(new RewardBreakdownModel(this))
{
    m_responseBox = new QGroupBox(tr("Response"), this);
    auto *form = new QFormLayout(m_responseBox);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_generator = valueLabel(m_responseBox);
    m_tier = valueLabel(m_responseBox);
    m_length = valueLabel(m_responseBox);
    m_source = valueLabel(m_responseBox);
    m_policy = valueLabel(m_responseBox);
    form->addRow(tr("Generator:"), m_generator);
    form->addRow(tr("Tier:"), m_tier);
    form->addRow(tr("Length:"), m_length);
    form->addRow(tr("Source:"), m_source);
    form->addRow(tr("Policy:"), m_policy);
    // Responses are untrusted: one that talks to the judge is worth a second look at its
    // verdicts. Flagged only; the verdicts stay as the judge gave them.
    m_injection = new QLabel(m_responseBox);
    m_injection->setWordWrap(true);
    m_injection->setTextFormat(Qt::PlainText);
    auto paintInjection = [this] {
        m_injection->setStyleSheet(
            QStringLiteral("QLabel { color: %1; font-weight: bold; }").arg(Theme::errorColour().name()));
    };
    paintInjection();
    connect(Theme::instance(), &Theme::changed, this, paintInjection);
    m_injection->setVisible(false);
    form->addRow(m_injection);

    m_detailBox = new QGroupBox(tr("Reward"), this);
    m_pages = new QStackedWidget(m_detailBox);

    auto *breakdownPage = new QWidget(m_pages);
    m_breakdown = new QTableView(breakdownPage);
    m_breakdown->setModel(m_breakdownModel);
    m_breakdown->setItemDelegateForColumn(RewardBreakdownModel::VerdictColumn,
                                          new VerdictCellDelegate(m_breakdown));
    m_breakdown->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_breakdown->setSelectionMode(QAbstractItemView::SingleSelection);
    m_breakdown->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_breakdown->setWordWrap(true);
    m_breakdown->setShowGrid(false);
    m_breakdown->setAlternatingRowColors(true);
    m_breakdown->verticalHeader()->hide();
    QHeaderView *header = m_breakdown->horizontalHeader();
    header->setHighlightSections(false);
    for (int c : {RewardBreakdownModel::IdColumn, RewardBreakdownModel::WeightColumn,
                  RewardBreakdownModel::VerdictColumn, RewardBreakdownModel::ContributionColumn})
        header->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(RewardBreakdownModel::CriterionColumn, QHeaderView::Stretch);
    connect(header, &QHeaderView::sectionResized, m_breakdown,
            [this] { m_breakdown->resizeRowsToContents(); });
    connect(m_breakdownModel, &QAbstractItemModel::modelReset, m_breakdown,
            [this] { m_breakdown->resizeRowsToContents(); });
    m_summary = valueLabel(breakdownPage);
    auto *breakdownLayout = new QVBoxLayout(breakdownPage);
    breakdownLayout->setContentsMargins(0, 0, 0, 0);
    breakdownLayout->addWidget(m_breakdown, 1);
    breakdownLayout->addWidget(m_summary);

    // The verdict page scrolls: a long rationale and an open raw answer outgrow a short dock.
    m_cell = new CellInspector;
    auto *cellScroll = new QScrollArea(m_pages);
    cellScroll->setWidget(m_cell);
    cellScroll->setWidgetResizable(true);
    cellScroll->setFrameShape(QFrame::NoFrame);

    m_pages->addWidget(breakdownPage);
    m_pages->addWidget(cellScroll);
    auto *detailLayout = new QVBoxLayout(m_detailBox);
    detailLayout->setContentsMargins(4, 4, 4, 4);
    detailLayout->addWidget(m_pages);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_responseBox);
    layout->addWidget(m_detailBox, 1);
    showFocus({});
}

void InspectorPanel::setVerdictEditor(VerdictEditor *editor)
{
    m_cell->setVerdictEditor(editor);
    if (!editor)
        return;
    connect(editor, &VerdictEditor::focusChanged, this, &InspectorPanel::showFocus);
    showFocus(editor->focus());
}

bool InspectorPanel::showsCell() const
{
    return m_pages->currentIndex() == 1;
}

void InspectorPanel::showFocus(const VerdictFocus &focus)
{
    showResponse(focus.response);
    if (focus.isCell()) {
        m_detailBox->setTitle(tr("Verdict · response %1").arg(focus.response.id));
        m_cell->showFocus(focus);
        m_pages->setCurrentIndex(1);
        return;
    }
    m_breakdownModel->setFocus(focus);
    m_summary->setText(m_breakdownModel->summaryText());
    if (focus.criteria.isEmpty()) {
        m_detailBox->setTitle(tr("Reward"));
        m_summary->setText(focus.hasResponse() ? tr("This prompt has no rubric yet.") : QString());
    } else if (focus.implicit) {
        int guidance = 0;
        for (const judge::GridCriterion &c : focus.criteria)
            guidance += c.guidance;
        m_detailBox->setTitle(tr("Reward · holistic score · %1 as guidance")
                                  .arg(countText(guidance, tr("criterion"), tr("criteria"))));
    } else {
        double total = 0;
        for (const judge::GridCriterion &c : focus.criteria)
            total += focus.scoring == QLatin1String("points") ? qMax(0.0, c.weight) : c.weight;
        m_detailBox->setTitle(
            tr("Reward · %1 · %2 %3")
                .arg(countText(focus.criteria.size(), tr("criterion"), tr("criteria")),
                     focus.scoring == QLatin1String("points") ? tr("max") : tr("total weight"),
                     weightText(total)));
    }
    m_pages->setCurrentIndex(0);
}

void InspectorPanel::showResponse(const ResponseRecord &record)
{
    const bool any = record.id != 0;
    const QString none = QStringLiteral("—");
    m_generator->setText(any ? record.generator : none);
    m_tier->setText(any && !record.tier.isEmpty() ? record.tier : none);
    if (any) {
        m_length->setText(
            tr("%1 · %2").arg(countText(record.length, tr("character"), tr("characters")),
                              countText(wordCount(record.text), tr("word"), tr("words"))));
    } else {
        m_length->setText(none);
    }
    m_source->setText(any && !record.sourceFile.isEmpty() ? QFileInfo(record.sourceFile).fileName()
                                                          : none);
    m_source->setToolTip(record.sourceFile);
    QString policy = none;
    if (any) {
        policy = record.offPolicy ? tr("off-policy (another model's output)") : tr("on-policy");
        if (record.empty)
            policy += tr(" · empty response, flagged at import");
    }
    m_policy->setText(policy);

    const auto hits = any ? judge::InjectionDetector::scan(record.text) : QList<judge::InjectionHit>{};
    m_injection->setText(judge::InjectionDetector::summary(hits));
    QStringList details;
    for (const auto &hit : hits)
        details << tr("%1: “%2”").arg(hit.rule, hit.excerpt);
    m_injection->setToolTip(details.join(QLatin1Char('\n')));
    m_injection->setVisible(!hits.isEmpty());
}

QString InspectorPanel::responseSummary() const
{
    return QStringList{m_generator->text(), m_tier->text(), m_length->text(), m_source->text(),
                       m_policy->text()}
        .join(QStringLiteral(" | "));
}

} // namespace rs::ui

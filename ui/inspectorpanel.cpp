#include "inspectorpanel.h"

#include "rubrictablemodel.h"
#include "uitext.h"

#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
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

    m_rubricBox = new QGroupBox(tr("Rubric"), this);
    m_criteria = new QTableView(m_rubricBox);
    m_criteria->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_criteria->setSelectionMode(QAbstractItemView::SingleSelection);
    m_criteria->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_criteria->setWordWrap(true);
    m_criteria->setShowGrid(false);
    m_criteria->setAlternatingRowColors(true);
    m_criteria->verticalHeader()->hide();
    m_criteria->horizontalHeader()->setHighlightSections(false);
    connect(m_criteria->horizontalHeader(), &QHeaderView::sectionResized, m_criteria,
            [this] { m_criteria->resizeRowsToContents(); });
    auto *rubricLayout = new QVBoxLayout(m_rubricBox);
    rubricLayout->setContentsMargins(4, 4, 4, 4);
    rubricLayout->addWidget(m_criteria);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_responseBox);
    layout->addWidget(m_rubricBox, 1);
    showResponse({});
}

void InspectorPanel::setRubricModel(RubricTableModel *model)
{
    if (m_model)
        disconnect(m_model, nullptr, this, nullptr);
    m_model = model;
    m_criteria->setModel(model);
    if (!model)
        return;
    // A compact checklist: the weight and the sentence; ids, categories and tags are on the
    // Rubric tab.
    for (int c = 0; c < RubricTableModel::ColumnCount; ++c)
        m_criteria->setColumnHidden(c, c != RubricTableModel::WeightColumn &&
                                           c != RubricTableModel::CriterionColumn);
    QHeaderView *header = m_criteria->horizontalHeader();
    header->setSectionResizeMode(RubricTableModel::WeightColumn, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(RubricTableModel::CriterionColumn, QHeaderView::Stretch);
    // The weight column comes first: the eye scans the numbers, then reads the sentence.
    if (header->visualIndex(RubricTableModel::WeightColumn) >
        header->visualIndex(RubricTableModel::CriterionColumn))
        header->moveSection(header->visualIndex(RubricTableModel::WeightColumn),
                            header->visualIndex(RubricTableModel::CriterionColumn));
    connect(model, &RubricTableModel::loaded, this, [this] {
        m_criteria->resizeRowsToContents();
        updateRubricTitle();
    });
    updateRubricTitle();
}

void InspectorPanel::updateRubricTitle()
{
    if (!m_model || !m_model->hasRubric()) {
        m_rubricBox->setTitle(tr("Rubric"));
        return;
    }
    m_rubricBox->setTitle(tr("Rubric · %1 · %2 %3")
                              .arg(countText(m_model->rowCount(), tr("criterion"), tr("criteria")),
                                   m_model->usesPoints() ? tr("max") : tr("total weight"),
                                   weightText(m_model->maxScore())));
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
}

QString InspectorPanel::responseSummary() const
{
    return QStringList{m_generator->text(), m_tier->text(), m_length->text(), m_source->text(),
                       m_policy->text()}
        .join(QStringLiteral(" | "));
}

} // namespace rs::ui

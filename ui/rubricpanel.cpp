#include "rubricpanel.h"

#include "rubrictablemodel.h"
#include "uitext.h"

#include <QHeaderView>
#include <QLabel>
#include <QTableView>
#include <QVBoxLayout>

namespace rs::ui {

RubricPanel::RubricPanel(QWidget *parent)
    : QWidget(parent)
    , m_model(new RubricTableModel(this))
{
    m_summary = new QLabel(this);
    m_summary->setTextFormat(Qt::RichText);
    m_summary->setWordWrap(true);
    m_summary->setContentsMargins(4, 4, 4, 4);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_table = new QTableView(this);
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setWordWrap(true); // criteria are sentences; clipping them hides what is judged
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    QHeaderView *header = m_table->horizontalHeader();
    header->setHighlightSections(false);
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setSectionResizeMode(RubricTableModel::IdColumn, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(RubricTableModel::WeightColumn, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(RubricTableModel::CategoryColumn, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(RubricTableModel::CriterionColumn, QHeaderView::Stretch);
    // Tags such as "axis:completeness" wrap at the commas between them; wide enough for one.
    const int em = m_table->fontMetrics().horizontalAdvance(QLatin1Char('M'));
    header->resizeSection(RubricTableModel::TagsColumn, em * 13);
    // Wrapped rows need their height recomputed when the criterion column changes width.
    connect(header, &QHeaderView::sectionResized, m_table,
            [this] { m_table->resizeRowsToContents(); });

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(4);
    layout->addWidget(m_summary);
    layout->addWidget(m_table, 1);

    connect(m_model, &RubricTableModel::loaded, this, &RubricPanel::onLoaded);
    onLoaded(0);
}

void RubricPanel::setProject(const QString &path)
{
    m_model->setProject(path);
}

void RubricPanel::setPrompt(qint64 promptId)
{
    m_model->setPrompt(promptId);
}

void RubricPanel::reload()
{
    m_model->reload();
}

QString RubricPanel::summaryText(const RubricTableModel &model)
{
    if (model.loadedPromptId() == 0)
        return tr("Select a prompt to see its rubric.");
    if (!model.hasRubric())
        return tr("Prompt #%1 has no rubric yet. Import one with <i>File ▸ Import…</i> "
                  "(paper, HealthBench or RaR format).")
            .arg(model.loadedPromptId());
    const RubricRecord &r = model.rubric();
    QStringList parts;
    parts << tr("<b>Rubric of prompt #%1</b>").arg(model.loadedPromptId());
    if (model.usesPoints()) {
        parts << tr("points scoring: score = points of met criteria (penalties subtract) / "
                    "%1 possible points, clipped to 0–1")
                     .arg(weightText(model.maxScore()));
    } else {
        parts << tr("weights scoring: score = weight of met criteria / total weight %1")
                     .arg(weightText(model.maxScore()));
    }
    parts << countText(r.criteria.size(), tr("criterion"), tr("criteria"));
    if (const int penalties = model.penaltyCount())
        parts << QStringLiteral("<span style=\"color:#c01c28\">%1</span>")
                     .arg(countText(penalties, tr("penalty"), tr("penalties")));
    QString versions = countText(r.versionCount, tr("version"), tr("versions"));
    if (!r.origin.isEmpty())
        versions += tr(", current one from %1").arg(r.origin.toHtmlEscaped());
    parts << versions;
    return parts.join(QStringLiteral(" · "));
}

void RubricPanel::onLoaded(qint64 promptId)
{
    m_summary->setText(summaryText(*m_model));
    m_table->resizeRowsToContents();
    Q_EMIT rubricLoaded(promptId);
}

} // namespace rs::ui

#include "rubric/rubrictablemodel.h"

#include "common/asynctask.h"
#include "common/roles.h"
#include "common/theme.h"
#include "common/uilogging.h"
#include "common/uitext.h"

#include <QBrush>
#include <QColor>
#include <QFont>

namespace rs::ui {
namespace {
// Fixed hues rather than palette roles: "penalty" must read as red in light and dark themes.
const QColor kPenaltyBackground(0xc0, 0x1c, 0x28, 28);
} // namespace

RubricTableModel::RubricTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void RubricTableModel::setProject(const QString &path)
{
    m_path = path;
    m_promptId = 0;
    reload();
}

void RubricTableModel::setPrompt(qint64 promptId)
{
    if (promptId == m_promptId && m_loadedPromptId == promptId)
        return;
    m_promptId = promptId;
    reload();
}

void RubricTableModel::reload()
{
    const quint64 generation = ++m_generation;
    const qint64 promptId = m_promptId;
    if (m_path.isEmpty() || promptId == 0) {
        beginResetModel();
        m_rubric.reset();
        m_loadedPromptId = 0;
        m_loading = false;
        endResetModel();
        Q_EMIT loaded(0);
        return;
    }
    m_loading = true;
    runQuery<std::optional<RubricRecord>>(
        this, m_path, [promptId](store::ProjectReader &reader) { return reader.rubric(promptId); },
        [this, generation, promptId](Expected<std::optional<RubricRecord>> rubric) {
            if (generation != m_generation)
                return;
            m_loading = false;
            beginResetModel();
            m_loadedPromptId = promptId;
            if (rubric)
                m_rubric = std::move(rubric.value());
            else
                m_rubric.reset();
            endResetModel();
            if (!rubric) {
                qCWarning(lcUi) << "rubric query failed:" << rubric.error().toString();
                Q_EMIT errorOccurred(rubric.error().toString());
            }
            Q_EMIT loaded(promptId);
        });
}

bool RubricTableModel::usesPoints() const
{
    return m_rubric && m_rubric->scoring == QLatin1String("points");
}

double RubricTableModel::maxScore() const
{
    double sum = 0;
    if (m_rubric)
        for (const CriterionRecord &c : m_rubric->criteria)
            sum += qMax(0.0, c.weight);
    return sum;
}

int RubricTableModel::penaltyCount() const
{
    int n = 0;
    if (m_rubric)
        for (const CriterionRecord &c : m_rubric->criteria)
            n += c.weight < 0;
    return n;
}

int RubricTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_rubric ? 0 : int(m_rubric->criteria.size());
}

int RubricTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RubricTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const CriterionRecord &c = m_rubric->criteria[index.row()];
    const int column = index.column();
    const bool penalty = c.weight < 0;
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case IdColumn:
            return c.stableId;
        case CriterionColumn:
            return c.text;
        case WeightColumn:
            return weightText(c.weight);
        case CategoryColumn:
            return c.category;
        case TagsColumn:
            return c.tags.join(QStringLiteral(", "));
        }
        return {};
    case Qt::ToolTipRole:
        if (column == WeightColumn || (penalty && column == CriterionColumn))
            return penalty ? tr("Penalty: a response that meets this criterion loses %1 points")
                                 .arg(weightText(-c.weight))
                   : usesPoints()
                       ? tr("Meeting this criterion earns %1 points").arg(weightText(c.weight))
                       : tr("Weight %1").arg(weightText(c.weight));
        if (column == CriterionColumn)
            return c.text;
        return {};
    case Qt::TextAlignmentRole:
        if (column == WeightColumn)
            return QVariant(Qt::AlignRight | Qt::AlignTop);
        return QVariant(Qt::AlignLeft | Qt::AlignTop);
    case Qt::ForegroundRole:
        if (penalty && (column == WeightColumn || column == CriterionColumn))
            return QBrush(Theme::errorColour());
        return {};
    case Qt::BackgroundRole:
        if (penalty)
            return QBrush(kPenaltyBackground);
        return {};
    case Qt::FontRole:
        if (penalty && column == WeightColumn) {
            QFont f;
            f.setBold(true);
            return f;
        }
        return {};
    case SortRole:
        switch (column) {
        case IdColumn:
            return index.row(); // position: c10 sorts after c9
        case CriterionColumn:
            return c.text.toLower();
        case WeightColumn:
            return c.weight;
        case CategoryColumn:
            return c.category.toLower();
        case TagsColumn:
            return c.tags.join(QLatin1Char(',')).toLower();
        }
        return {};
    case CriterionIdRole:
        return c.stableId;
    case CriterionTextRole:
        return c.text;
    case WeightRole:
        return c.weight;
    case CategoryRole:
        return c.category;
    case TagsRole:
        return c.tags;
    case PenaltyRole:
        return penalty;
    default:
        return {};
    }
}

QVariant RubricTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case IdColumn:
        return tr("Id");
    case CriterionColumn:
        return tr("Criterion");
    case WeightColumn:
        return usesPoints() ? tr("Points") : tr("Weight");
    case CategoryColumn:
        return tr("Category");
    case TagsColumn:
        return tr("Tags");
    }
    return {};
}

} // namespace rs::ui

#include "verdicts/verdictgridmodel.h"

#include "common/asynctask.h"
#include "common/roles.h"
#include "common/uilogging.h"
#include "common/uitext.h"
#include "verdicts/verdictshade.h"
#include "verdicts/verdicttext.h"

#include <QColor>
#include <QFileInfo>
#include <QLocale>

#include <algorithm>

namespace rs::ui {
namespace {
// Fixed hue: a tie at the top must read as a warning in light and dark themes alike.
const QColor kTieBackground(0xf2, 0xb1, 0x34, 110);
constexpr double kUnjudgedSortKey = 1e9;
} // namespace

struct VerdictGridModel::Load final {
    judge::VerdictGrid grid;
    QList<ResponseRecord> responses;
};

VerdictGridModel::VerdictGridModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void VerdictGridModel::setProject(const QString &path)
{
    m_path = path;
    m_promptId = 0;
    m_runChoice = 0;
    m_runs.clear();
    m_runsLoaded = false;
    Q_EMIT runsLoaded();
    loadRuns();
    reloadGrid();
}

void VerdictGridModel::setPrompt(qint64 promptId)
{
    m_promptId = promptId;
    reloadGrid();
}

void VerdictGridModel::setRun(qint64 runId)
{
    if (runId == m_runChoice)
        return;
    m_runChoice = runId;
    reloadGrid();
}

void VerdictGridModel::setMissingPolicy(judge::MissingPolicy policy)
{
    if (policy == m_missing)
        return;
    m_missing = policy;
    reloadGrid(); // same rows and columns, new rewards: updated in place and re-ranked
}

void VerdictGridModel::reload()
{
    loadRuns();
    reloadGrid();
}

void VerdictGridModel::loadRuns()
{
    const quint64 generation = ++m_runsGeneration;
    if (m_path.isEmpty())
        return;
    m_runsLoaded = false;
    runDbQuery<QList<judge::RunInfo>>(
        this, m_path, [](store::Database &db) { return judge::listRuns(db); },
        [this, generation](Expected<QList<judge::RunInfo>> runs) {
            if (generation != m_runsGeneration)
                return;
            m_runsLoaded = true;
            if (runs) {
                m_runs = std::move(runs.value());
            } else {
                m_runs.clear();
                qCWarning(lcUi) << "judge runs query failed:" << runs.error().toString();
                Q_EMIT errorOccurred(runs.error().toString());
            }
            Q_EMIT runsLoaded();
            // A grid asked for while the runs were loading waited for them to pick its run.
            if (m_loading)
                reloadGrid();
        });
}

void VerdictGridModel::reloadGrid()
{
    const quint64 generation = ++m_gridGeneration;
    const qint64 promptId = m_promptId;
    if (m_path.isEmpty() || promptId == 0) {
        m_loading = false;
        beginResetModel();
        m_rows.clear();
        m_records.clear();
        m_grid = {};
        endResetModel();
        Q_EMIT loaded(0);
        return;
    }
    // The old rows stay visible until the new ones arrive: no flash of an empty table.
    m_loading = true;
    if (!m_runsLoaded)
        return; // loadRuns() comes back here
    const bool chosenExists = std::any_of(m_runs.cbegin(), m_runs.cend(),
                                          [this](const auto &r) { return r.id == m_runChoice; });
    const qint64 runId = chosenExists ? m_runChoice : (m_runs.isEmpty() ? 0 : m_runs.first().id);
    runAsync(
        this, queryPool(),
        [path = m_path, promptId, runId, missing = m_missing]() -> Expected<Load> {
            auto db = store::Database::open(path, store::Database::Mode::ReadOnly);
            if (!db)
                return db.error();
            auto grid = judge::loadVerdictGrid(db.value(), promptId, runId, missing);
            if (!grid)
                return grid.error();
            auto reader = store::ProjectReader::open(path);
            if (!reader)
                return reader.error();
            auto responses = reader->responses(promptId);
            if (!responses)
                return responses.error();
            return Load{std::move(grid.value()), std::move(responses.value())};
        },
        [this, generation, promptId](Expected<Load> load) {
            if (generation != m_gridGeneration)
                return;
            m_loading = false;
            if (!load) {
                qCWarning(lcUi) << "verdict grid query failed:" << load.error().toString();
                beginResetModel();
                m_rows.clear();
                m_records.clear();
                m_grid = {};
                m_grid.promptId = promptId;
                endResetModel();
                Q_EMIT errorOccurred(load.error().toString());
                Q_EMIT loaded(promptId);
                return;
            }
            applyGrid(std::move(load.value()));
        });
}

bool VerdictGridModel::sameShape(const judge::VerdictGrid &grid) const
{
    if (grid.promptId != m_grid.promptId || grid.rows.size() != m_rows.size() ||
        grid.criteria.size() != m_grid.criteria.size())
        return false;
    for (qsizetype i = 0; i < grid.criteria.size(); ++i)
        if (grid.criteria[i].stableId != m_grid.criteria[i].stableId ||
            grid.criteria[i].hash != m_grid.criteria[i].hash ||
            grid.criteria[i].text != m_grid.criteria[i].text)
            return false;
    for (const judge::GridRow &r : grid.rows)
        if (rowOfResponse(r.responseId) < 0)
            return false;
    return true;
}

void VerdictGridModel::applyGrid(Load load)
{
    judge::VerdictGrid grid = std::move(load.grid);
    QHash<qint64, ResponseRecord> records;
    for (ResponseRecord &r : load.responses)
        records.insert(r.id, std::move(r));
    if (grid.runId == 0) {
        // Without a run every reward is 0; the tier says more about which response is best.
        std::stable_sort(grid.rows.begin(), grid.rows.end(), [](const auto &a, const auto &b) {
            return tierRank(a.tier) < tierRank(b.tier);
        });
    }
    if (sameShape(grid)) {
        for (judge::GridRow &r : grid.rows)
            m_rows[rowOfResponse(r.responseId)] = std::move(r);
        grid.rows.clear();
        m_grid = std::move(grid);
        m_records = std::move(records);
        if (!m_rows.isEmpty())
            Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1));
        Q_EMIT headerDataChanged(Qt::Horizontal, 0, columnCount() - 1);
    } else {
        beginResetModel();
        m_rows = std::move(grid.rows);
        grid.rows.clear();
        m_grid = std::move(grid);
        m_records = std::move(records);
        endResetModel();
    }
    Q_EMIT loaded(m_grid.promptId);
}

int VerdictGridModel::criterionAt(int column) const
{
    const int c = column - FirstCriterionColumn;
    return c >= 0 && c < criterionCount() ? c : -1;
}

ResponseRecord VerdictGridModel::record(int row) const
{
    return m_records.value(m_rows.at(row).responseId);
}

int VerdictGridModel::rowOfResponse(qint64 responseId) const
{
    for (int i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].responseId == responseId)
            return i;
    return -1;
}

bool VerdictGridModel::isJudged(int row) const
{
    if (m_rows.at(row).holisticScore >= 0) // an implicit rubric's score is a judgement too
        return true;
    const auto &cells = m_rows.at(row).cells;
    return std::any_of(cells.cbegin(), cells.cend(),
                       [](const judge::GridCell &c) { return isDecided(c.state); });
}

bool VerdictGridModel::isTiedAtTop(int row) const
{
    return m_rows.at(row).tiedAtTop && isJudged(row);
}

int VerdictGridModel::tiedAtTopCount() const
{
    int n = 0;
    for (int row = 0; row < m_rows.size(); ++row)
        n += isTiedAtTop(row);
    return n;
}

bool VerdictGridModel::hasShadedCells() const {
    return std::any_of(m_rows.cbegin(), m_rows.cend(), [](const judge::GridRow &r) {
        return std::any_of(r.cells.cbegin(), r.cells.cend(),
                           [](const judge::GridCell &c) { return shadedPYes(c).has_value(); });
    });
}

int VerdictGridModel::tierRank(const QString &tier)
{
    static const QStringList order{QStringLiteral("excellent"), QStringLiteral("great"),
                                   QStringLiteral("good"),      QStringLiteral("ok"),
                                   QStringLiteral("base"),      QStringLiteral("bad")};
    if (tier.isEmpty())
        return int(order.size()) + 1;
    const qsizetype i = order.indexOf(tier.toLower());
    return i < 0 ? int(order.size()) : int(i);
}

int VerdictGridModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int VerdictGridModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : FirstCriterionColumn + criterionCount();
}

QVariant VerdictGridModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const judge::GridRow &r = m_rows[index.row()];
    switch (role) {
    case ResponseIdRole:
        return r.responseId;
    case GeneratorRole:
        return r.generator;
    case TierRole:
        return r.tier;
    case LengthRole:
        return r.length;
    case ResponseTextRole:
        return m_records.value(r.responseId).text;
    case RankRole:
        return isJudged(index.row()) ? QVariant(r.rank) : QVariant();
    case RewardRole:
        return isJudged(index.row()) ? QVariant(r.reward) : QVariant();
    case TiedAtTopRole:
        return isTiedAtTop(index.row());
    default:
        break;
    }
    const int criterion = criterionAt(index.column());
    if (criterion >= 0)
        return cellData(r, criterion, role);
    if (role == CriterionIndexRole)
        return -1;
    return factData(r, index.row(), index.column(), role);
}

QVariant VerdictGridModel::factData(const judge::GridRow &r, int rowIndex, int column,
                                    int role) const
{
    const bool judged = isJudged(rowIndex);
    const QString none = QStringLiteral("—");
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case RankColumn:
            return judged ? QString::number(r.rank) : none;
        case RewardColumn:
            return judged ? rewardText(r.reward) : none;
        case GeneratorColumn:
            return r.generator;
        case TierColumn:
            return r.tier;
        case LengthColumn:
            return QLocale().toString(r.length);
        }
        return {};
    case Qt::ToolTipRole:
        if (column == RankColumn && isTiedAtTop(rowIndex))
            return tr("Tied at the top: %1 responses share the best reward, %2")
                .arg(tiedAtTopCount())
                .arg(rewardText(r.reward));
        if (column == RewardColumn && !judged)
            return m_grid.runId == 0 ? tr("No judge run yet") : tr("Not judged in this run");
        if (column == GeneratorColumn) {
            const QString source = m_records.value(r.responseId).sourceFile;
            return source.isEmpty() ? QString()
                                    : tr("Imported from %1").arg(QFileInfo(source).fileName());
        }
        if (column == LengthColumn)
            return tr("%1 characters").arg(QLocale().toString(r.length));
        return {};
    case Qt::TextAlignmentRole:
        if (column == RankColumn || column == RewardColumn || column == LengthColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::BackgroundRole:
        if (column == RankColumn && isTiedAtTop(rowIndex))
            return kTieBackground;
        return {};
    case SortRole:
        switch (column) {
        case RankColumn:
            // Without a run the rank is the tier's; otherwise unjudged rows go last.
            if (m_grid.runId == 0)
                return tierRank(r.tier);
            return judged ? double(r.rank) : kUnjudgedSortKey;
        case RewardColumn:
            return judged ? r.reward : -1.0;
        case GeneratorColumn:
            return r.generator.toLower();
        case TierColumn:
            return tierRank(r.tier);
        case LengthColumn:
            return r.length;
        }
        return {};
    default:
        return {};
    }
}

QVariant VerdictGridModel::cellData(const judge::GridRow &r, int criterion, int role) const
{
    const judge::GridCell &cell = r.cells.at(criterion);
    const judge::GridCriterion &c = m_grid.criteria.at(criterion);
    switch (role) {
    case Qt::ToolTipRole:
        return cellToolTip(c, cell);
    case Qt::AccessibleTextRole:
        return tr("%1: %2").arg(c.stableId, verdictLine(cell));
    case SortRole: {
        // Met first, then by how many gradings said yes; failed above pending.
        const int votes = cell.yesVotes + cell.noVotes + cell.failedVotes;
        const double share = votes > 0 ? double(cell.yesVotes) / votes : 0.0;
        if (isMet(cell.state))
            return 2.0 + share;
        if (cell.state == judge::CellState::Failed)
            return 0.5;
        return isDecided(cell.state) ? 1.0 + share : 0.0;
    }
    case CriterionIndexRole:
        return criterion;
    case CriterionIdRole:
        return c.stableId;
    case CriterionTextRole:
        return c.text;
    case WeightRole:
        return c.weight;
    case CellStateRole:
        return int(cell.state);
    case YesVotesRole:
        return cell.yesVotes;
    case NoVotesRole:
        return cell.noVotes;
    case FailedVotesRole:
        return cell.failedVotes;
    case RationaleRole:
        return cell.rationale;
    case CallIdRole:
        return cell.callId;
    case OverrideIdRole:
        return cell.overrideId;
    case OverrideNoteRole:
        return cell.overrideNote;
    case PYesRole:
        if (const auto p = shadedPYes(cell))
            return *p;
        return {};
    case VerdictShadeRole:
        if (const auto p = shadedPYes(cell))
            return pYesShade(*p);
        return {};
    default:
        return {};
    }
}

QVariant VerdictGridModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return QAbstractTableModel::headerData(section, orientation, role);
    const int criterion = criterionAt(section);
    if (criterion >= 0) {
        const judge::GridCriterion &c = m_grid.criteria.at(criterion);
        switch (role) {
        case Qt::DisplayRole:
            return c.stableId;
        case Qt::ToolTipRole:
            return tr("%1 · weight %2\n%3").arg(c.stableId, weightText(c.weight), c.text);
        case Qt::TextAlignmentRole:
            return QVariant(Qt::AlignCenter);
        case CriterionIndexRole:
            return criterion;
        case CriterionIdRole:
            return c.stableId;
        case CriterionTextRole:
            return c.text;
        case WeightRole:
            return c.weight;
        default:
            return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case RankColumn:
            return tr("Rank by reward; equal rewards share a rank");
        case RewardColumn:
            return m_grid.scoring == QLatin1String("points")
                       ? tr("Points earned / positive points, clipped to [0, 1]")
                       : tr("Weighted share of criteria met (Σ w·met / Σ w)");
        }
        return {};
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case RankColumn:
        return tr("Rank");
    case RewardColumn:
        return tr("Reward");
    case GeneratorColumn:
        return tr("Generator");
    case TierColumn:
        return tr("Tier");
    case LengthColumn:
        return tr("Length");
    }
    return {};
}

} // namespace rs::ui

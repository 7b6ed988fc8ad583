#include "rubric/criteriaeditmodel.h"

#include "common/roles.h"
#include "common/theme.h"
#include "common/uitext.h"
#include "rubric/checkspec.h"
#include "rubric/rubricdraft.h"

#include <QBrush>
#include <QColor>

#include <algorithm>

namespace rs::ui {
namespace {

const QColor kLintText(0x9c, 0x64, 0x00);
const QColor kLintBackground(0xe5, 0xa5, 0x0a, 40);
const QColor kDeadBackground(0x77, 0x76, 0x7b, 40);

// The check's label for the table, and the shorthand the cell edits.
QString checkCellText(const QString &checkJson, bool forEditing) {
    if (checkJson.isEmpty())
        return forEditing ? QString() : CriteriaEditModel::tr("judge");
    auto spec = rubric::checkFromText(checkJson);
    if (!spec)
        return checkJson;
    return forEditing ? rubric::checkShorthand(spec.value()) : rubric::checkSummary(spec.value());
}

QList<CriterionRecord> records(const QList<rubric::CriterionDraft> &drafts) {
    QList<CriterionRecord> out;
    for (const auto &d : drafts)
        out.push_back(CriterionRecord{0, d.stableId, d.text, d.weight, d.category, d.tags,
                                      d.checkJson, d.veto});
    return out;
}

} // namespace

CriteriaEditModel::CriteriaEditModel(QObject *parent)
    : QAbstractTableModel(parent) {}

void CriteriaEditModel::setDraft(RubricDraft *draft) {
    beginResetModel();
    disconnect(m_connection);
    m_draft = draft;
    m_rows = draft ? int(draft->criteria().size()) : 0;
    if (draft)
        m_connection =
            connect(draft, &RubricDraft::changed, this, &CriteriaEditModel::onDraftChanged);
    relint();
    endResetModel();
}

void CriteriaEditModel::setStats(const rubric::RubricStats &stats) {
    m_stats = stats;
    if (m_rows > 0)
        Q_EMIT dataChanged(index(0, YesRateColumn), index(m_rows - 1, GoldColumn));
}

void CriteriaEditModel::onDraftChanged(bool structural) {
    const int rows = m_draft ? int(m_draft->criteria().size()) : 0;
    if (structural || rows != m_rows) {
        // Rows came, went or moved: a reset is exact and rubrics are small.
        beginResetModel();
        m_rows = rows;
        relint();
        endResetModel();
        return;
    }
    relint();
    if (m_rows > 0)
        Q_EMIT dataChanged(index(0, 0), index(m_rows - 1, ColumnCount - 1));
}

void CriteriaEditModel::relint() {
    m_lint.clear();
    if (m_draft)
        m_lint = rubric::lintCriteria(records(m_draft->criteria()), m_draft->scoring());
}

const rubric::CriterionStats *CriteriaEditModel::statsFor(int row) const {
    const auto &c = m_draft->criteria()[row];
    const rubric::CriterionStats *s = c.stableId.isEmpty() ? nullptr : m_stats.find(c.stableId);
    // Verdicts were for the judged text; after an edit they say nothing about the new one.
    return s && s->text == c.text ? s : nullptr;
}

QStringList CriteriaEditModel::lintFor(int row, bool reasons) const {
    QStringList out;
    for (const auto &i : m_lint)
        if (i.criterion == row)
            out << (reasons ? i.reason : rubric::lintRuleName(i.rule));
    return out;
}

QString CriteriaEditModel::yesRateText(int row) const {
    const auto *s = statsFor(row);
    if (!s || s->overall.judged == 0)
        return {};
    // Best tiers first, as researchers read them; unknown tiers after, alphabetically.
    static const QStringList order{QStringLiteral("excellent"), QStringLiteral("great"),
                                   QStringLiteral("good"),      QStringLiteral("ok"),
                                   QStringLiteral("base"),      QStringLiteral("bad")};
    QStringList tiers = s->byTier.keys();
    std::stable_sort(tiers.begin(), tiers.end(), [](const QString &a, const QString &b) {
        const qsizetype ia = order.indexOf(a.toLower()), ib = order.indexOf(b.toLower());
        return (ia < 0 ? order.size() : ia) < (ib < 0 ? order.size() : ib);
    });
    QStringList parts;
    for (const QString &t : tiers)
        parts << QStringLiteral("%1 %2")
                     .arg(t.isEmpty() ? tr("untiered") : t)
                     .arg(qRound(s->byTier.value(t).rate() * 100));
    return parts.join(QStringLiteral(" · "));
}

int CriteriaEditModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : m_rows;
}

int CriteriaEditModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant CriteriaEditModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid) ||
        !m_draft)
        return {};
    const int row = index.row();
    const rubric::CriterionDraft &c = m_draft->criteria()[row];
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case IdColumn:
            return c.stableId.isEmpty() ? tr("new") : c.stableId;
        case CriterionColumn:
            return c.text;
        case WeightColumn:
            return weightText(c.weight);
        case CategoryColumn:
            return c.category;
        case TagsColumn:
            return c.tags.join(QStringLiteral(", "));
        case CheckColumn:
            return checkCellText(c.checkJson, false);
        case LintColumn: {
            const QStringList rules = lintFor(row, false);
            return rules.isEmpty() ? QString()
                                   : QStringLiteral("⚠ ") + rules.join(QStringLiteral(", "));
        }
        case YesRateColumn:
            return yesRateText(row);
        case DeadColumn: {
            const auto *s = statsFor(row);
            if (!s || !s->dead)
                return {};
            return s->topYes == 0 ? tr("dead: all fail") : tr("dead: all pass");
        }
        case GoldColumn: {
            const auto *s = statsFor(row);
            if (!s || s->gold.pairs() == 0)
                return {};
            const auto rate = s->gold.rate();
            return rate ? tr("%1% (%2/%3)").arg(qRound(*rate * 100)).arg(s->gold.agree).arg(s->gold.decisive())
                        : tr("–"); // separates no pair: the tooltip says so
        }
        }
        return {};
    case Qt::EditRole:
        switch (column) {
        case CriterionColumn:
            return c.text;
        case WeightColumn:
            return c.weight;
        case CategoryColumn:
            return c.category;
        case TagsColumn:
            return c.tags.join(QStringLiteral(", "));
        case CheckColumn:
            return checkCellText(c.checkJson, true);
        }
        return {};
    case Qt::CheckStateRole:
        if (column == VetoColumn)
            return c.veto ? Qt::Checked : Qt::Unchecked;
        return {};
    case Qt::ToolTipRole:
        switch (column) {
        case CriterionColumn:
            return c.text;
        case LintColumn:
        case IdColumn:
            return lintFor(row, true).join(QLatin1Char('\n'));
        case CheckColumn:
            return tr("Decided by code on the response text, never by the judge. Type e.g. "
                      "\"min_words 60\", \"max_chars 900\", \"regex [0-9]\" (regex! = must not "
                      "match), \"contains refund | money back\" (contains! = case-sensitive), "
                      "\"not_contains as an AI\", \"json\", \"markdown headers=1 bullets=2 "
                      "code=0\" or the JSON form; clear it to let the judge decide.");
        case VetoColumn:
            return tr("A veto: when this criterion fails, the reward is capped at the rubric's "
                      "veto cap.");
        case YesRateColumn:
            if (const auto *s = statsFor(row))
                return tr("%1 of %2 judged responses meet it")
                    .arg(s->overall.yes)
                    .arg(s->overall.judged);
            return tr("Not judged with this text yet");
        case DeadColumn:
            if (const auto *s = statsFor(row); s && s->dead)
                return tr("Among the top %1 responses by reward, %2 of %3 judged meet it: it "
                          "cannot tell "
                          "the best responses apart.")
                    .arg(m_stats.topK)
                    .arg(s->topYes)
                    .arg(s->topJudged);
            return {};
        case GoldColumn:
            if (const auto *s = statsFor(row); s && s->gold.pairs() > 0)
                return tr("Over %1 gold preferences of this prompt: passes the preferred response "
                          "and fails the other in %2, the reverse in %3, neither in %4, not "
                          "judged in %5.")
                    .arg(s->gold.pairs())
                    .arg(s->gold.agree)
                    .arg(s->gold.contradict)
                    .arg(s->gold.neutral)
                    .arg(s->gold.unjudged);
            return tr("No gold preference of this prompt was judged with this text");
        }
        return {};
    case Qt::TextAlignmentRole:
        if (column == WeightColumn)
            return QVariant(Qt::AlignRight | Qt::AlignTop);
        return QVariant(Qt::AlignLeft | Qt::AlignTop);
    case Qt::ForegroundRole:
        if (column == LintColumn)
            return QBrush(kLintText);
        if (c.weight < 0 && (column == WeightColumn || column == CriterionColumn))
            return QBrush(Theme::errorColour());
        return {};
    case Qt::BackgroundRole:
        if (column == LintColumn && !lintFor(row, false).isEmpty())
            return QBrush(kLintBackground);
        if (column == DeadColumn) {
            if (const auto *s = statsFor(row); s && s->dead)
                return QBrush(kDeadBackground);
        }
        return {};
    case SortRole:
        return column == IdColumn ? QVariant(row) : data(index, Qt::DisplayRole);
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
        return c.weight < 0;
    case LintRulesRole:
        return lintFor(row, false);
    case LintReasonsRole:
        return lintFor(row, true);
    case YesRatesRole: {
        QVariantMap m;
        if (const auto *s = statsFor(row))
            for (auto it = s->byTier.cbegin(); it != s->byTier.cend(); ++it)
                m.insert(it.key(), it->rate());
        return m;
    }
    case DeadRole: {
        const auto *s = statsFor(row);
        return s && s->dead;
    }
    default:
        return {};
    }
}

bool CriteriaEditModel::setData(const QModelIndex &index, const QVariant &value, int role) {
    if (role == Qt::CheckStateRole && index.column() == VetoColumn && m_draft &&
        checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        m_draft->setVeto(index.row(), value.toInt() == Qt::Checked);
        return true;
    }
    if (role != Qt::EditRole || !m_draft ||
        !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    const int row = index.row();
    switch (index.column()) {
    case CriterionColumn:
        m_draft->setText(row, value.toString());
        return true;
    case WeightColumn: {
        bool ok = false;
        // Accept the minus sign weightText() shows as well as a plain hyphen.
        const double w =
            value.toString().replace(QChar(0x2212), QLatin1Char('-')).trimmed().toDouble(&ok);
        if (!ok)
            return false;
        m_draft->setWeight(row, w);
        return true;
    }
    case CategoryColumn:
        m_draft->setCategory(row, value.toString().trimmed().toLower());
        return true;
    case TagsColumn: {
        QStringList tags;
        for (const QString &t : value.toString().split(QLatin1Char(','), Qt::SkipEmptyParts))
            if (!t.trimmed().isEmpty())
                tags << t.trimmed();
        m_draft->setTags(row, tags);
        return true;
    }
    case CheckColumn: {
        // A check that does not parse is refused; the cell keeps what it had.
        auto spec = rubric::checkFromShorthand(value.toString());
        if (!spec)
            return false;
        m_draft->setCheck(row, spec.value() ? rubric::checkToText(*spec.value()) : QString());
        return true;
    }
    }
    return false;
}

Qt::ItemFlags CriteriaEditModel::flags(const QModelIndex &index) const {
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (index.isValid() && index.column() >= CriterionColumn && index.column() <= CheckColumn)
        f |= Qt::ItemIsEditable;
    if (index.isValid() && index.column() == VetoColumn)
        f |= Qt::ItemIsUserCheckable;
    return f;
}

QVariant CriteriaEditModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case IdColumn:
        return tr("Id");
    case CriterionColumn:
        return tr("Criterion");
    case WeightColumn:
        return m_draft && m_draft->usesPoints() ? tr("Points") : tr("Weight");
    case CategoryColumn:
        return tr("Category");
    case TagsColumn:
        return tr("Tags");
    case CheckColumn:
        return tr("Check");
    case VetoColumn:
        return tr("Veto");
    case LintColumn:
        return tr("Lint");
    case YesRateColumn:
        return tr("Yes % by tier");
    case DeadColumn:
        return tr("Top");
    case GoldColumn:
        return tr("Gold");
    }
    return {};
}

} // namespace rs::ui

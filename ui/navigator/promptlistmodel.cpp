#include "navigator/promptlistmodel.h"

#include "common/asynctask.h"
#include "common/roles.h"
#include "common/uilogging.h"
#include "common/uitext.h"

#include <QLocale>

namespace rs::ui {
namespace {

struct Page {
    qint64 total = -1; ///< -1 when the page did not ask for the count
    QList<PromptSummary> rows;
};

} // namespace

PromptListModel::PromptListModel(QObject *parent)
    : QAbstractListModel(parent)
{
}

void PromptListModel::setProject(const QString &path)
{
    m_path = path;
    reload();
}

void PromptListModel::setFilter(const QString &filter)
{
    if (filter == m_filter)
        return;
    m_filter = filter;
    reload();
}

void PromptListModel::refresh()
{
    reload();
}

void PromptListModel::setPageSize(int rows)
{
    m_pageSize = qMax(1, rows);
}

void PromptListModel::reload()
{
    ++m_generation;
    beginResetModel();
    m_rows.clear();
    m_total = 0;
    m_fetching = false;
    m_loading = false;
    endResetModel();
    if (m_path.isEmpty())
        return;
    m_loading = true;
    requestPage(true);
}

void PromptListModel::requestPage(bool withCount)
{
    m_fetching = true;
    const quint64 generation = m_generation;
    const QString filter = m_filter;
    const qint64 offset = m_rows.size();
    const qint64 limit = m_pageSize;
    runQuery<Page>(
        this, m_path,
        [filter, offset, limit, withCount](store::ProjectReader &reader) -> Expected<Page> {
            Page page;
            if (withCount) {
                auto count = reader.promptCount(filter);
                if (!count)
                    return count.error();
                page.total = count.value();
            }
            auto rows = reader.prompts(filter, offset, limit);
            if (!rows)
                return rows.error();
            page.rows = std::move(rows.value());
            return page;
        },
        [this, generation](Expected<Page> page) {
            if (generation != m_generation)
                return; // the filter or project changed while this page was being read
            // m_fetching stays set until the rows are in: views and testers may call
            // canFetchMore/fetchMore from inside the insert signals, and must not be able to
            // request the same page again from there.
            if (!page) {
                qCWarning(lcUi) << "prompt query failed:" << page.error().toString();
                m_total = m_rows.size();
                m_fetching = false;
                m_loading = false;
                Q_EMIT errorOccurred(page.error().toString());
                Q_EMIT pageLoaded();
                return;
            }
            if (!page->rows.isEmpty()) {
                const int first = int(m_rows.size());
                beginInsertRows({}, first, first + int(page->rows.size()) - 1);
                m_rows.append(page->rows);
                endInsertRows();
            }
            if (page->total >= 0)
                m_total = page->total;
            // A short page means the end, whatever the count said (an import may have raced).
            if (page->rows.size() < m_pageSize)
                m_total = m_rows.size();
            m_total = qMax<qint64>(m_total, m_rows.size());
            m_fetching = false;
            m_loading = false;
            Q_EMIT pageLoaded();
        });
}

int PromptListModel::rowOfPrompt(qint64 promptId) const
{
    for (int i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].id == promptId)
            return i;
    return -1;
}

qint64 PromptListModel::promptIdAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows[row].id : 0;
}

int PromptListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QString PromptListModel::titleFor(const PromptSummary &prompt)
{
    return QStringLiteral("#%1  %2").arg(prompt.id).arg(firstLine(prompt.text));
}

QString PromptListModel::countsFor(const PromptSummary &prompt)
{
    const QString resp = QLocale().toString(prompt.responses) + QLatin1Char(' ') + tr("resp");
    if (prompt.rubricVersion == 0)
        return resp + QStringLiteral(" · ") + tr("no rubric");
    return resp + QStringLiteral(" · ") +
           countText(prompt.criteria, tr("criterion"), tr("criteria")) +
           QStringLiteral(" · v%1").arg(prompt.rubricVersion);
}

QVariant PromptListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const PromptSummary &p = m_rows[index.row()];
    switch (role) {
    case Qt::DisplayRole:
        return titleFor(p);
    case Qt::ToolTipRole:
        return p.text.size() >= 400 ? p.text + QStringLiteral("…") : p.text;
    case SortRole:
    case PromptIdRole:
        return p.id;
    case PromptTextRole:
        return p.text;
    case PromptDatasetRole:
        return p.dataset;
    case ResponseCountRole:
        return p.responses;
    case CriteriaCountRole:
        return p.criteria;
    case RubricVersionsRole:
        return p.rubricVersion;
    case CountsTextRole:
        return countsFor(p);
    default:
        return {};
    }
}

QHash<int, QByteArray> PromptListModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(PromptIdRole, "promptId");
    names.insert(PromptTextRole, "promptText");
    names.insert(ResponseCountRole, "responseCount");
    names.insert(CriteriaCountRole, "criteriaCount");
    names.insert(RubricVersionsRole, "rubricVersions");
    names.insert(CountsTextRole, "countsText");
    return names;
}

bool PromptListModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_fetching && !m_path.isEmpty() && m_rows.size() < m_total;
}

void PromptListModel::fetchMore(const QModelIndex &parent)
{
    if (canFetchMore(parent))
        requestPage(false);
}

} // namespace rs::ui

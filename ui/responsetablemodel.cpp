#include "responsetablemodel.h"

#include "asynctask.h"
#include "roles.h"
#include "uilogging.h"

#include <QBrush>
#include <QFont>
#include <QGuiApplication>
#include <QLocale>
#include <QPalette>
#include <QRegularExpression>

namespace rs::ui {
namespace {
constexpr int kPreviewChars = 240;
constexpr int kToolTipChars = 600;
} // namespace

ResponseTableModel::ResponseTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void ResponseTableModel::setProject(const QString &path)
{
    m_path = path;
    m_promptId = 0;
    reload();
}

void ResponseTableModel::setPrompt(qint64 promptId)
{
    m_promptId = promptId;
    reload();
}

void ResponseTableModel::reload()
{
    const quint64 generation = ++m_generation;
    const qint64 promptId = m_promptId;
    if (m_path.isEmpty() || promptId == 0) {
        beginResetModel();
        m_rows.clear();
        m_loadedPromptId = 0;
        m_loading = false;
        endResetModel();
        Q_EMIT loaded(0);
        return;
    }
    // The old rows stay visible until the new ones arrive: no flash of an empty table.
    m_loading = true;
    runQuery<QList<ResponseRecord>>(
        this, m_path,
        [promptId](store::ProjectReader &reader) { return reader.responses(promptId); },
        [this, generation, promptId](Expected<QList<ResponseRecord>> rows) {
            if (generation != m_generation)
                return;
            m_loading = false;
            beginResetModel();
            m_loadedPromptId = promptId;
            if (rows)
                m_rows = std::move(rows.value());
            else
                m_rows.clear();
            endResetModel();
            if (!rows) {
                qCWarning(lcUi) << "responses query failed:" << rows.error().toString();
                Q_EMIT errorOccurred(rows.error().toString());
            }
            Q_EMIT loaded(promptId);
        });
}

int ResponseTableModel::rowOfResponse(qint64 responseId) const
{
    for (int i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].id == responseId)
            return i;
    return -1;
}

int ResponseTableModel::tierRank(const QString &tier)
{
    static const QStringList order{QStringLiteral("excellent"), QStringLiteral("great"),
                                   QStringLiteral("good"),      QStringLiteral("ok"),
                                   QStringLiteral("base"),      QStringLiteral("bad")};
    if (tier.isEmpty())
        return int(order.size()) + 1;
    const qsizetype i = order.indexOf(tier.toLower());
    return i < 0 ? int(order.size()) : int(i);
}

QString ResponseTableModel::previewText(const QString &text)
{
    // The markers that carry no words (fences, heading hashes, emphasis) only crowd a line
    // that has room for a sentence or two.
    static const QRegularExpression markers(
        QStringLiteral("```[A-Za-z0-9_+-]*|^\\s{0,3}#{1,6}\\s+|\\*\\*|__"),
        QRegularExpression::MultilineOption);
    QString out = text.left(kPreviewChars * 3);
    out.remove(markers);
    out = out.simplified();
    if (out.size() > kPreviewChars)
        out = out.left(kPreviewChars) + QStringLiteral("…");
    return out;
}

int ResponseTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ResponseTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ResponseTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ResponseRecord &r = m_rows[index.row()];
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case GeneratorColumn:
            return r.generator;
        case TierColumn:
            return r.tier;
        case LengthColumn:
            return QLocale().toString(r.length);
        case PreviewColumn:
            return r.empty ? tr("(empty response)") : previewText(r.text);
        }
        return {};
    case Qt::ToolTipRole:
        if (column == PreviewColumn && !r.empty)
            return r.text.size() > kToolTipChars ? r.text.left(kToolTipChars) + QStringLiteral("…")
                                                 : r.text;
        if (column == LengthColumn)
            return tr("%1 characters").arg(QLocale().toString(r.length));
        if (column == GeneratorColumn && !r.sourceFile.isEmpty())
            return tr("Imported from %1").arg(r.sourceFile);
        return {};
    case Qt::TextAlignmentRole:
        if (column == LengthColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::FontRole:
        if (r.empty && column == PreviewColumn) {
            QFont f;
            f.setItalic(true);
            return f;
        }
        return {};
    case Qt::ForegroundRole:
        if (r.empty && column == PreviewColumn)
            return QGuiApplication::palette().brush(QPalette::Disabled, QPalette::Text);
        return {};
    case SortRole:
        switch (column) {
        case GeneratorColumn:
            return r.generator.toLower();
        case TierColumn:
            return tierRank(r.tier);
        case LengthColumn:
            return r.length;
        case PreviewColumn:
            return previewText(r.text).toLower();
        }
        return {};
    case ResponseIdRole:
        return r.id;
    case ResponseTextRole:
        return r.text;
    case GeneratorRole:
        return r.generator;
    case TierRole:
        return r.tier;
    case LengthRole:
        return r.length;
    case SourceFileRole:
        return r.sourceFile;
    case OffPolicyRole:
        return r.offPolicy;
    case EmptyResponseRole:
        return r.empty;
    default:
        return {};
    }
}

QVariant ResponseTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case GeneratorColumn:
        return tr("Generator");
    case TierColumn:
        return tr("Tier");
    case LengthColumn:
        return tr("Length");
    case PreviewColumn:
        return tr("Preview");
    }
    return {};
}

} // namespace rs::ui

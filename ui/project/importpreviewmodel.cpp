#include "project/importpreviewmodel.h"

#include "import/importer.h"
#include "import/recordmapper.h"
#include "import/recordreader.h"
#include "common/roles.h"
#include "common/uitext.h"

#include <QBrush>
#include <QColor>
#include <QJsonDocument>
#include <QJsonObject>

namespace rs::ui {
namespace {
constexpr int kPromptChars = 160;
const QColor kProblemText(0xc0, 0x1c, 0x28);

// Field names a user can map, nested objects spelled with dots as FieldMap expects.
void collectFields(const QJsonObject &object, const QString &prefix, int depth, QStringList &out)
{
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QString name = prefix.isEmpty() ? it.key() : prefix + QLatin1Char('.') + it.key();
        if (it->isObject() && depth < 2)
            collectFields(it->toObject(), name, depth + 1, out);
        else
            out << name;
    }
}

QString clip(const QString &text)
{
    const QString one = text.left(kPromptChars * 2).simplified();
    return one.size() > kPromptChars ? one.left(kPromptChars) + QStringLiteral("…") : one;
}

ImportPreviewModel::Row rowFor(const import::RecordItems &items)
{
    ImportPreviewModel::Row row;
    row.line = items.line;
    row.prompt = clip(QString::fromStdString(items.promptText));
    QStringList responses;
    for (const import::ResponseItem &r : items.responses) {
        QString one = QString::fromStdString(r.generator);
        if (!r.tier.empty())
            one += QStringLiteral(" (%1)").arg(QString::fromStdString(r.tier));
        responses << one;
    }
    row.responses = responses.join(QStringLiteral(", "));
    if (items.rubric) {
        row.rubric = QStringLiteral("%1, %2").arg(countText(qint64(items.rubric->criteria.size()),
                                                            QStringLiteral("criterion"),
                                                            QStringLiteral("criteria")),
                                                  QString::fromStdString(items.rubric->scoring));
    }
    return row;
}

} // namespace

ImportPreviewModel::ImportPreviewModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

Expected<ImportPreviewModel::Preview>
ImportPreviewModel::read(const QString &file, const import::ImportConfig &config, int maxRecords)
{
    Preview preview;
    preview.file = file;
    preview.format = config.format;
    // Detected even when a format is chosen, so the dialog can say when the two disagree.
    if (auto detected = import::detectFormat(file, config))
        preview.detected = detected.value();
    else if (config.format == import::Format::Auto)
        preview.formatProblem = detected.error().toString();
    if (config.format == import::Format::Auto)
        preview.format = preview.detected;

    import::RecordReader reader(file, config.maxRecordBytes);
    auto shape = reader.open();
    if (!shape)
        return shape.error();
    // The importer refuses this combination before reading a record; say so up front.
    if (config.format == import::Format::Jsonl && shape.value() == import::FileShape::Array)
        preview.formatProblem = QStringLiteral("this is a JSON array, not JSONL; choose "
                                               "auto-detect to read arrays");
    std::optional<import::RecordMapper> mapper;
    if (preview.format != import::Format::Auto)
        mapper.emplace(preview.format, config, file);

    import::RawRecord record;
    while (preview.rows.size() < maxRecords) {
        const auto status = reader.next(record);
        if (status == import::RecordReader::Status::End)
            break;
        if (status == import::RecordReader::Status::Error) {
            Row bad;
            bad.line = reader.error().line;
            bad.problem = reader.error().message;
            preview.rows << bad;
            continue;
        }
        if (preview.fields.isEmpty()) {
            const QJsonDocument doc = QJsonDocument::fromJson(
                QByteArray::fromRawData(record.text.data(), qsizetype(record.text.size())));
            collectFields(doc.object(), {}, 0, preview.fields);
        }
        if (!mapper || !preview.formatProblem.isEmpty()) {
            Row row;
            row.line = record.line;
            row.problem = preview.formatProblem;
            preview.rows << row;
            continue;
        }
        auto items = mapper->map(record.text, record.line);
        if (items) {
            preview.rows << rowFor(items.value());
        } else {
            Row row;
            row.line = items.error().line ? items.error().line : record.line;
            row.problem = items.error().message;
            preview.rows << row;
        }
    }
    return preview;
}

void ImportPreviewModel::setPreview(const Preview &preview)
{
    beginResetModel();
    m_preview = preview;
    endResetModel();
}

void ImportPreviewModel::clear()
{
    setPreview({});
}

int ImportPreviewModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_preview.rows.size());
}

int ImportPreviewModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ImportPreviewModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_preview.rows[index.row()];
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
        switch (index.column()) {
        case LineColumn:
            return row.line;
        case PromptColumn:
            return row.prompt;
        case ResponsesColumn:
            return row.responses;
        case RubricColumn:
            return row.rubric;
        case ProblemColumn:
            return row.problem.isEmpty() ? tr("ok") : row.problem;
        }
        return {};
    case Qt::ForegroundRole:
        if (index.column() == ProblemColumn && !row.problem.isEmpty())
            return QBrush(kProblemText);
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == LineColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case RecordLineRole:
        return row.line;
    case RecordProblemRole:
        return row.problem;
    default:
        return {};
    }
}

QVariant ImportPreviewModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case LineColumn:
        return tr("Line");
    case PromptColumn:
        return tr("Prompt");
    case ResponsesColumn:
        return tr("Responses");
    case RubricColumn:
        return tr("Rubric");
    case ProblemColumn:
        return tr("Status");
    }
    return {};
}

} // namespace rs::ui

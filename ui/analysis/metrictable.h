#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <QVariant>

namespace rs::ui {

/// A small table of figures (tail accuracy by region, kappa per criterion, ...) as plain
/// values: the Analysis tab shows it through MetricTableModel and the report writes it as an
/// HTML table. Cells are numbers or text; numbers keep full precision until shown.
struct MetricTable final {
    QString title;
    QStringList headers;
    QList<QVariantList> rows;
    /// Per row, the prompt (and response) behind it, for double-click to open; may be empty.
    QList<qint64> rowPromptIds;
    QString note;
};

/// How a cell reads in the view and the report: integers as is, other numbers to 3 decimals,
/// an invalid value as an em dash.
QString metricCellText(const QVariant &value);

} // namespace rs::ui

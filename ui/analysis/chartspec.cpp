#include "analysis/chartspec.h"

namespace rs::ui {
namespace {

QString csvField(const QString &text)
{
    if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"')) &&
        !text.contains(QLatin1Char('\n')) && !text.contains(QLatin1Char('\r')))
        return text;
    QString quoted = text;
    quoted.replace(QStringLiteral("\""), QStringLiteral("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

QString number(double v)
{
    return QString::number(v, 'g', 10);
}

} // namespace

QString chartCsv(const ChartSpec &spec)
{
    // The axis titles name the x and y columns so a spreadsheet reader knows the units; the
    // category column is only there when the chart has categories.
    const bool categories = !spec.categories.isEmpty();
    QString out = QStringLiteral("series,");
    if (categories)
        out += QStringLiteral("category,");
    out += csvField(spec.xTitle.isEmpty() ? QStringLiteral("x") : spec.xTitle) +
           QLatin1Char(',') + csvField(spec.yTitle.isEmpty() ? QStringLiteral("y") : spec.yTitle) +
           QStringLiteral(",label,prompt_id,response_id\n");
    for (const ChartSeries &series : spec.series) {
        for (const ChartPoint &p : series.points) {
            out += csvField(series.name) + QLatin1Char(',');
            if (categories) {
                const int i = int(p.x);
                out += csvField(i >= 0 && i < spec.categories.size() ? spec.categories.at(i)
                                                                     : QString()) +
                       QLatin1Char(',');
            }
            out += number(p.x) + QLatin1Char(',') + number(p.y) + QLatin1Char(',') +
                   csvField(p.label) + QLatin1Char(',') +
                   (p.promptId ? QString::number(p.promptId) : QString()) + QLatin1Char(',') +
                   (p.responseId ? QString::number(p.responseId) : QString()) +
                   QLatin1Char('\n');
        }
    }
    return out;
}

} // namespace rs::ui

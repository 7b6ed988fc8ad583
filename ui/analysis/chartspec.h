#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace rs::ui {

/// One plotted point and what lies behind it. Ids are 0 when the point is an aggregate (a
/// bin, a tier, a beta) rather than one prompt or response.
struct ChartPoint final {
    double x = 0;
    double y = 0;
    QString label; ///< shown on hover next to the values ("gpt-4o vs claude-3", "c3")
    qint64 promptId = 0;
    qint64 responseId = 0;
    /// The 95% bootstrap interval of y, drawn as an error bar; none for a plain point.
    std::optional<std::pair<double, double>> error;
};

enum class SeriesKind { Line, Scatter, Bars };

struct ChartSeries final {
    QString name;
    SeriesKind kind = SeriesKind::Line;
    QList<ChartPoint> points; ///< for Bars, x is the index into ChartSpec::categories
    /// A marked point on a line (the peak of a training curve): drawn as a larger marker.
    std::optional<int> markedPoint;
};

/// What a chart shows, as plain values: the metric-family views build one from analytics
/// results and ChartPanel draws it, so the CSV export and the tests read the same numbers
/// the user sees.
struct ChartSpec final {
    QString title;
    QString xTitle;
    QString yTitle;
    QList<ChartSeries> series;
    QStringList categories; ///< x-axis categories when any series is Bars
    std::optional<std::pair<double, double>> xRange;
    std::optional<std::pair<double, double>> yRange;
    bool logX = false;
    QString note; ///< one line under the chart: n, the headline figure, why it is empty

    bool isEmpty() const
    {
        for (const ChartSeries &s : series)
            if (!s.points.isEmpty())
                return false;
        return true;
    }
};

/// The chart's data as CSV: one row per point with its series, values, label and ids.
/// Fields are quoted when they hold a comma, quote or line break.
QString chartCsv(const ChartSpec &spec);

} // namespace rs::ui

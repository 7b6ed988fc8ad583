#pragma once

#include "analysis/chartspec.h"

#include <QImage>
#include <QList>
#include <QSize>

class QAbstractSeries;
class QChart;

namespace rs::ui {

/// Screen charts follow the light or dark theme; pictures for files (PNG, SVG, the report) are
/// always light, because they end up in papers and slides whatever the desk looked like.
enum class ChartLook { Screen, Print };

/// Builds the QChart that draws `spec`: titled axes (categories for bar charts, a log axis
/// when asked), the series in order, a legend at the bottom, and a larger marker on each
/// series' marked point. `drawn` receives the QtCharts series made for each spec series, in
/// the spec's order (for bar charts, the one QBarSeries for every bar series).
QChart *buildChart(const ChartSpec &spec, QList<QAbstractSeries *> *drawn = nullptr,
                   ChartLook look = ChartLook::Screen);

/// `spec` drawn at `size`, whatever the size of any panel showing it: for exports and the
/// report. GUI thread only (QtCharts draws through widgets).
QImage renderChartImage(const ChartSpec &spec, QSize size);
/// Writes `spec` drawn at `size` as an SVG file; false when the file cannot be written.
bool renderChartSvg(const ChartSpec &spec, QSize size, const QString &path);

} // namespace rs::ui

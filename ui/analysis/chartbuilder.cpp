#include "analysis/chartbuilder.h"

#include "common/theme.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QCoreApplication>
#include <QFile>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QPainter>
#include <QScatterSeries>
#include <QSvgGenerator>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>

namespace rs::ui {
namespace {

// A fixed palette so that "initial" and "refined" keep their colours across every chart of
// a report, whichever order the series come in.
const QList<QColor> kPalette = {QColor(0x1f, 0x77, 0xb4), QColor(0xd6, 0x27, 0x28),
                                QColor(0x2c, 0xa0, 0x2c), QColor(0xff, 0x7f, 0x0e),
                                QColor(0x94, 0x67, 0xbd), QColor(0x8c, 0x56, 0x4b),
                                QColor(0x17, 0xbe, 0xcf), QColor(0x7f, 0x7f, 0x7f)};

struct Range final {
    double lo = std::numeric_limits<double>::max();
    double hi = std::numeric_limits<double>::lowest();
    void add(double v)
    {
        if (!std::isfinite(v))
            return;
        lo = std::min(lo, v);
        hi = std::max(hi, v);
    }
    bool valid() const { return lo <= hi; }
};

QValueAxis *valueAxis(const QString &title, const Range &data,
                      const std::optional<std::pair<double, double>> &fixed)
{
    auto *axis = new QValueAxis;
    axis->setTitleText(title);
    if (fixed) {
        axis->setRange(fixed->first, fixed->second);
        // A range padded past its data (-0.05..1.05 keeps points on 0 and 1 off the frame,
        // where they are hard to see and to click) still gets round ticks anchored at zero.
        const double raw = (fixed->second - fixed->first) / 4;
        const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
        double step = magnitude;
        for (double f : {1.0, 2.0, 2.5, 5.0, 10.0})
            if (f * magnitude >= raw) {
                step = f * magnitude;
                break;
            }
        axis->setTickType(QValueAxis::TicksDynamic);
        axis->setTickAnchor(0);
        axis->setTickInterval(step);
    } else if (data.valid()) {
        // A little air around the data so points on the edge stay visible and clickable.
        const double pad = data.hi > data.lo ? (data.hi - data.lo) * 0.05 : 0.5;
        // Quantities that cannot be negative (KL, lengths, counts) keep zero as their floor.
        axis->setRange(data.lo >= 0 ? std::max(0.0, data.lo - pad) : data.lo - pad, data.hi + pad);
        axis->applyNiceNumbers();
    } else {
        axis->setRange(0, 1);
    }
    axis->setLabelFormat(QStringLiteral("%.3g"));
    return axis;
}

// A chart view laid out at `size` without appearing on screen.
std::unique_ptr<QChartView> offscreenView(const ChartSpec &spec, QSize size)
{
    auto view = std::make_unique<QChartView>(buildChart(spec, nullptr, ChartLook::Print));
    view->setRenderHint(QPainter::Antialiasing);
    // A print picture is light edge to edge: the chart's rounded corners show the view, whose
    // palette follows the theme.
    view->setBackgroundBrush(Qt::white);
    view->setAttribute(Qt::WA_DontShowOnScreen);
    view->resize(size);
    view->show();
    // QChart lays itself out on posted LayoutRequest events: deliver them before painting.
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
    return view;
}

} // namespace

QChart *buildChart(const ChartSpec &spec, QList<QAbstractSeries *> *drawn, ChartLook look)
{
    auto *chart = new QChart;
    // The theme first: setTheme() recolours every series already added.
    chart->setTheme(look == ChartLook::Screen && Theme::isDark() ? QChart::ChartThemeDark
                                                                 : QChart::ChartThemeLight);
    chart->setTitle(spec.title);
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(6, 6, 6, 6));
    QFont titleFont = chart->titleFont();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.1);
    chart->setTitleFont(titleFont);

    const bool bars = std::any_of(spec.series.begin(), spec.series.end(),
                                  [](const ChartSeries &s) { return s.kind == SeriesKind::Bars; });
    Range xs, ys;
    QBarSeries *barSeries = nullptr;
    QList<QAbstractSeries *> made;
    QList<QAbstractSeries *> overlays;
    QList<QAbstractSeries *> errorBars; // drawn, but not in the legend
    const auto barSets = std::count_if(spec.series.begin(), spec.series.end(),
                                       [](const ChartSeries &s) { return s.kind == SeriesKind::Bars; });
    int barSet = 0;
    int colour = 0;
    for (const ChartSeries &s : spec.series) {
        const QColor c = kPalette.at(colour++ % kPalette.size());
        // Bars of several sets stand side by side within the category's half width; an
        // error bar goes over the middle of its own bar.
        const double shift = s.kind == SeriesKind::Bars && barSets > 0
                                 ? (-0.5 + (barSet++ + 0.5) / double(barSets)) * 0.5
                                 : 0.0;
        for (const ChartPoint &p : s.points) {
            xs.add(p.x);
            ys.add(p.y);
            if (!p.error)
                continue;
            ys.add(p.error->first);
            ys.add(p.error->second);
            auto *bar = new QLineSeries;
            QPen pen(c.darker(160));
            pen.setWidthF(2.0);
            bar->setPen(pen);
            bar->setName(QObject::tr("%1 95% interval").arg(s.name));
            bar->append(p.x + shift, p.error->first);
            bar->append(p.x + shift, p.error->second);
            errorBars.append(bar);
        }
        if (s.kind == SeriesKind::Bars) {
            if (!barSeries)
                barSeries = new QBarSeries;
            auto *set = new QBarSet(s.name);
            set->setColor(c);
            QList<qreal> values(spec.categories.size(), 0.0);
            for (const ChartPoint &p : s.points)
                if (int(p.x) >= 0 && int(p.x) < values.size())
                    values[int(p.x)] = p.y;
            set->append(values);
            barSeries->append(set);
            made.append(barSeries);
            continue;
        }
        QXYSeries *xy = nullptr;
        if (s.kind == SeriesKind::Scatter) {
            auto *scatter = new QScatterSeries;
            scatter->setMarkerSize(9);
            scatter->setBorderColor(c.darker(130));
            xy = scatter;
        } else {
            auto *line = new QLineSeries;
            QPen pen(c);
            pen.setWidthF(2.0);
            line->setPen(pen);
            // Short lines get visible vertices: they are what hover and click pick.
            line->setPointsVisible(s.points.size() <= 40);
            xy = line;
        }
        xy->setName(s.name);
        xy->setColor(c);
        for (const ChartPoint &p : s.points)
            xy->append(p.x, p.y);
        made.append(xy);
        if (s.markedPoint && *s.markedPoint >= 0 && *s.markedPoint < s.points.size()) {
            auto *mark = new QScatterSeries;
            mark->setName(QObject::tr("%1 (peak)").arg(s.name));
            mark->setMarkerShape(QScatterSeries::MarkerShapeRectangle);
            mark->setMarkerSize(14);
            mark->setColor(c.lighter(130));
            mark->setBorderColor(Qt::black);
            const ChartPoint &p = s.points.at(*s.markedPoint);
            mark->append(p.x, p.y);
            overlays.append(mark);
        }
    }
    for (QAbstractSeries *series : made)
        if (!chart->series().contains(series))
            chart->addSeries(series);
    for (QAbstractSeries *series : overlays)
        chart->addSeries(series);
    for (QAbstractSeries *series : errorBars) {
        chart->addSeries(series);
        for (QLegendMarker *marker : chart->legend()->markers(series))
            marker->setVisible(false);
    }

    QAbstractAxis *xAxis = nullptr;
    if (bars) {
        auto *axis = new QBarCategoryAxis;
        axis->append(spec.categories);
        axis->setTitleText(spec.xTitle);
        // Many categories side by side elide to "…" when horizontal: turn them instead.
        if (spec.categories.size() > 6)
            axis->setLabelsAngle(-90);
        xAxis = axis;
    } else if (spec.logX) {
        auto *axis = new QLogValueAxis;
        axis->setTitleText(spec.xTitle);
        axis->setBase(10);
        axis->setLabelFormat(QStringLiteral("%g"));
        if (spec.xRange)
            axis->setRange(spec.xRange->first, spec.xRange->second);
        xAxis = axis;
    } else {
        xAxis = valueAxis(spec.xTitle, xs, spec.xRange);
    }
    Range yData = ys;
    if (bars)
        yData.add(0); // bars grow from zero
    QValueAxis *yAxis = valueAxis(spec.yTitle, yData, spec.yRange);
    chart->addAxis(xAxis, Qt::AlignBottom);
    chart->addAxis(yAxis, Qt::AlignLeft);
    for (QAbstractSeries *series : chart->series()) {
        series->attachAxis(xAxis);
        series->attachAxis(yAxis);
    }
    if (drawn)
        *drawn = made;
    return chart;
}

QImage renderChartImage(const ChartSpec &spec, QSize size)
{
    return offscreenView(spec, size)->grab().toImage();
}

bool renderChartSvg(const ChartSpec &spec, QSize size, const QString &path)
{
    auto view = offscreenView(spec, size);
    QSvgGenerator svg;
    svg.setFileName(path);
    svg.setSize(size);
    svg.setViewBox(QRect(QPoint(0, 0), size));
    svg.setTitle(spec.title);
    svg.setDescription(QStringLiteral("Rubric Studio chart"));
    QPainter painter;
    if (!painter.begin(&svg))
        return false;
    view->render(&painter);
    painter.end();
    return QFile::exists(path);
}

} // namespace rs::ui

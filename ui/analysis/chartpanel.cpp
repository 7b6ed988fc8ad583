#include "analysis/chartpanel.h"

#include "analysis/chartbuilder.h"
#include "analysis/reportwriter.h"

#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QCursor>
#include <QEvent>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QRegularExpression>
#include <QSaveFile>
#include <QToolButton>
#include <QToolTip>
#include <QVBoxLayout>
#include <QXYSeries>

#include <cmath>

namespace rs::ui {
ChartPanel::ChartPanel(QWidget *parent)
    : QWidget(parent)
{
    m_view = new QChartView(buildChart({}), this);
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setMinimumSize(260, 220);

    m_value = new QLabel(this);
    m_value->setTextFormat(Qt::PlainText);
    m_value->setObjectName(QStringLiteral("chartValue"));
    m_busy = new QLabel(tr("Computing…"), this);
    m_busy->setVisible(false);
    m_note = new QLabel(this);
    m_note->setWordWrap(true);
    m_note->setTextFormat(Qt::PlainText);
    m_note->setStyleSheet(QStringLiteral("color: palette(mid);"));

    m_export = new QToolButton(this);
    m_export->setText(tr("Export"));
    m_export->setPopupMode(QToolButton::InstantPopup);
    auto *menu = new QMenu(m_export);
    menu->addAction(tr("Picture (PNG)…"), this, [this] {
        exportWithDialog(tr("PNG images (*.png)"), QStringLiteral("png"));
    });
    menu->addAction(tr("Vector picture (SVG)…"), this, [this] {
        exportWithDialog(tr("SVG images (*.svg)"), QStringLiteral("svg"));
    });
    menu->addAction(tr("Data (CSV)…"), this, [this] {
        exportWithDialog(tr("CSV files (*.csv)"), QStringLiteral("csv"));
    });
    m_export->setMenu(menu);

    auto *top = new QHBoxLayout;
    top->setContentsMargins(0, 0, 0, 0);
    top->addWidget(m_value, 1);
    top->addWidget(m_busy);
    top->addWidget(m_export);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addLayout(top);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_note);
}

QChart *ChartPanel::chart() const
{
    return m_view->chart();
}

void ChartPanel::setSpec(ChartSpec spec)
{
    m_spec = std::move(spec);
    rebuild();
}

void ChartPanel::setBusy(bool busy)
{
    m_busy->setVisible(busy);
}

void ChartPanel::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    // A QChart keeps the theme it was built with: redraw it in the new light or dark one.
    if (event->type() == QEvent::PaletteChange)
        rebuild();
}

void ChartPanel::rebuild()
{
    QChart *old = m_view->chart();
    m_drawn.clear();
    m_view->setChart(buildChart(m_spec, &m_drawn));
    delete old; // setChart leaves the old chart to us
    m_value->clear();
    m_note->setText(m_spec.isEmpty() && m_spec.note.isEmpty() ? tr("No data yet.") : m_spec.note);

    int barSet = 0;
    for (int i = 0; i < m_drawn.size(); ++i) {
        if (auto *xy = qobject_cast<QXYSeries *>(m_drawn.at(i))) {
            connect(xy, &QXYSeries::hovered, this, [this, i](const QPointF &at, bool entered) {
                hover(i, nearestPoint(i, at).value_or(-1), entered);
            });
            connect(xy, &QXYSeries::clicked, this, [this, i](const QPointF &at) {
                if (auto point = nearestPoint(i, at))
                    activatePoint(i, *point);
            });
        } else if (auto *bars = qobject_cast<QBarSeries *>(m_drawn.at(i))) {
            // Every bar series of the spec shares one QBarSeries: its sets are in spec order.
            QBarSet *set = bars->barSets().value(barSet++);
            auto pointAt = [this, i](int category) {
                const QList<ChartPoint> &points = m_spec.series.at(i).points;
                for (int p = 0; p < points.size(); ++p)
                    if (int(points.at(p).x) == category)
                        return p;
                return -1;
            };
            connect(bars, &QBarSeries::hovered, this,
                    [this, i, set, pointAt](bool entered, int index, QBarSet *hit) {
                        if (hit == set)
                            hover(i, pointAt(index), entered);
                    });
            connect(bars, &QBarSeries::clicked, this,
                    [this, i, set, pointAt](int index, QBarSet *hit) {
                        if (hit == set && pointAt(index) >= 0)
                            activatePoint(i, pointAt(index));
                    });
        }
    }
}

std::optional<int> ChartPanel::nearestPoint(int series, QPointF value) const
{
    if (series < 0 || series >= m_spec.series.size())
        return std::nullopt;
    const QList<ChartPoint> &points = m_spec.series.at(series).points;
    double xSpan = 0, ySpan = 0;
    for (const ChartSeries &s : m_spec.series)
        for (const ChartPoint &p : s.points) {
            xSpan = std::max(xSpan, std::abs(p.x - value.x()));
            ySpan = std::max(ySpan, std::abs(p.y - value.y()));
        }
    xSpan = xSpan > 0 ? xSpan : 1;
    ySpan = ySpan > 0 ? ySpan : 1;
    std::optional<int> best;
    double bestDistance = 0;
    for (int i = 0; i < points.size(); ++i) {
        const double dx = (points.at(i).x - value.x()) / xSpan;
        const double dy = (points.at(i).y - value.y()) / ySpan;
        const double d = dx * dx + dy * dy;
        if (!best || d < bestDistance) {
            best = i;
            bestDistance = d;
        }
    }
    return best;
}

QString ChartPanel::describe(int series, int point) const
{
    const ChartSeries &s = m_spec.series.at(series);
    const ChartPoint &p = s.points.at(point);
    QString x = QString::number(p.x, 'g', 4);
    if (s.kind == SeriesKind::Bars && int(p.x) >= 0 && int(p.x) < m_spec.categories.size())
        x = m_spec.categories.at(int(p.x));
    QString text = s.name + QStringLiteral(" — ");
    if (!p.label.isEmpty())
        text += p.label + QStringLiteral(" — ");
    text += QStringLiteral("%1: %2, %3: %4")
                .arg(m_spec.xTitle.isEmpty() ? QStringLiteral("x") : m_spec.xTitle, x,
                     m_spec.yTitle.isEmpty() ? QStringLiteral("y") : m_spec.yTitle,
                     QString::number(p.y, 'g', 4));
    if (p.responseId || p.promptId)
        text += tr(" (click to open)");
    return text;
}

void ChartPanel::hover(int series, int point, bool entered)
{
    if (!entered || point < 0) {
        m_value->clear();
        QToolTip::hideText();
        Q_EMIT hoverTextChanged({});
        return;
    }
    const QString text = describe(series, point);
    m_value->setText(text);
    QToolTip::showText(QCursor::pos(), text, m_view);
    Q_EMIT hoverTextChanged(text);
}

void ChartPanel::activatePoint(int series, int point)
{
    if (series < 0 || series >= m_spec.series.size() || point < 0 ||
        point >= m_spec.series.at(series).points.size())
        return;
    const ChartPoint &p = m_spec.series.at(series).points.at(point);
    m_value->setText(describe(series, point));
    if (p.promptId || p.responseId)
        Q_EMIT pointActivated(p.promptId, p.responseId);
}

QPoint ChartPanel::viewportPosition(int series, int point) const
{
    if (series < 0 || series >= m_drawn.size())
        return {};
    const ChartPoint &p = m_spec.series.at(series).points.at(point);
    const QPointF scene = chart()->mapToPosition(QPointF(p.x, p.y), m_drawn.at(series));
    return m_view->mapFromScene(chart()->mapToScene(scene));
}

QImage ChartPanel::renderImage(QSize size) const
{
    return renderChartImage(m_spec, size);
}

Expected<void> ChartPanel::exportPng(const QString &path) const
{
    const QImage image = renderImage();
    if (image.isNull() || !image.save(path, "PNG"))
        return fileWriteError(path, tr("the picture could not be saved"));
    return {};
}

Expected<void> ChartPanel::exportSvg(const QString &path) const
{
    if (!renderChartSvg(m_spec, kExportSize, path))
        return fileWriteError(path, tr("the file could not be written"));
    return {};
}

Expected<void> ChartPanel::exportCsv(const QString &path) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Text))
        return fileWriteError(path, file.errorString());
    file.write(chartCsv(m_spec).toUtf8());
    if (!file.commit())
        return fileWriteError(path, file.errorString());
    return {};
}

void ChartPanel::exportWithDialog(const QString &filter, const QString &suffix)
{
    QString base = m_spec.title.isEmpty() ? QStringLiteral("chart") : m_spec.title;
    base.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9_-]+")), QStringLiteral("-"));
    QString path = QFileDialog::getSaveFileName(this, tr("Export Chart"),
                                                base.toLower() + QLatin1Char('.') + suffix, filter);
    if (path.isEmpty())
        return;
    if (!path.endsWith(QLatin1Char('.') + suffix, Qt::CaseInsensitive))
        path += QLatin1Char('.') + suffix;
    const Expected<void> written = suffix == QLatin1String("png")   ? exportPng(path)
                                   : suffix == QLatin1String("svg") ? exportSvg(path)
                                                                    : exportCsv(path);
    m_value->setText(written ? tr("Saved %1").arg(path) : written.error().message);
}

} // namespace rs::ui

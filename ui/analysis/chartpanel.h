#pragma once

#include "analysis/chartspec.h"
#include "common/error.h"

#include <QImage>
#include <QWidget>

#include <optional>

class QAbstractSeries;
class QChart;
class QChartView;
class QLabel;
class QToolButton;

namespace rs::ui {

/// One chart of the Analysis tab: draws a ChartSpec in a QChartView, shows the values of the
/// point under the mouse, turns a click on a point into pointActivated(prompt, response), and
/// exports the picture (PNG, SVG) and the data (CSV).
///
/// The metric-family views never touch QtCharts: they hand this panel a ChartSpec, which is
/// also what the CSV export writes, so the file holds exactly the plotted numbers.
class ChartPanel final : public QWidget {
    Q_OBJECT

public:
    static constexpr QSize kExportSize{960, 560};

    explicit ChartPanel(QWidget *parent = nullptr);

    void setSpec(ChartSpec spec);
    const ChartSpec &spec() const { return m_spec; }
    /// "Computing…" over the chart while a newer result is on its way (the old one stays).
    void setBusy(bool busy);

    QChartView *chartView() const { return m_view; }
    QChart *chart() const;
    QLabel *valueLabel() const { return m_value; }
    QToolButton *exportButton() const { return m_export; }

    /// The chart drawn at `size` (the widget's own size is not used), for exports and the report.
    QImage renderImage(QSize size = kExportSize) const;
    Expected<void> exportPng(const QString &path) const;
    Expected<void> exportSvg(const QString &path) const;
    Expected<void> exportCsv(const QString &path) const;

    /// The point of series `series` nearest to `value` (in data coordinates, each axis scaled
    /// by its range so that a tall, narrow cloud still picks the visually nearest point).
    std::optional<int> nearestPoint(int series, QPointF value) const;
    /// What a click on point `point` of series `series` does: emits pointActivated when the
    /// point stands for a prompt or a response.
    void activatePoint(int series, int point);
    /// Where point `point` of series `series` is drawn, in the chart view's viewport.
    QPoint viewportPosition(int series, int point) const;

Q_SIGNALS:
    /// A point behind which there is a prompt (and maybe a response) was clicked.
    void pointActivated(qint64 promptId, qint64 responseId);
    /// The hover text changed (empty when the mouse left the points).
    void hoverTextChanged(const QString &text);

protected:
    void changeEvent(QEvent *event) override;

private:
    void rebuild();
    void hover(int series, int point, bool entered);
    QString describe(int series, int point) const;
    void exportWithDialog(const QString &filter, const QString &suffix);

    ChartSpec m_spec;
    QChartView *m_view = nullptr;
    QLabel *m_value = nullptr;
    QLabel *m_note = nullptr;
    QLabel *m_busy = nullptr;
    QToolButton *m_export = nullptr;
    /// The QtCharts series drawn for each spec series (the marked-point overlay excluded).
    QList<QAbstractSeries *> m_drawn;
};

} // namespace rs::ui

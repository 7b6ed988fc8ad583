#pragma once

#include <QWidget>

namespace rs::ui {

/// The key of the heatmap's P(yes) shading, for the grid's toolbar: "P(yes) 0 ▭▭▭ 1" drawn
/// with the scale the soft cells are filled with (pYesShade). The Responses panel shows it
/// only while the grid has shaded cells.
class PYesLegend final : public QWidget {
    Q_OBJECT

public:
    explicit PYesLegend(QWidget *parent = nullptr);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override { return sizeHint(); }

protected:
    void paintEvent(QPaintEvent *event) override;
};

} // namespace rs::ui

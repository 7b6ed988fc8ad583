#pragma once

#include "analysis/chartspec.h"
#include "common/error.h"
#include "analysis/metrictable.h"

#include <QImage>
#include <QList>
#include <QString>

namespace rs::ui {

/// One part of the project report: a heading, a sentence on what it shows, its charts and
/// its tables.
struct ReportSection final {
    QString title;
    QString summary;
    QList<ChartSpec> charts;
    QList<MetricTable> tables;
};

/// Writes the project report: an HTML file that stands alone (charts embedded as PNG data
/// URLs, no remote content) and the same content as a PDF through QPdfWriter.
///
/// Charts are drawn when the report is written, on the GUI thread (QtCharts needs widgets);
/// the figures themselves were computed on workers before.
class ReportWriter final {
public:
    static constexpr QSize kChartSize{900, 500};

    explicit ReportWriter(QString projectName);

    void setSubtitle(const QString &subtitle) { m_subtitle = subtitle; }
    void addSection(ReportSection section);
    const QList<ReportSection> &sections() const { return m_sections; }

    /// The report as standalone HTML.
    QString html() const;
    Expected<void> writeHtml(const QString &path) const;
    /// An A4 PDF of the same content.
    Expected<void> writePdf(const QString &path) const;

private:
    enum class Images { DataUrls, Resources };
    QString render(Images images) const;
    void renderImages() const;

    QString m_project;
    QString m_subtitle;
    QList<ReportSection> m_sections;
    /// One picture per chart of every section, in order; drawn once, on first use.
    mutable QList<QImage> m_images;
};

/// "Cannot write PATH: WHY", the error of every chart and report export.
Error fileWriteError(const QString &path, const QString &why);

} // namespace rs::ui

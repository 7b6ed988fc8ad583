#include "analysis/reportwriter.h"

#include "analysis/chartbuilder.h"

#include <QBuffer>
#include <QDateTime>
#include <QFile>
#include <QPageLayout>
#include <QPageSize>
#include <QPdfWriter>
#include <QSaveFile>
#include <QTextDocument>
#include <QUrl>

namespace rs::ui {
namespace {

QString imageName(int index)
{
    return QStringLiteral("chart-%1.png").arg(index);
}

QString tableHtml(const MetricTable &table)
{
    QString out;
    if (!table.title.isEmpty())
        out += QStringLiteral("<h3>%1</h3>\n").arg(table.title.toHtmlEscaped());
    out += QStringLiteral("<table class=\"metrics\" border=\"1\" cellspacing=\"0\" "
                          "cellpadding=\"4\">\n<tr>");
    for (const QString &h : table.headers)
        out += QStringLiteral("<th>%1</th>").arg(h.toHtmlEscaped());
    out += QStringLiteral("</tr>\n");
    for (const QVariantList &row : table.rows) {
        out += QStringLiteral("<tr>");
        for (int c = 0; c < table.headers.size(); ++c) {
            const QVariant v = row.value(c);
            const bool number = v.typeId() != QMetaType::QString && v.isValid();
            out += QStringLiteral("<td%1>%2</td>")
                       .arg(number ? QStringLiteral(" align=\"right\"") : QString(),
                            metricCellText(v).toHtmlEscaped());
        }
        out += QStringLiteral("</tr>\n");
    }
    out += QStringLiteral("</table>\n");
    if (!table.note.isEmpty())
        out += QStringLiteral("<p class=\"note\">%1</p>\n").arg(table.note.toHtmlEscaped());
    return out;
}

} // namespace

ReportWriter::ReportWriter(QString projectName)
    : m_project(std::move(projectName))
{
}

void ReportWriter::addSection(ReportSection section)
{
    m_sections.append(std::move(section));
    m_images.clear();
}

void ReportWriter::renderImages() const
{
    if (!m_images.isEmpty())
        return;
    for (const ReportSection &section : m_sections)
        for (const ChartSpec &chart : section.charts)
            m_images.append(renderChartImage(chart, kChartSize));
}

QString ReportWriter::render(Images images) const
{
    renderImages();
    QString out = QStringLiteral(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n<title>%1</title>\n"
        "<style>body{font-family:sans-serif;max-width:960px;margin:auto;color:#222}"
        "table.metrics{border-collapse:collapse;margin:6px 0}"
        "table.metrics th{background:#eef}p.note{color:#666;font-size:small}"
        "img{max-width:100%}</style>\n</head><body>\n")
                      .arg(QObject::tr("Rubric Studio report: %1").arg(m_project).toHtmlEscaped());
    out += QStringLiteral("<h1>%1</h1>\n").arg(m_project.toHtmlEscaped());
    out += QStringLiteral("<p>%1</p>\n")
               .arg(QObject::tr("Tail analytics report, %1. %2")
                        .arg(QDateTime::currentDateTimeUtc().toString(Qt::ISODate), m_subtitle)
                        .toHtmlEscaped());
    int imageIndex = 0;
    for (const ReportSection &section : m_sections) {
        out += QStringLiteral("<h2>%1</h2>\n").arg(section.title.toHtmlEscaped());
        if (!section.summary.isEmpty())
            out += QStringLiteral("<p>%1</p>\n").arg(section.summary.toHtmlEscaped());
        for (const ChartSpec &chart : section.charts) {
            const int i = imageIndex++;
            QString src = imageName(i);
            if (images == Images::DataUrls) {
                QByteArray png;
                QBuffer buffer(&png);
                buffer.open(QIODevice::WriteOnly);
                m_images.at(i).save(&buffer, "PNG");
                src = QStringLiteral("data:image/png;base64,") + QString::fromLatin1(png.toBase64());
            }
            // Fixed width: QTextDocument (the PDF) draws images at their pixel size otherwise.
            out += QStringLiteral("<p><img src=\"%1\" width=\"640\" alt=\"%2\"></p>\n")
                       .arg(src, chart.title.toHtmlEscaped());
            if (!chart.note.isEmpty())
                out += QStringLiteral("<p class=\"note\">%1</p>\n").arg(chart.note.toHtmlEscaped());
        }
        for (const MetricTable &table : section.tables)
            out += tableHtml(table);
    }
    out += QStringLiteral("</body></html>\n");
    return out;
}

QString ReportWriter::html() const
{
    return render(Images::DataUrls);
}

Expected<void> ReportWriter::writeHtml(const QString &path) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return fileWriteError(path, file.errorString());
    file.write(html().toUtf8());
    if (!file.commit())
        return fileWriteError(path, file.errorString());
    return {};
}

Expected<void> ReportWriter::writePdf(const QString &path) const
{
    // QTextDocument does not decode data URLs: the PDF names its pictures and hands them over
    // as document resources instead.
    QTextDocument document;
    renderImages();
    for (int i = 0; i < m_images.size(); ++i)
        document.addResource(QTextDocument::ImageResource, QUrl(imageName(i)), m_images.at(i));
    document.setHtml(render(Images::Resources));

    {
        // The file is complete when the writer goes away.
        QPdfWriter pdf(path);
        pdf.setTitle(QObject::tr("Rubric Studio report: %1").arg(m_project));
        pdf.setCreator(QStringLiteral("Rubric Studio"));
        pdf.setPageSize(QPageSize(QPageSize::A4));
        pdf.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout::Millimeter);
        document.print(&pdf);
    }
    QFile check(path);
    if (!check.exists() || check.size() == 0)
        return fileWriteError(path, QObject::tr("the PDF is empty"));
    return {};
}

Error fileWriteError(const QString &path, const QString &why) {
    return makeError(QObject::tr("Cannot write %1: %2").arg(path, why));
}

} // namespace rs::ui

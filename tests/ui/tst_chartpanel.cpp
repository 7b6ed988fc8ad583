// The Analysis tab's building blocks, offscreen: a chart panel draws what its spec holds
// (series names, point counts, titled axes, ranges), exports a PNG, a well-formed SVG and a
// CSV whose rows are the plotted points, and turns a click on a point into the prompt and
// response behind it; the metric table model passes the model tester; the report holds the
// tables and embedded charts as HTML and writes a PDF.

#include "analysis/chartbuilder.h"
#include "analysis/chartpanel.h"
#include "analysis/metrictablemodel.h"
#include "analysis/reportwriter.h"
#include "common/roles.h"

#include <QAbstractItemModelTester>
#include <QAbstractSeries>
#include <QBarCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QFile>
#include <QLabel>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QValueAxis>
#include <QXYSeries>
#include <QXmlStreamReader>

using namespace rs;
using namespace rs::ui;

namespace {

ChartSpec scatterAndLine()
{
    ChartSpec spec;
    spec.title = QStringLiteral("Reward vs length");
    spec.xTitle = QStringLiteral("length (chars)");
    spec.yTitle = QStringLiteral("reward");
    spec.yRange = std::make_pair(0.0, 1.0);
    ChartSeries scatter{QStringLiteral("responses"), SeriesKind::Scatter, {}, {}};
    scatter.points = {{100, 0.2, QStringLiteral("gen-a"), 1, 11},
                      {400, 0.5, QStringLiteral("gen-b, \"quoted\""), 1, 12},
                      {900, 0.9, QStringLiteral("gen-c"), 2, 21}};
    ChartSeries line{QStringLiteral("trend"), SeriesKind::Line, {}, 1};
    line.points = {{100, 0.25, {}, 0, 0}, {900, 0.85, {}, 0, 0}};
    spec.series = {scatter, line};
    spec.note = QStringLiteral("n = 3");
    return spec;
}

QStringList csvLines(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return {};
    return QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
}

} // namespace

class TestChartPanel final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void panel_drawsTheSpecsSeriesAndTitledAxes();
    void barChart_usesTheCategoriesOnX();
    void export_writesPngSvgAndCsvOfThePlottedPoints();
    void clickOnPoint_emitsItsPromptAndResponse();
    void clickOnAggregatePoint_emitsNothing();
    void metricTableModel_passesTheTesterAndFormatsNumbers();
    void report_holdsTablesAndChartsAndWritesPdf();
};

void TestChartPanel::panel_drawsTheSpecsSeriesAndTitledAxes()
{
    ChartPanel panel;
    panel.setSpec(scatterAndLine());
    QChart *chart = panel.chart();
    QCOMPARE(chart->title(), QStringLiteral("Reward vs length"));
    // The two series and the marked peak of the line.
    QCOMPARE(chart->series().size(), 3);
    auto *scatter = qobject_cast<QXYSeries *>(chart->series().at(0));
    auto *line = qobject_cast<QXYSeries *>(chart->series().at(1));
    QVERIFY(scatter && line);
    QCOMPARE(scatter->name(), QStringLiteral("responses"));
    QCOMPARE(scatter->count(), 3);
    QCOMPARE(line->name(), QStringLiteral("trend"));
    QCOMPARE(line->count(), 2);
    QCOMPARE(chart->series().at(2)->name(), QStringLiteral("trend (peak)"));

    auto *x = qobject_cast<QValueAxis *>(chart->axes(Qt::Horizontal).value(0));
    auto *y = qobject_cast<QValueAxis *>(chart->axes(Qt::Vertical).value(0));
    QVERIFY(x && y);
    QCOMPARE(x->titleText(), QStringLiteral("length (chars)"));
    QCOMPARE(y->titleText(), QStringLiteral("reward"));
    QCOMPARE(y->min(), 0.0);
    QCOMPARE(y->max(), 1.0);
    // Free axes cover every point.
    QVERIFY(x->min() <= 100 && x->max() >= 900);
}

void TestChartPanel::barChart_usesTheCategoriesOnX()
{
    ChartSpec spec;
    spec.title = QStringLiteral("Yes-rate by tier");
    spec.xTitle = QStringLiteral("criterion");
    spec.yTitle = QStringLiteral("yes-rate");
    spec.categories = {QStringLiteral("c1"), QStringLiteral("c2"), QStringLiteral("c3")};
    spec.series = {{QStringLiteral("great"), SeriesKind::Bars, {{0, 0.9}, {1, 0.5}, {2, 0.1}}, {}},
                   {QStringLiteral("good"), SeriesKind::Bars, {{0, 0.4}, {2, 0.2}}, {}}};
    ChartPanel panel;
    panel.setSpec(spec);
    auto *x = qobject_cast<QBarCategoryAxis *>(panel.chart()->axes(Qt::Horizontal).value(0));
    QVERIFY(x);
    QCOMPARE(x->categories(), spec.categories);
    QCOMPARE(x->titleText(), QStringLiteral("criterion"));
    auto *y = qobject_cast<QValueAxis *>(panel.chart()->axes(Qt::Vertical).value(0));
    QVERIFY(y->min() <= 0.0 && y->max() >= 0.9);
    // The CSV names the category of every bar.
    const QStringList rows = chartCsv(spec).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(rows.size(), 6);
    QCOMPARE(rows.at(0), QStringLiteral("series,category,criterion,yes-rate,label,prompt_id,response_id"));
    QCOMPARE(rows.at(5), QStringLiteral("good,c3,2,0.2,,,"));
}

void TestChartPanel::export_writesPngSvgAndCsvOfThePlottedPoints()
{
    QTemporaryDir dir;
    ChartPanel panel;
    panel.setSpec(scatterAndLine());

    const QString png = dir.filePath(QStringLiteral("chart.png"));
    QVERIFY(panel.exportPng(png));
    QImage image(png);
    QCOMPARE(image.size(), ChartPanel::kExportSize);
    // Not a blank picture: the chart draws in more than one colour.
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 7)
        for (int x = 0; x < image.width(); x += 7)
            colours.insert(image.pixel(x, y));
    QVERIFY2(colours.size() > 10, qPrintable(QString::number(colours.size())));

    const QString svg = dir.filePath(QStringLiteral("chart.svg"));
    QVERIFY(panel.exportSvg(svg));
    QFile svgFile(svg);
    QVERIFY(svgFile.open(QIODevice::ReadOnly));
    QXmlStreamReader xml(&svgFile);
    QString root;
    int elements = 0;
    while (!xml.atEnd()) {
        if (xml.readNext() == QXmlStreamReader::StartElement) {
            if (root.isEmpty())
                root = xml.name().toString();
            ++elements;
        }
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    QCOMPARE(root, QStringLiteral("svg"));
    QVERIFY(elements > 20);

    const QString csv = dir.filePath(QStringLiteral("chart.csv"));
    QVERIFY(panel.exportCsv(csv));
    const QStringList rows = csvLines(csv);
    QCOMPARE(rows.size(), 1 + 3 + 2);
    QCOMPARE(rows.at(0), QStringLiteral("series,length (chars),reward,label,prompt_id,response_id"));
    QCOMPARE(rows.at(1), QStringLiteral("responses,100,0.2,gen-a,1,11"));
    QCOMPARE(rows.at(2), QStringLiteral("responses,400,0.5,\"gen-b, \"\"quoted\"\"\",1,12"));
    QCOMPARE(rows.at(5), QStringLiteral("trend,900,0.85,,,"));
}

void TestChartPanel::clickOnPoint_emitsItsPromptAndResponse()
{
    ChartPanel panel;
    panel.resize(800, 500);
    panel.setSpec(scatterAndLine());
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QSignalSpy activated(&panel, &ChartPanel::pointActivated);
    const QPoint at = panel.viewportPosition(0, 2);
    QVERIFY(panel.chartView()->viewport()->rect().contains(at));
    QTest::mouseClick(panel.chartView()->viewport(), Qt::LeftButton, {}, at);
    QTRY_COMPARE(activated.size(), 1);
    QCOMPARE(activated.at(0).at(0).toLongLong(), 2);
    QCOMPARE(activated.at(0).at(1).toLongLong(), 21);
    // The value label says what was picked.
    QVERIFY2(panel.valueLabel()->text().contains(QStringLiteral("gen-c")),
             qPrintable(panel.valueLabel()->text()));
}

void TestChartPanel::clickOnAggregatePoint_emitsNothing()
{
    ChartPanel panel;
    panel.setSpec(scatterAndLine());
    QSignalSpy activated(&panel, &ChartPanel::pointActivated);
    panel.activatePoint(1, 0); // a trend point: nothing to open
    QCOMPARE(activated.size(), 0);
    QVERIFY(panel.valueLabel()->text().contains(QStringLiteral("trend")));
    panel.activatePoint(0, 1);
    QCOMPARE(activated.size(), 1);
    QCOMPARE(activated.at(0).at(1).toLongLong(), 12);
    QCOMPARE(panel.nearestPoint(0, QPointF(380, 0.45)), std::optional<int>(1));
}

void TestChartPanel::metricTableModel_passesTheTesterAndFormatsNumbers()
{
    MetricTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    MetricTable table;
    table.title = QStringLiteral("Tail accuracy");
    table.headers = {QStringLiteral("region"), QStringLiteral("accuracy"), QStringLiteral("pairs")};
    table.rows = {{QStringLiteral("high"), 0.40312, 124}, {QStringLiteral("low"), QVariant(), 0}};
    table.rowPromptIds = {0, 0};
    model.setTable(table);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.columnCount(), 3);
    QCOMPARE(model.headerData(1, Qt::Horizontal).toString(), QStringLiteral("accuracy"));
    QCOMPARE(model.index(0, 1).data().toString(), QStringLiteral("0.403"));
    QCOMPARE(model.index(0, 1).data(SortRole).toDouble(), 0.40312);
    QCOMPARE(model.index(0, 2).data().toString(), QStringLiteral("124"));
    QCOMPARE(model.index(1, 1).data().toString(), QStringLiteral("—"));
    model.setTable({});
    QCOMPARE(model.rowCount(), 0);
}

void TestChartPanel::report_holdsTablesAndChartsAndWritesPdf()
{
    QTemporaryDir dir;
    ReportWriter report(QStringLiteral("demo.rubrics"));
    MetricTable table;
    table.title = QStringLiteral("Tail accuracy");
    table.headers = {QStringLiteral("region"), QStringLiteral("accuracy")};
    table.rows = {{QStringLiteral("high <top>"), 0.492}, {QStringLiteral("low"), 0.7}};
    report.addSection({QStringLiteral("Tail accuracy"), QStringLiteral("Pairs with a gold preference."),
                       {scatterAndLine()}, {table}});
    const QString html = report.html();
    QVERIFY(html.contains(QStringLiteral("<h2>Tail accuracy</h2>")));
    QVERIFY(html.contains(QStringLiteral("<th>accuracy</th>")));
    QVERIFY(html.contains(QStringLiteral("<td>high &lt;top&gt;</td>")));
    QVERIFY(html.contains(QStringLiteral("0.492")));
    QVERIFY(html.contains(QStringLiteral("<img src=\"data:image/png;base64,")));
    QVERIFY(!html.contains(QStringLiteral("http")));

    const QString htmlPath = dir.filePath(QStringLiteral("report.html"));
    QVERIFY(report.writeHtml(htmlPath));
    QVERIFY(QFileInfo(htmlPath).size() > 10000); // the embedded chart
    const QString pdfPath = dir.filePath(QStringLiteral("report.pdf"));
    QVERIFY(report.writePdf(pdfPath));
    QFile pdf(pdfPath);
    QVERIFY(pdf.open(QIODevice::ReadOnly));
    const QByteArray bytes = pdf.readAll();
    QVERIFY(bytes.startsWith("%PDF"));
    QVERIFY(bytes.size() > 5000);
}

QTEST_MAIN(TestChartPanel)
#include "tst_chartpanel.moc"

// rs-icon-render SVG OUTDIR SIZE...: renders the application icon into OUTDIR/SIZExSIZE.png at
// build time, so the SVG stays the only icon source in the repository.
#include <QDir>
#include <QGuiApplication>
#include <QImage>
#include <QPainter>
#include <QSvgRenderer>

#include <cstdio>

int main(int argc, char **argv)
{
    QGuiApplication app(argc, argv);
    const QStringList args = QGuiApplication::arguments();
    if (args.size() < 4) {
        std::fprintf(stderr, "usage: rs-icon-render SVG OUTDIR SIZE...\n");
        return 2;
    }
    QSvgRenderer svg(args.at(1));
    if (!svg.isValid()) {
        std::fprintf(stderr, "rs-icon-render: cannot read %s\n", qPrintable(args.at(1)));
        return 1;
    }
    for (const QString &s : args.mid(3)) {
        const int size = s.toInt();
        QImage image(size, size, QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::transparent);
        QPainter painter(&image);
        painter.setRenderHint(QPainter::Antialiasing);
        svg.render(&painter);
        painter.end();
        const QString dir = args.at(2) + QStringLiteral("/%1x%1/apps").arg(size);
        QDir().mkpath(dir);
        if (!image.save(dir + QStringLiteral("/rubric-studio.png"))) {
            std::fprintf(stderr, "rs-icon-render: cannot write %s\n", qPrintable(dir));
            return 1;
        }
    }
    return 0;
}

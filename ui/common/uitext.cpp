#include "common/uitext.h"

#include <QLocale>
#include <QStringList>

#include <cmath>

namespace rs::ui {

QString countText(qint64 n, const QString &one, const QString &many)
{
    return QLocale().toString(n) + QLatin1Char(' ') + (n == 1 ? one : many);
}

QString weightText(double weight)
{
    const double magnitude = std::abs(weight);
    QString digits = magnitude == std::floor(magnitude) ? QString::number(qint64(magnitude))
                                                        : QString::number(magnitude, 'g', 4);
    return weight < 0 ? QString(QChar(0x2212)) + digits : digits;
}

QString durationText(qint64 seconds)
{
    seconds = qMax<qint64>(0, seconds);
    const qint64 h = seconds / 3600;
    const qint64 m = (seconds % 3600) / 60;
    const qint64 s = seconds % 60;
    if (h > 0)
        return QStringLiteral("%1:%2:%3")
            .arg(h)
            .arg(m, 2, 10, QLatin1Char('0'))
            .arg(s, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2").arg(m).arg(s, 2, 10, QLatin1Char('0'));
}

QString firstLine(const QString &text)
{
    qsizetype start = 0;
    while (start < text.size()) {
        qsizetype end = text.indexOf(QLatin1Char('\n'), start);
        if (end < 0)
            end = text.size();
        const QString line = text.mid(start, end - start).trimmed();
        if (!line.isEmpty())
            return line;
        start = end + 1;
    }
    return {};
}

} // namespace rs::ui

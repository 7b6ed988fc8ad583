#include "rubric/advantagechart.h"

#include <QObject>

#include <algorithm>
#include <cmath>

namespace rs::ui {

ChartSpec advantageChart(const std::vector<analytics::ResponseOutcome> &current,
                         const std::vector<analytics::ResponseOutcome> &candidate,
                         const QString &candidateName) {
    ChartSpec spec;
    spec.yTitle = QObject::tr("GRPO advantage");
    if (current.empty()) {
        spec.note = QObject::tr("No judged responses for this prompt.");
        return spec;
    }
    const auto series = [](const QString &name,
                           const std::vector<analytics::ResponseOutcome> &rows) {
        ChartSeries s{name, SeriesKind::Bars, {}, std::nullopt};
        for (std::size_t i = 0; i < rows.size(); ++i)
            s.points.append(ChartPoint{double(i), rows[i].advantage,
                                       QObject::tr("#%1 %2, reward %3")
                                           .arg(rows[i].responseId)
                                           .arg(rows[i].generator)
                                           .arg(rows[i].reward, 0, 'f', 3),
                                       0, rows[i].responseId, std::nullopt});
        return s;
    };
    double extent = 0.5;
    for (const auto *rows : {&current, &candidate})
        for (const analytics::ResponseOutcome &r : *rows)
            extent = std::max(extent, std::fabs(r.advantage));
    for (const analytics::ResponseOutcome &r : current)
        spec.categories << QStringLiteral("#%1").arg(r.responseId);
    spec.series.append(series(QObject::tr("current"), current));
    if (!candidateName.isEmpty() && candidate.size() == current.size())
        spec.series.append(series(candidateName, candidate));
    // Symmetric, so "above the line" reads as "pushed up" whatever the candidate.
    const double top = std::ceil(extent * 2) / 2;
    spec.yRange = std::make_pair(-top, top);
    bool allZero = true;
    for (const ChartSeries &s : spec.series)
        for (const ChartPoint &p : s.points)
            allZero = allZero && p.y == 0;
    spec.note = allZero ? QObject::tr("Every response gets the same reward: a GRPO step learns "
                                      "nothing from this prompt.")
                        : QObject::tr("Advantage = (reward − mean) / (std + 1e-6) over this "
                                      "prompt's responses; the top tier is bold in the table.");
    return spec;
}

} // namespace rs::ui

#include "judgecascade.h"

#include "currentcriteria.h"
#include "derivedrun.h"
#include "store/database.h"
#include "store/projectstore.h"
#include "verdicttally.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace rs::judge {
namespace {

Expected<VerdictTally> tallyOf(store::Database &db, qint64 run) {
    TallyOptions to;
    to.runId = run;
    return VerdictTally::load(db, to);
}

bool uncertain(const VerdictTally &t, std::size_t cell, double margin) {
    const auto p = t.judgePYes(cell);
    if (!p || !t.judgeVerdict(cell))
        return true; // no verdict (a tie, failures): the strong judge decides
    return std::abs(*p - 0.5) < margin; // an even split (P = 0.5) is within any margin > 0
}

// Calls `visit(response, criterion, cell)` for every judged cell of the tally.
template <typename Visit>
void forJudgedCells(const VerdictTally &t, Visit visit) {
    for (const TallyResponse &r : t.responses()) {
        const TallyPrompt *p = t.promptOf(r);
        if (!p)
            continue;
        for (int k = 0; k < p->count; ++k) {
            const std::size_t cell = r.firstCell + std::size_t(k);
            if (!t.isCheck(cell))
                visit(r, t.criterion(r, k), cell);
        }
    }
}

} // namespace

Expected<UncertainCells> uncertainCells(store::Database &db, qint64 cheapRun, double margin) {
    auto t = tallyOf(db, cheapRun);
    if (!t)
        return t.error();
    if (t->run().id == 0)
        return makeError(QStringLiteral("the project has no judge run to cascade from"));
    UncertainCells out;
    forJudgedCells(t.value(), [&](const TallyResponse &r, const TallyCriterion &c, std::size_t cell) {
        ++out.judged;
        if (uncertain(t.value(), cell, margin))
            out.cells.insert({r.responseId, c.stableId});
    });
    return out;
}

Expected<std::vector<CascadePoint>> cascadeCurve(store::Database &db, qint64 cheapRun,
                                                 qint64 strongRun, const std::vector<double> &margins) {
    auto cheap = tallyOf(db, cheapRun);
    if (!cheap)
        return cheap.error();
    std::optional<VerdictTally> strong;
    if (strongRun != 0) {
        auto s = tallyOf(db, strongRun);
        if (!s)
            return s.error();
        if (s->responses().size() != cheap->responses().size() ||
            s->criteria().size() != cheap->criteria().size())
            return makeError(QStringLiteral("the project changed while the runs were read; try again"));
        strong = std::move(s.value());
    }
    std::vector<CascadePoint> out;
    for (const double margin : margins) {
        CascadePoint pt;
        pt.margin = margin;
        qint64 judged = 0, agree = 0;
        forJudgedCells(cheap.value(), [&](const TallyResponse &, const TallyCriterion &, std::size_t cell) {
            ++judged;
            const bool up = uncertain(cheap.value(), cell, margin);
            pt.escalated += up;
            if (!strong)
                return;
            const auto s = strong->judgeVerdict(cell);
            if (!s)
                return;
            const auto mine = up ? s : cheap->judgeVerdict(cell);
            if (!mine)
                return;
            ++pt.compared;
            agree += *mine == *s;
        });
        pt.share = judged ? double(pt.escalated) / double(judged) : 0;
        if (pt.compared)
            pt.agreement = double(agree) / double(pt.compared);
        out.push_back(pt);
    }
    return out;
}

Expected<CascadeResult> combineCascade(store::ProjectStore &store, store::Database &db,
                                       qint64 cheapRun, qint64 strongRun, double margin) {
    if (cheapRun <= 0 || strongRun <= 0 || cheapRun == strongRun)
        return makeError(QStringLiteral("a cascade needs a cheap run and a different strong run"));
    auto cheap = tallyOf(db, cheapRun);
    if (!cheap)
        return cheap.error();
    auto strong = tallyOf(db, strongRun);
    if (!strong)
        return strong.error();
    if (cheap->run().showWeights != strong->run().showWeights)
        return makeError(QStringLiteral("runs %1 and %2 differ in showing weights: they judged "
                                        "different criteria").arg(cheapRun).arg(strongRun));
    if (strong->responses().size() != cheap->responses().size() ||
        strong->criteria().size() != cheap->criteria().size())
        return makeError(QStringLiteral("the project changed while the runs were read; try again"));

    std::vector<DerivedVerdict> rows;
    CascadeResult out;
    forJudgedCells(cheap.value(), [&](const TallyResponse &r, const TallyCriterion &c, std::size_t cell) {
        ++out.judged;
        std::optional<bool> v;
        QString why;
        if (uncertain(cheap.value(), cell, margin)) {
            ++out.escalated;
            v = strong->judgeVerdict(cell);
            if (v) {
                ++out.fromStrong;
                why = QStringLiteral("strong judge (run %1)").arg(strongRun);
            } else {
                ++out.unresolved;
                why = QStringLiteral("uncertain, and the strong run has no verdict");
            }
        } else {
            v = cheap->judgeVerdict(cell);
            why = QStringLiteral("cheap judge (run %1), P(yes) %2")
                      .arg(cheapRun)
                      .arg(cheap->judgePYes(cell).value_or(0.5), 0, 'f', 3);
        }
        rows.push_back({r.responseId, c.hash, c.stableId,
                        v ? (*v ? QStringLiteral("yes") : QStringLiteral("no")) : QStringLiteral("error"),
                        why});
    });

    const QString params = QString::fromUtf8(
        QJsonDocument(QJsonObject{{QStringLiteral("cheap"), cheapRun},
                                  {QStringLiteral("strong"), strongRun},
                                  {QStringLiteral("margin"), margin}})
            .toJson(QJsonDocument::Compact));
    auto model = db.prepare("SELECT (SELECT model FROM judge_runs WHERE id = ?1) || ' → ' ||"
                            " (SELECT model FROM judge_runs WHERE id = ?2),"
                            " (SELECT mode FROM judge_runs WHERE id = ?1)");
    if (!model)
        return model.error();
    model->bind(1, std::int64_t(cheapRun));
    model->bind(2, std::int64_t(strongRun));
    if (auto row = model->step(); !row || !*row)
        return makeError(QStringLiteral("cannot read the runs' models"));
    const QString models = QStringLiteral("cascade: ") + model->columnText(0);
    const QString mode = model->columnText(1);
    auto runId = writeDerivedRun(
        store,
        DerivedRun{QStringLiteral("cascade"),
                   QStringLiteral("cascade %1→%2 at %3").arg(cheapRun).arg(strongRun).arg(margin),
                   models, mode, cheap->run().showWeights, params},
        rows);
    if (!runId)
        return runId.error();
    out.runId = runId.value();
    return out;
}

} // namespace rs::judge

#include "judgepanel.h"

#include "common/kappa.h"
#include "currentcriteria.h"
#include "derivedrun.h"
#include "store/database.h"
#include "store/projectstore.h"
#include "verdicttally.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>

#include <algorithm>
#include <array>

namespace rs::judge {
namespace {

constexpr int kMinMembers = 2;
constexpr int kMaxMembers = 5;

} // namespace

QString panelTiesName(PanelTies t) {
    return t == PanelTies::No ? QStringLiteral("no") : QStringLiteral("missing");
}

std::optional<PanelTies> panelTiesFromName(const QString &name) {
    if (name == QLatin1String("no"))
        return PanelTies::No;
    if (name == QLatin1String("missing"))
        return PanelTies::Missing;
    return std::nullopt;
}

Expected<PanelResult> combinePanel(store::ProjectStore &store, store::Database &db,
                                   const PanelOptions &options) {
    const auto &ids = options.members;
    if (int(ids.size()) < kMinMembers || int(ids.size()) > kMaxMembers)
        return makeError(QStringLiteral("a panel has 2 to 5 member runs, not %1").arg(ids.size()));
    for (std::size_t i = 0; i < ids.size(); ++i)
        for (std::size_t j = i + 1; j < ids.size(); ++j)
            if (ids[i] == ids[j])
                return makeError(QStringLiteral("run %1 is named twice").arg(ids[i]));

    std::vector<VerdictTally> tallies;
    PanelResult out;
    QStringList models;
    RunSettings first;
    QString mode;
    for (const qint64 id : ids) {
        auto run = resolveRun(db, id);
        if (!run)
            return run.error();
        if (tallies.empty())
            first = run.value();
        else if (run->showWeights != first.showWeights)
            return makeError(QStringLiteral("run %1 shows the judge the weights and run %2 does not: "
                                            "a panel's members judge the same criteria")
                                 .arg(first.showWeights ? ids.front() : id)
                                 .arg(first.showWeights ? id : ids.front()));
        auto st = db.prepare("SELECT model, mode, provider FROM judge_runs WHERE id = ?1");
        if (!st)
            return st.error();
        st->bind(1, std::int64_t(id));
        if (auto row = st->step(); !row || !*row)
            return makeError(QStringLiteral("no judge run %1").arg(id));
        if (st->columnText(2) == QLatin1String("panel"))
            return makeError(QStringLiteral("run %1 is a panel itself").arg(id));
        const QString model = st->columnText(0);
        if (models.contains(model))
            return makeError(QStringLiteral("runs %1 and %2 used the same model %3: a panel's "
                                            "members are different models")
                                 .arg(ids[std::size_t(models.indexOf(model))])
                                 .arg(id)
                                 .arg(model));
        models << model;
        if (mode.isEmpty())
            mode = st->columnText(1);
        TallyOptions to;
        to.runId = id;
        auto tally = VerdictTally::load(db, to);
        if (!tally)
            return tally.error();
        if (!tallies.empty() && (tally->responses().size() != tallies.front().responses().size() ||
                                 tally->criteria().size() != tallies.front().criteria().size()))
            return makeError(QStringLiteral("the project changed while the panel was read; try again"));
        tallies.push_back(std::move(tally.value()));
        out.members.push_back(PanelMember{id, model, 0, 0, std::nullopt, std::nullopt});
    }

    const int M = int(tallies.size());
    const VerdictTally &t0 = tallies.front();
    std::vector<DerivedVerdict> rows;
    std::vector<std::array<double, 4>> tables(std::size_t(M), std::array<double, 4>{});
    std::vector<qint64> agree(std::size_t(M), 0);
    for (const TallyResponse &r : t0.responses()) {
        const TallyPrompt *p = t0.promptOf(r);
        if (!p)
            continue;
        for (int k = 0; k < p->count; ++k) {
            const std::size_t cell = r.firstCell + std::size_t(k);
            if (t0.isCheck(cell))
                continue;
            ++out.cells;
            int yes = 0, no = 0;
            std::vector<std::optional<bool>> said;
            QStringList votes;
            for (int m = 0; m < M; ++m) {
                const auto v = tallies[std::size_t(m)].judgeVerdict(cell);
                said.push_back(v);
                if (v) {
                    (*v ? yes : no) += 1;
                    ++out.members[std::size_t(m)].answered;
                }
                votes << QStringLiteral("%1: %2").arg(models[m], v ? (*v ? QStringLiteral("yes") : QStringLiteral("no"))
                                                                   : QStringLiteral("none"));
            }
            std::optional<bool> panel;
            QString why;
            if (2 * yes > M)
                panel = true;
            else if (2 * no > M)
                panel = false;
            else if (yes + no == M) { // an even split with every member answering
                ++out.ties;
                if (options.ties == PanelTies::No)
                    panel = false;
                else
                    why = QStringLiteral("panel tie");
            } else {
                ++out.incomplete;
                why = QStringLiteral("panel incomplete (%1 of %2 answered)").arg(yes + no).arg(M);
            }
            if (panel) {
                ++out.decided;
                for (int m = 0; m < M; ++m)
                    if (const auto &v = said[std::size_t(m)]) {
                        auto &tab = tables[std::size_t(m)];
                        tab[*v ? (*panel ? 0 : 1) : (*panel ? 2 : 3)] += 1;
                        agree[std::size_t(m)] += *v == *panel;
                    }
            }
            const TallyCriterion &c = t0.criterion(r, k);
            rows.push_back(DerivedVerdict{r.responseId, c.hash, c.stableId,
                               panel ? (*panel ? QStringLiteral("yes") : QStringLiteral("no"))
                                     : QStringLiteral("error"),
                               (why.isEmpty() ? QString() : why + QStringLiteral(". ")) +
                                   votes.join(QStringLiteral("; "))});
        }
    }
    for (int m = 0; m < M; ++m) {
        PanelMember &pm = out.members[std::size_t(m)];
        const auto &tab = tables[std::size_t(m)];
        pm.compared = qint64(tab[0] + tab[1] + tab[2] + tab[3]);
        if (pm.compared > 0)
            pm.agreement = double(agree[std::size_t(m)]) / double(pm.compared);
        pm.kappa = kappaOfTable(tab);
    }

    QJsonArray memberIds;
    QStringList idText;
    for (const qint64 id : ids) {
        memberIds.push_back(id);
        idText << QString::number(id);
    }
    const QString params = QString::fromUtf8(
        QJsonDocument(QJsonObject{{QStringLiteral("members"), memberIds},
                                  {QStringLiteral("ties"), panelTiesName(options.ties)}})
            .toJson(QJsonDocument::Compact));
    const QString name = options.name.isEmpty()
                             ? QStringLiteral("panel %1").arg(idText.join(QLatin1Char(',')))
                             : options.name;
    const QString model = QStringLiteral("panel: ") + models.join(QStringLiteral(" + "));
    auto runId = writeDerivedRun(store, DerivedRun{QStringLiteral("panel"), name, model, mode,
                                                   first.showWeights, params},
                                 rows);
    if (!runId)
        return runId.error();
    out.runId = runId.value();
    return out;
}

} // namespace rs::judge

#include "cliargs.h"
#include "clioutput.h"
#include "judge/judgepanel.h"
#include "judgecommands.h"
#include "store/database.h"
#include "store/projectstore.h"
#include "usage.h"

#include <nlohmann/json.hpp>

namespace rs::cli {

int runJudgePanel(const QStringList &argv) {
    QString parseError;
    auto parsed = parseArgs(argv, {QStringLiteral("--runs"), QStringLiteral("--ties"), QStringLiteral("--name")},
                            &parseError);
    if (!parsed)
        return usageError(parseError + QLatin1Char('\n') + usage("judge-panel"));
    const Args &a = *parsed;
    if (const QString bad = unknownFlag(a, {QStringLiteral("--json")}); !bad.isEmpty())
        return usageError(QStringLiteral("unknown option %1\n%2").arg(bad, usage("judge-panel")));
    if (a.positional.size() != 1 || !a.has(QStringLiteral("--runs")))
        return usageError(usage("judge-panel"));
    judge::PanelOptions o;
    for (const QString &id : a.value(QStringLiteral("--runs")).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        bool ok = false;
        const qint64 run = id.trimmed().toLongLong(&ok);
        if (!ok || run <= 0)
            return usageError(QStringLiteral("--runs takes judge run ids: A,B[,C...]\n"));
        o.members.push_back(run);
    }
    if (a.has(QStringLiteral("--ties"))) {
        const auto ties = judge::panelTiesFromName(a.value(QStringLiteral("--ties")));
        if (!ties)
            return usageError(QStringLiteral("--ties takes missing or no\n"));
        o.ties = *ties;
    }
    o.name = a.value(QStringLiteral("--name"));
    auto project = openProject(a.positional.first());
    if (!project)
        return fail(project.error());
    auto r = judge::combinePanel(*project->store, project->db, o);
    if (!r)
        return fail(r.error());
    if (a.flags.contains(QStringLiteral("--json"))) {
        nlohmann::json members = nlohmann::json::array();
        for (const judge::PanelMember &m : r->members)
            members.push_back({{"run_id", m.runId},
                               {"model", m.model.toStdString()},
                               {"answered", m.answered},
                               {"compared", m.compared},
                               {"agreement", m.agreement ? nlohmann::json(*m.agreement) : nlohmann::json(nullptr)},
                               {"kappa", m.kappa ? nlohmann::json(*m.kappa) : nlohmann::json(nullptr)}});
        out(QString::fromStdString(nlohmann::json{{"run_id", r->runId},
                                                  {"cells", r->cells},
                                                  {"decided", r->decided},
                                                  {"ties", r->ties},
                                                  {"incomplete", r->incomplete},
                                                  {"tie_policy", judge::panelTiesName(o.ties).toStdString()},
                                                  {"members", members}}
                                       .dump(2)) +
            QLatin1Char('\n'));
        return 0;
    }
    out(QStringLiteral("panel run %1: %2 of %3 cells decided, %4 ties (%5), %6 incomplete\n")
            .arg(r->runId)
            .arg(r->decided)
            .arg(r->cells)
            .arg(r->ties)
            .arg(judge::panelTiesName(o.ties))
            .arg(r->incomplete));
    for (const judge::PanelMember &m : r->members)
        out(QStringLiteral("  run %1 %2: answered %3, sides with the panel on %4 (kappa %5)\n")
                .arg(m.runId)
                .arg(m.model)
                .arg(m.answered)
                .arg(m.agreement ? QStringLiteral("%1%").arg(100 * *m.agreement, 0, 'f', 1) : QStringLiteral("n/a"))
                .arg(m.kappa ? QString::number(*m.kappa, 'f', 3) : QStringLiteral("n/a")));
    return 0;
}

} // namespace rs::cli

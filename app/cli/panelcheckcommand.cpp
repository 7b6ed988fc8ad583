#include "analytics/tophackcheck.h"
#include "cliargs.h"
#include "clioutput.h"
#include "metricscommands.h"
#include "store/projectstore.h"
#include "usage.h"

namespace rs::cli {
namespace {

QString resultLine(const analytics::TopHackResult &r) {
    const analytics::TopHackPair &p = r.pair;
    QString line = QStringLiteral("  #%1 prompt %2 response %3 reward %4: ")
                       .arg(p.servedId)
                       .arg(p.promptId)
                       .arg(p.topResponseId)
                       .arg(p.topReward, 0, 'f', 3);
    if (!p.planned())
        return line + QStringLiteral("not checked, %1\n").arg(p.skipReason);
    line += QStringLiteral("vs response %1 (%2, reward %3): ")
                .arg(p.contrastResponseId)
                .arg(analytics::contrastSourceName(p.source))
                .arg(p.contrastReward, 0, 'f', 3);
    if (!r.checked)
        return line + (r.error.isEmpty() ? QStringLiteral("not asked (cancelled)\n")
                                         : QStringLiteral("failed: %1\n").arg(r.error));
    const QString verdict =
        r.suspect ? QStringLiteral("SUSPECT: panel prefers response %1").arg(p.contrastResponseId)
        : r.preferenceTop > 0.5 ? QStringLiteral("panel agrees")
                                : QStringLiteral("panel ties");
    return line + QStringLiteral("%1 (P(top better) %2%3)\n")
                      .arg(verdict)
                      .arg(r.preferenceTop, 0, 'f', 2)
                      .arg(r.reused ? QStringLiteral(", stored answer") : QString());
}

} // namespace

int runTrainingPanelCheck(const Args &a) {
    analytics::TopHackCheckOptions o;
    if (a.has(QStringLiteral("--top"))) {
        bool ok = false;
        o.topK = a.value(QStringLiteral("--top")).toInt(&ok);
        if (!ok || o.topK < 1)
            return usageError(QStringLiteral(
                "--top takes a number of responses (1 or more) with --panel-check\n"));
    }
    const QString step = a.value(QStringLiteral("--step"), QStringLiteral("latest"));
    if (step != QLatin1String("latest")) {
        bool ok = false;
        o.step = step.toLongLong(&ok);
        if (!ok)
            return usageError(QStringLiteral("--step takes a training step or latest\n"));
    }
    // Each name goes through the same resolution as --provider, so errors read the same.
    const QStringList names =
        a.value(QStringLiteral("--panel-check")).split(QLatin1Char(','), Qt::SkipEmptyParts);
    if (names.isEmpty() || names.size() > 5)
        return usageError(
            QStringLiteral("--panel-check takes 1 to 5 saved providers: NAME[,NAME...]\n"));
    for (const QString &name : names) {
        Args one;
        one.values.insert(QStringLiteral("--provider"), name.trimmed());
        auto p = providerFromArgs(one, QStringLiteral("panel member"));
        if (!p)
            return fail(p.error());
        o.panel.push_back(p.value());
    }

    // Shared, as `serve` opens it: the check runs while training (and serve) go on, and it only
    // appends (oracle preferences, the LLM cache and ledger).
    auto session = openLlmSession(a.positional.first(), ProjectAccess::Shared);
    if (!session)
        return fail(session.error());
    ProgressLine line(QStringLiteral("panel check"));
    auto check = analytics::runTopHackCheck(*session->store, *session->scheduler, o,
                                            [&](qint64 done, qint64 total) {
                                                line.update(done, total);
                                                return true;
                                            });
    line.finish();
    if (!check)
        return fail(check.error());
    const analytics::TopHackCheck &c = check.value();
    if (a.flags.contains(QStringLiteral("--json"))) {
        out(QString::fromStdString(analytics::toJson(c).dump(2)) + QLatin1Char('\n'));
    } else {
        out(QStringLiteral(
                "panel check of step %1 by %2: %3 pairs checked, %4 suspect, win rate %5 "
                "(%6 stored answers reused, %7 skipped, %8 failed)\n")
                .arg(c.step)
                .arg(c.models.join(QStringLiteral(" + ")))
                .arg(c.checked)
                .arg(c.suspect)
                .arg(c.winRate ? QString::number(*c.winRate, 'f', 3) : QStringLiteral("n/a"))
                .arg(c.reused)
                .arg(c.skipped)
                .arg(c.failed));
        for (const analytics::TopHackResult &r : c.results)
            out(resultLine(r));
    }
    return c.failed > 0 ? 3 : 0; // failed pairs are asked again next time
}

} // namespace rs::cli

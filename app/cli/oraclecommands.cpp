#include "cliargs.h"
#include "clioutput.h"
#include "judge/oraclepairs.h"
#include "judge/pairwiseoracle.h"
#include "judgecommands.h"
#include "llm/llmscheduler.h"
#include "llm/providerregistry.h"
#include "store/database.h"
#include "store/projectstore.h"
#include "usage.h"

#include <nlohmann/json.hpp>

#include <map>

namespace rs::cli {

int runOracle(const QStringList &argv) {
    QString parseError;
    QStringList valued = providerOptions();
    valued << QStringLiteral("--models") << QStringLiteral("--tiers") << QStringLiteral("--prompts")
           << QStringLiteral("--max-pairs");
    auto parsed = parseArgs(argv, valued, &parseError);
    if (!parsed)
        return usageError(parseError + QLatin1Char('\n') + usage("oracle"));
    Args a = *parsed;
    if (const QString bad = unknownFlag(a, {QStringLiteral("--one-order"), QStringLiteral("--json")}); !bad.isEmpty())
        return usageError(QStringLiteral("unknown option %1\n%2").arg(bad, usage("oracle")));
    if (a.positional.size() != 1)
        return usageError(usage("oracle"));
    const QStringList models = a.value(QStringLiteral("--models")).split(QLatin1Char(','), Qt::SkipEmptyParts);
    if (!models.isEmpty() && !a.has(QStringLiteral("--model")))
        a.values.insert(QStringLiteral("--model"), models.first().trimmed());
    auto base = providerFromArgs(a, QStringLiteral("oracle"));
    if (!base)
        return usageError(base.error().message + QLatin1Char('\n') + usage("oracle"));
    judge::OracleRequest request;
    request.provider = base.value();
    request.bothOrders = !a.flags.contains(QStringLiteral("--one-order"));
    if (models.size() > 1)
        for (const QString &m : models) {
            llm::ProviderConfig p = base.value();
            p.model = m.trimmed();
            request.panel.push_back(p);
        }
    if (models.size() > 5)
        return usageError(QStringLiteral("--models takes 2 to 5 models\n"));

    judge::OraclePairOptions po;
    const QStringList tiers = a.value(QStringLiteral("--tiers")).split(QLatin1Char(','), Qt::SkipEmptyParts);
    if (!tiers.isEmpty()) {
        if (tiers.size() != 2)
            return usageError(QStringLiteral("--tiers takes two tiers: A,B\n"));
        po.tierA = tiers[0].trimmed();
        po.tierB = tiers[1].trimmed();
    }
    for (const QString &id : a.value(QStringLiteral("--prompts")).split(QLatin1Char(','), Qt::SkipEmptyParts))
        po.promptIds.insert(id.trimmed().toLongLong());
    bool ok = true;
    po.maxPairs = a.value(QStringLiteral("--max-pairs"), QStringLiteral("50")).toInt(&ok);
    if (!ok || po.maxPairs < 1)
        return usageError(QStringLiteral("--max-pairs takes a positive number\n"));

    auto project = openProject(a.positional.first());
    if (!project)
        return fail(project.error());
    auto pairs = judge::oraclePairs(project->db, po);
    if (!pairs)
        return fail(pairs.error());
    auto prices = llm::ProviderRegistry::loadPrices();
    if (!prices)
        return fail(prices.error());
    llm::LlmScheduler scheduler(prices.value(), project->store.get());

    // Per model: position swaps (its two orders disagreed) and agreement with the panel's side.
    struct Tally {
        qint64 asked = 0, swaps = 0, decided = 0, agree = 0;
    };
    std::map<QString, Tally> byModel;
    qint64 done = 0, failed = 0;
    QStringList failures;
    ProgressLine line(QStringLiteral("oracle"));
    for (const judge::OraclePair &pair : pairs.value()) {
        request.promptId = pair.promptId;
        request.responseA = pair.responseA;
        request.responseB = pair.responseB;
        auto r = judge::askPairwiseOracle(*project->store, scheduler, request);
        line.update(done + failed + 1, qint64(pairs->size()));
        if (!r) {
            ++failed; // one bad answer never sinks the run: the pair is asked again next time
            failures << QStringLiteral("pair %1/%2: %3").arg(pair.responseA).arg(pair.responseB).arg(r.error().message);
            continue;
        }
        ++done;
        for (const judge::OracleMemberAnswer &m : r->members) {
            Tally &t = byModel[m.model];
            ++t.asked;
            t.swaps += request.bothOrders && !m.agreed;
            if (r->preference != 0.5 && m.preference != 0.5) {
                ++t.decided;
                t.agree += (m.preference > 0.5) == (r->preference > 0.5);
            }
        }
    }
    line.finish();
    for (const QString &f : failures)
        err(QStringLiteral("failed: %1\n").arg(f));
    if (a.flags.contains(QStringLiteral("--json"))) {
        nlohmann::json members = nlohmann::json::array();
        for (const auto &[model, t] : byModel)
            members.push_back({{"model", model.toStdString()},
                               {"pairs", t.asked},
                               {"position_swaps", t.swaps},
                               {"agreement_with_panel", t.decided ? nlohmann::json(double(t.agree) / double(t.decided))
                                                                  : nlohmann::json(nullptr)}});
        out(QString::fromStdString(nlohmann::json{{"pairs", qint64(pairs->size())},
                                                  {"labelled", done},
                                                  {"failed", failed},
                                                  {"both_orders", request.bothOrders},
                                                  {"members", members}}
                                       .dump(2)) +
            QLatin1Char('\n'));
    } else {
        out(QStringLiteral("%1 of %2 pairs labelled by the oracle (%3 failed, asked again next time)\n")
                .arg(done)
                .arg(pairs->size())
                .arg(failed));
        for (const auto &[model, t] : byModel)
            out(QStringLiteral("  %1: position swaps %2 of %3%4\n")
                    .arg(model)
                    .arg(t.swaps)
                    .arg(t.asked)
                    .arg(byModel.size() > 1 && t.decided
                             ? QStringLiteral(", sides with the panel on %1% of %2 decided pairs")
                                   .arg(100.0 * double(t.agree) / double(t.decided), 0, 'f', 1)
                                   .arg(t.decided)
                             : QString()));
    }
    return failed > 0 ? 3 : 0;
}

} // namespace rs::cli

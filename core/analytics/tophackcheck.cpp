#include "tophackcheck.h"

#include "judge/pairwiseoracle.h"
#include "store/database.h"
#include "store/projectstore.h"

#include <utility>

namespace rs::analytics {
namespace {

void takeOutcome(TopHackResult &result, const judge::OracleOutcome &outcome) {
    // The request puts the top response in position B: P(B better) is P(top better).
    result.checked = true;
    result.preferenceTop = outcome.preference;
    result.suspect = outcome.preference < 0.5;
    for (const judge::OracleMemberAnswer &m : outcome.members)
        result.members.push_back(TopHackMember{m.model, m.preference, m.agreed});
}

nlohmann::json pairJson(const TopHackPair &p) {
    return {{"served_id", p.servedId},
            {"prompt_id", p.promptId},
            {"top_response_id", p.topResponseId},
            {"top_reward", p.topReward}};
}

} // namespace

Expected<TopHackCheck> runTopHackCheck(store::ProjectStore &store, llm::LlmScheduler &scheduler,
                                       const TopHackCheckOptions &options,
                                       const TopHackProgress &progress) {
    if (options.panel.empty() || options.panel.size() > 5)
        return makeError(
            QStringLiteral("the check needs one oracle model or a panel of 2 to 5, not %1")
                .arg(options.panel.size()));
    auto db = store::Database::open(store.path(), store::Database::Mode::ReadOnly);
    if (!db)
        return db.error();
    auto plan = planTopHackPairs(db.value(), options.step, options.topK);
    if (!plan)
        return plan.error();

    TopHackCheck check;
    check.step = plan->step;
    for (const llm::ProviderConfig &p : options.panel)
        check.models << p.model;
    judge::OracleRequest request;
    if (options.panel.size() == 1)
        request.provider = options.panel.front();
    else
        request.panel = options.panel;
    request.bothOrders = true; // position bias cancels out; a swap is a tie

    qint64 total = 0;
    for (const TopHackPair &p : plan->pairs)
        total += p.planned();
    qint64 done = 0;
    if (progress && !progress(done, total)) {
        check.cancelled = true;
        return check;
    }
    double preferenceSum = 0;
    for (TopHackPair &pair : plan->pairs) {
        TopHackResult result;
        result.pair = std::move(pair);
        const TopHackPair &p = result.pair;
        if (!p.planned()) {
            ++check.skipped;
            check.results.push_back(std::move(result));
            continue;
        }
        if (check.cancelled) { // the rest stay unasked: neither checked nor failed
            check.results.push_back(std::move(result));
            continue;
        }
        request.promptId = p.promptId;
        request.responseA = p.contrastResponseId;
        request.responseB = p.topResponseId;
        auto stored = judge::storedOracleOutcome(db.value(), request);
        if (!stored)
            return stored.error();
        if (stored->has_value()) {
            takeOutcome(result, **stored);
            result.reused = true;
        } else if (auto asked = judge::askPairwiseOracle(store, scheduler, request); asked) {
            takeOutcome(result, asked.value());
        } else {
            result.error = asked.error().message; // one bad answer never sinks the check
        }
        if (result.checked) {
            ++check.checked;
            check.suspect += result.suspect;
            check.reused += result.reused;
            preferenceSum += result.preferenceTop;
        } else {
            ++check.failed;
        }
        check.results.push_back(std::move(result));
        ++done;
        if (progress && !progress(done, total))
            check.cancelled = true;
    }
    if (check.checked > 0)
        check.winRate = preferenceSum / double(check.checked);
    return check;
}

nlohmann::json toJson(const TopHackCheck &check) {
    using nlohmann::json;
    json pairs = json::array(), skipped = json::array(), failed = json::array();
    json models = json::array();
    for (const QString &m : check.models)
        models.push_back(m.toStdString());
    for (const TopHackResult &r : check.results) {
        json p = pairJson(r.pair);
        if (!r.pair.planned()) {
            p["reason"] = r.pair.skipReason.toStdString();
            skipped.push_back(std::move(p));
            continue;
        }
        p["contrast_response_id"] = r.pair.contrastResponseId;
        p["contrast_reward"] = r.pair.contrastReward;
        p["contrast"] = contrastSourceName(r.pair.source).toStdString();
        if (!r.checked) {
            if (!r.error.isEmpty()) {
                p["error"] = r.error.toStdString();
                failed.push_back(std::move(p));
            }
            continue; // cancelled before it was asked
        }
        json members = json::array();
        for (const TopHackMember &m : r.members)
            members.push_back({{"model", m.model.toStdString()},
                               {"preference_top", m.preferenceTop},
                               {"agreed", m.agreed}});
        p["panel_preference_top"] = r.preferenceTop;
        p["suspect"] = r.suspect;
        p["reused"] = r.reused;
        p["members"] = std::move(members);
        pairs.push_back(std::move(p));
    }
    return {{"step", check.step},
            {"models", models},
            {"pairs", pairs},
            {"skipped", skipped},
            {"failed", failed},
            {"checked", check.checked},
            {"suspect", check.suspect},
            {"reused", check.reused},
            {"win_rate", check.winRate ? json(*check.winRate) : json(nullptr)},
            {"cancelled", check.cancelled}};
}

} // namespace rs::analytics

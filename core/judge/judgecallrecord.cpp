#include "judgecallrecord.h"

#include "store/database.h"

namespace rs::judge {
namespace {

void bindText(store::Statement &st, int index, const QString &text) {
    if (text.isEmpty())
        st.bindNull(index);
    else
        st.bind(index, text);
}

} // namespace

Expected<void> storeCallRecords(store::Database &db, qint64 runId,
                                const std::vector<CallRecord> &records) {
    auto call = db.prepare("INSERT INTO judge_calls(run_id, response_id, grading, temperature, raw,"
                           " error, attempts, cached, tokens_in, tokens_out, cost_usd, refused,"
                           " tokens_cached_in, tokens_reasoning)"
                           " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)");
    // A verdict is new far more often than it replaces one (a re-judged response): the plain
    // INSERT is tried first, as it needs no statement journal (a fifth of a reward server's
    // writing), and the replacing form runs only when the row exists.
    constexpr char kVerdictColumns[] =
        " INTO verdicts(run_id, response_id, criterion_hash, stable_id, grading, verdict,"
        " rationale, attempts, cached, call_id, p_yes)"
        " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
    auto verdict = db.prepare(std::string("INSERT") + kVerdictColumns);
    auto replaceVerdict = db.prepare(std::string("INSERT OR REPLACE") + kVerdictColumns);
    auto holistic = db.prepare(
        "INSERT OR REPLACE INTO holistic_scores(run_id, response_id, guidance_hash, grading,"
        " status, score, rationale, attempts, cached, call_id)"
        " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    if (!call)
        return call.error();
    if (!verdict)
        return verdict.error();
    if (!replaceVerdict)
        return replaceVerdict.error();
    if (!holistic)
        return holistic.error();
    for (const CallRecord &r : records) {
        call->reset();
        call->bind(1, std::int64_t(runId));
        call->bind(2, std::int64_t(r.responseId));
        call->bind(3, std::int64_t(r.grading));
        call->bind(4, r.temperature);
        call->bind(5, r.raw);
        bindText(*call, 6, r.error);
        call->bind(7, std::int64_t(r.attempts));
        call->bind(8, std::int64_t(r.cached));
        call->bind(9, std::int64_t(r.tokensIn));
        call->bind(10, std::int64_t(r.tokensOut));
        call->bind(11, r.cost);
        call->bind(12, std::int64_t(r.refused));
        call->bind(13, std::int64_t(r.tokensCachedIn));
        call->bind(14, std::int64_t(r.tokensReasoning));
        if (auto res = call->run(); !res)
            return res;
        const qint64 callId = db.lastInsertId();
        auto bindVerdict = [&](store::Statement &st, const VerdictRow &v) {
            st.reset();
            st.bind(1, std::int64_t(runId));
            st.bind(2, std::int64_t(r.responseId));
            st.bind(3, std::int64_t(v.hash));
            st.bind(4, v.stableId);
            st.bind(5, std::int64_t(r.grading));
            st.bind(6, v.verdict);
            bindText(st, 7, v.rationale);
            st.bind(8, std::int64_t(r.attempts));
            st.bind(9, std::int64_t(r.cached));
            st.bind(10, std::int64_t(callId));
            if (v.pYes)
                st.bind(11, *v.pYes);
            else
                st.bindNull(11);
        };
        for (const VerdictRow &v : r.verdicts) {
            bindVerdict(*verdict, v);
            auto res = verdict->run();
            if (!res && verdict->violatedUniqueness()) {
                bindVerdict(*replaceVerdict, v);
                res = replaceVerdict->run();
            }
            if (!res)
                return res;
        }
        if (const auto &h = r.holistic) {
            holistic->reset();
            holistic->bind(1, std::int64_t(runId));
            holistic->bind(2, std::int64_t(r.responseId));
            holistic->bind(3, std::int64_t(h->guidanceHash));
            holistic->bind(4, std::int64_t(r.grading));
            holistic->bind(5, h->status);
            if (h->score)
                holistic->bind(6, std::int64_t(*h->score));
            else
                holistic->bindNull(6);
            bindText(*holistic, 7, h->rationale);
            holistic->bind(8, std::int64_t(r.attempts));
            holistic->bind(9, std::int64_t(r.cached));
            holistic->bind(10, std::int64_t(callId));
            if (auto res = holistic->run(); !res)
                return res;
        }
    }
    return {};
}

} // namespace rs::judge

#include "rewardservice.h"

#include "common/threadname.h"
#include "import/utf8.h"
#include "judge/judgestream.h"
#include "judge/verdicttally.h"
#include "servemetrics.h"
#include "store/database.h"
#include "store/projectstore.h"

#include <QDateTime>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>

namespace rs::serve {

/// A worker's own read connection and the statements it repeats.
struct ServiceReader {
    store::Database db;
    store::Statement findResponse;
    store::Statement headVersion;

    static Expected<ServiceReader> open(const QString &path) {
        auto db = store::Database::open(path, store::Database::Mode::ReadOnly);
        if (!db)
            return db.error();
        ServiceReader r;
        r.db = std::move(db.value());
        auto find = r.db.prepare("SELECT id FROM responses WHERE prompt_id = ?1 AND text_hash = ?2"
                                 " AND text = ?3 ORDER BY id LIMIT 1");
        if (!find)
            return find.error();
        auto head = r.db.prepare("SELECT head_version_id FROM rubrics WHERE id = ?1");
        if (!head)
            return head.error();
        r.findResponse = std::move(find.value());
        r.headVersion = std::move(head.value());
        return r;
    }

    /// The project's response with this prompt and text (any generator), 0 when there is none.
    Expected<qint64> responseId(qint64 promptId, std::string_view text) {
        findResponse.reset();
        findResponse.bind(1, std::int64_t(promptId));
        findResponse.bind(2, import::contentHash(text));
        findResponse.bind(3, text);
        auto row = findResponse.step();
        if (!row)
            return row.error();
        const qint64 id = *row ? qint64(findResponse.columnInt(0)) : qint64(0);
        // A statement left mid-result keeps the connection's read snapshot open: responses
        // stored a moment later would stay invisible to this worker.
        findResponse.reset();
        return id;
    }

    qint64 rubricVersion(qint64 rubricId) {
        headVersion.reset();
        headVersion.bind(1, std::int64_t(rubricId));
        auto row = headVersion.step();
        const qint64 id = row && *row ? qint64(headVersion.columnInt(0)) : 0;
        headVersion.reset();
        return id;
    }
};

namespace {

constexpr char kServedGenerator[] = "policy";
constexpr char kServedTier[] = "served";
/// 1 ms: in bench/serve, 3 ms took a little more CPU off (within the run-to-run noise) but
/// added ~5 ms to the median latency; 1 ms adds well under one.
constexpr std::chrono::microseconds kCommitInterval{1000};

/// Stores responses the project does not have yet, as the policy's, in one transaction, and
/// gives each row's id (0 for a text another worker stored first: INSERT OR IGNORE returns no
/// row for it).
Expected<std::vector<qint64>>
insertServedResponses(store::ProjectStore &store,
                      const std::vector<std::pair<qint64, const std::string *>> &rows) {
    const std::string createdAt =
        QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toStdString();
    std::vector<qint64> ids(rows.size(), 0);
    auto written = store.writer().write([&](store::Database &db) -> Expected<void> {
        auto ins =
            db.prepare("INSERT OR IGNORE INTO responses(prompt_id, generator, text, text_hash,"
                       " tier, off_policy, length, is_empty, created_at)"
                       " VALUES(?1, ?2, ?3, ?4, ?5, 0, ?6, ?7, ?8) RETURNING id");
        if (!ins)
            return ins.error();
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const auto &[promptId, text] = rows[i];
            ins->reset();
            ins->bind(1, std::int64_t(promptId));
            ins->bindStatic(2, kServedGenerator);
            ins->bind(3, std::string_view(*text));
            ins->bind(4, import::contentHash(*text));
            ins->bindStatic(5, kServedTier);
            ins->bind(6, import::codePointCount(*text));
            ins->bind(7, std::int64_t(std::all_of(text->begin(), text->end(), [](char c) {
                          return c == ' ' || c == '\n' || c == '\t' || c == '\r';
                      })));
            ins->bind(8, std::string_view(createdAt));
            auto row = ins->step();
            if (!row)
                return row.error();
            if (*row)
                ids[i] = ins->columnInt(0);
            ins->reset(); // a RETURNING statement finishes its insert only when stepped or reset
        }
        return {};
    });
    if (!written)
        return written.error();
    return ids;
}

/// Whether a judge call behind the reward failed: a cell without a verdict that has a failed
/// vote, or an implicit rubric without a score that has a failed call. Scored as "no" (or 0),
/// such a reward is one a trainer must not mistake for the judge's.
bool holisticFailed(const judge::VerdictTally &t, const judge::TallyResponse &r) {
    if (!t.promptOf(r)->implicit() || t.holisticScore(r))
        return false;
    const auto &votes = t.holistic(r);
    return std::any_of(votes.begin(), votes.end(),
                       [](const judge::HolisticVote &v) { return v.score == 0 && !v.refused; });
}

} // namespace

int RewardService::defaultWorkers() {
    return std::clamp(int(std::thread::hardware_concurrency()), 2, 4);
}

RewardService::RewardService(store::ProjectStore &store, llm::LlmScheduler &scheduler,
                             ServeMetrics &metrics, Options options)
    : m_store(store)
    , m_scheduler(scheduler)
    , m_metrics(metrics)
    , m_options(std::move(options)) {}

RewardService::~RewardService() {
    stop();
}

Expected<void> RewardService::start() {
    // A reward's rows (response, verdicts, cache, log) are a few small inserts; committed
    // a request or two at a time, each commit writes whole pages to the log and makes every
    // reader re-read its pages (see ProjectWriter::setCommitInterval).
    m_store.writer().setCommitInterval(kCommitInterval);
    // The run a `judge` with the same settings uses: its verdicts are reused, its cache keys hit.
    m_options.config.responseIds.clear();
    m_stream = std::make_unique<judge::JudgeStream>(
        m_store, m_scheduler, m_options.config, m_options.job,
        [this](const llm::LlmResult &res) { m_metrics.countJudgeCalls(!res.cached, res.cached); });
    if (auto opened = m_stream->open(); !opened)
        return opened.error();
    m_runId = m_stream->runId();
    for (int i = 0; i < std::max(1, m_options.workers); ++i)
        m_workers.emplace_back([this] {
            nameThisThread("rs-reward");
            work();
        });
    return {};
}

bool RewardService::submit(std::vector<RewardItem> items, Done done) {
    std::lock_guard lock(m_mutex);
    if (m_stopping || m_queuedItems + std::int64_t(items.size()) > m_options.maxQueueItems)
        return false;
    m_queuedItems += std::int64_t(items.size());
    m_queue.push_back(Job{std::move(items), std::move(done)});
    m_wake.notify_one();
    return true;
}

std::int64_t RewardService::queueDepth() const {
    std::lock_guard lock(m_mutex);
    return m_queuedItems;
}

void RewardService::stop() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    for (auto &w : m_workers)
        if (w.joinable())
            w.join();
    m_workers.clear();
    if (m_stream)
        m_stream->finish();
    m_store.writer().setCommitInterval({});
}

void RewardService::work() {
    auto reader = ServiceReader::open(m_store.path());
    for (;;) {
        std::vector<Job> jobs;
        std::vector<Judged> judged;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] {
                return !m_judged.empty() || !m_queue.empty() || (m_stopping && m_unanswered == 0);
            });
            if (m_judged.empty() && m_queue.empty())
                return; // stopping, and every request answered
            // Reports first: they answer requests already waiting. Then everything queued,
            // up to a batch: one lookup and one insert serve all of it.
            judged.assign(std::make_move_iterator(m_judged.begin()),
                          std::make_move_iterator(m_judged.end()));
            m_judged.clear();
            std::int64_t taken = 0;
            while (!m_queue.empty() &&
                   (jobs.empty() || taken + std::int64_t(m_queue.front().items.size()) <=
                                        m_options.maxBatchItems)) {
                taken += std::int64_t(m_queue.front().items.size());
                jobs.push_back(std::move(m_queue.front()));
                m_queue.pop_front();
            }
            m_queuedItems -= taken;
            m_unanswered += std::int64_t(jobs.size());
        }
        if (!reader) {
            const std::string why =
                "cannot read the project: " + reader.error().message.toStdString();
            for (Job &j : jobs) {
                RewardResult bad;
                bad.status = 500;
                bad.error = why;
                j.done(std::vector<RewardResult>(j.items.size(), bad));
            }
            std::lock_guard lock(m_mutex);
            m_unanswered -= std::int64_t(jobs.size());
            m_wake.notify_all();
            continue;
        }
        if (!judged.empty())
            answerJudged(judged, reader.value());
        if (!jobs.empty())
            process(jobs, reader.value());
    }
}

void RewardService::deliver(const std::shared_ptr<Pending> &request, std::size_t item,
                            RewardResult result) {
    if (result.status >= 500) // a judge or store failure; an unknown rubric (422) is the caller's
        m_metrics.countFailures(1);
    request->results[item] = std::move(result);
    bool last = false;
    {
        std::lock_guard lock(m_mutex);
        last = --request->owed == 0;
    }
    if (!last)
        return;
    request->done(std::move(request->results));
    std::lock_guard lock(m_mutex);
    --m_unanswered;
    if (m_stopping && m_unanswered == 0)
        m_wake.notify_all();
}

RewardResult RewardService::rewardOf(const judge::VerdictTally &t, const judge::TallyResponse &r,
                                     ServiceReader &reader, bool judged,
                                     const QString &failure) const {
    RewardResult out;
    out.responseId = r.responseId;
    const judge::TallyPrompt *p = t.promptOf(r);
    if (!p || p->count == 0) {
        out.status = 422;
        out.error = "prompt " + std::to_string(r.promptId) + " has no rubric";
        return out;
    }
    out.rubricVersion = reader.rubricVersion(p->rubricId);
    out.criteria = p->count;
    int passed = 0;
    int decided =
        0; // criteria with a verdict of their own (an implicit rubric's guidance has none)
    bool anyFailed = holisticFailed(t, r);
    for (int k = 0; k < p->count; ++k) {
        const std::size_t cell = r.firstCell + std::size_t(k);
        if (t.criterion(r, k).guidance)
            continue;
        ++decided;
        const auto &c = t.counts(cell);
        const std::optional<bool> v = t.verdict(cell);
        CriterionVerdict cv;
        cv.id = t.criterion(r, k).stableId.toStdString();
        cv.verdict = v ? (*v ? "yes" : "no") : "none";
        cv.pYes = c.yes + c.no > 0 ? double(c.yes) / double(c.yes + c.no) : -1;
        cv.overridden = t.override(cell) != nullptr;
        passed += v.value_or(false);
        // A failed call would score as "no": a reward the trainer must not mistake for one.
        if (!v && !cv.overridden && c.error > 0)
            anyFailed = true;
        out.verdicts.push_back(std::move(cv));
    }
    if (anyFailed) {
        out.status = 502;
        out.error =
            "the judge call failed" + (failure.isEmpty() ? std::string(" (after its retries)")
                                                         : ": " + failure.toStdString());
        out.verdicts.clear();
        return out;
    }
    out.reward = t.reward(r, m_options.missing);
    out.rewardSoft = t.softReward(r, m_options.missing); // as scores --json has it
    out.passFraction = decided > 0 ? double(passed) / decided : 0;
    out.implicit = p->implicit();
    if (out.implicit)
        out.holisticScore = t.holisticScore(r).value_or(-1.0);
    out.cached = !judged;
    return out;
}

namespace {

/// The tally of a few responses of one prompt: what a reward needs, however many responses
/// the prompt has gathered.
Expected<judge::VerdictTally> servedTally(store::Database &db, qint64 runId, qint64 promptId,
                                          std::vector<qint64> responseIds) {
    judge::TallyOptions to;
    to.runId = runId;
    to.promptId = promptId;
    to.gradingVotes = true;
    to.responseIds = std::move(responseIds);
    return judge::VerdictTally::load(db, to);
}

const judge::TallyResponse *servedResponse(const judge::VerdictTally &t, qint64 responseId) {
    for (const auto &r : t.responses())
        if (r.responseId == responseId)
            return &r;
    return nullptr;
}

} // namespace

void RewardService::answerJudged(std::vector<Judged> &judged, ServiceReader &reader) {
    // Each report's waiters, by prompt: one scoped read per prompt.
    std::map<qint64, std::vector<std::pair<Judged, std::vector<Waiter>>>> byPrompt;
    {
        std::lock_guard lock(m_mutex);
        for (Judged &j : judged) {
            auto it = m_waiting.find(j.responseId);
            if (it == m_waiting.end())
                continue;
            std::vector<Waiter> waiters = std::move(it->second);
            m_waiting.erase(it);
            const qint64 promptId = waiters.front().request->items[waiters.front().item].promptId;
            byPrompt[promptId].emplace_back(std::move(j), std::move(waiters));
        }
    }
    const store::ReadSnapshot snapshot(reader.db);
    for (auto &[promptId, reports] : byPrompt) {
        std::vector<qint64> ids;
        for (const auto &rep : reports)
            ids.push_back(rep.first.responseId);
        auto t = servedTally(reader.db, m_runId, promptId, ids);
        for (auto &[report, waiters] : reports) {
            RewardResult out;
            if (!t) {
                out.status = 500;
                out.error = "cannot read verdicts: " + t.error().message.toStdString();
            } else if (const judge::TallyResponse *r =
                           servedResponse(t.value(), report.responseId)) {
                out = rewardOf(t.value(), *r, reader, true, report.failure);
            } else {
                out.status = 422;
                out.error = "prompt " + std::to_string(promptId) + " has no rubric";
            }
            for (const Waiter &w : waiters)
                deliver(w.request, w.item, out);
        }
    }
}

void RewardService::process(std::vector<Job> &jobs, ServiceReader &reader) {
    struct Slot {
        std::shared_ptr<Pending> request;
        std::size_t item = 0;
        qint64 responseId = 0;
        const RewardItem &of() const { return request->items[item]; }
    };
    std::vector<Slot> slots;
    for (Job &j : jobs) {
        auto request = std::make_shared<Pending>();
        request->items = std::move(j.items);
        request->results.resize(request->items.size());
        request->owed = request->items.size();
        request->done = std::move(j.done);
        if (request->items.empty()) { // nothing to reward: answered as it came
            request->done({});
            std::lock_guard lock(m_mutex);
            --m_unanswered;
            m_wake.notify_all();
            continue;
        }
        for (std::size_t i = 0; i < request->items.size(); ++i)
            slots.push_back(Slot{request, i});
    }
    auto failAll = [&](int status, const std::string &why) {
        for (const Slot &s : slots) {
            RewardResult bad;
            bad.status = status;
            bad.error = why;
            deliver(s.request, s.item, std::move(bad));
        }
    };

    // 1. The response's row: the project's own when it has this text, else a new one.
    auto lookUp = [&](bool *missing) -> Expected<void> {
        *missing = false;
        const store::ReadSnapshot snapshot(reader.db);
        for (Slot &s : slots) {
            if (s.responseId)
                continue;
            auto id = reader.responseId(s.of().promptId, s.of().response);
            if (!id)
                return id.error();
            s.responseId = id.value();
            *missing = *missing || s.responseId == 0;
        }
        return {};
    };
    bool missing = false;
    if (auto r = lookUp(&missing); !r)
        return failAll(500, "cannot read the project: " + r.error().message.toStdString());
    std::vector<char> fresh(slots.size(), 0); // stored just now: no verdicts to look for
    if (missing) {
        std::vector<std::pair<qint64, const std::string *>> rows;
        std::vector<std::size_t> of; // slot of each row
        for (std::size_t i = 0; i < slots.size(); ++i)
            if (!slots[i].responseId) {
                rows.emplace_back(slots[i].of().promptId, &slots[i].of().response);
                of.push_back(i);
            }
        auto ids = insertServedResponses(m_store, rows);
        if (!ids)
            return failAll(500, "cannot store the responses: " + ids.error().message.toStdString());
        for (std::size_t k = 0; k < rows.size(); ++k)
            if ((*ids)[k]) {
                slots[of[k]].responseId = (*ids)[k];
                fresh[of[k]] = 1;
            }
        // A text another worker stored first, or that an earlier item of this batch carries
        // (INSERT OR IGNORE returned no row for it): read back.
        const bool unknown =
            std::any_of(slots.begin(), slots.end(), [](const Slot &s) { return !s.responseId; });
        if (unknown)
            if (auto r = lookUp(&missing); !r || missing)
                return failAll(500, "cannot store the responses");
    }
    // 2. The verdicts the project has for these responses, per prompt: a complete one is
    // answered now, the others wait for their judge calls.
    QSet<qint64> toJudge;
    auto wait = [&](const Slot &s) {
        // Judged once, however many items carry the response.
        std::lock_guard lock(m_mutex);
        auto [it, first] = m_waiting.try_emplace(s.responseId);
        it->second.push_back(Waiter{s.request, s.item});
        if (first)
            toJudge.insert(s.responseId);
    };
    std::map<qint64, std::vector<const Slot *>> byPrompt;
    for (std::size_t i = 0; i < slots.size(); ++i) {
        if (fresh[i])
            wait(slots[i]); // judged next (a prompt without a rubric is answered 422 then)
        else
            byPrompt[slots[i].of().promptId].push_back(&slots[i]);
    }
    std::int64_t reused = 0;
    std::optional<store::ReadSnapshot> snapshot(std::in_place, reader.db);
    for (const auto &[promptId, inPrompt] : byPrompt) {
        std::vector<qint64> ids;
        for (const Slot *s : inPrompt)
            ids.push_back(s->responseId);
        auto t = servedTally(reader.db, m_runId, promptId, ids);
        for (const Slot *s : inPrompt) {
            if (!t) {
                RewardResult bad;
                bad.status = 500;
                bad.error = "cannot read verdicts: " + t.error().message.toStdString();
                deliver(s->request, s->item, std::move(bad));
                continue;
            }
            const judge::TallyResponse *r = servedResponse(t.value(), s->responseId);
            if (!r || t->complete(*r)) {
                RewardResult out;
                if (r) {
                    out = rewardOf(t.value(), *r, reader, false, {});
                } else {
                    out.status = 422;
                    out.error = "prompt " + std::to_string(promptId) + " has no rubric";
                }
                reused += out.status == 200;
                deliver(s->request, s->item, std::move(out));
                continue;
            }
            wait(*s);
        }
    }
    snapshot.reset();
    m_metrics.countReused(reused);
    if (toJudge.isEmpty())
        return;
    auto sent = m_stream->judge(toJudge, [this](qint64 responseId, const QString &failure) {
        std::lock_guard lock(m_mutex);
        m_judged.push_back(Judged{responseId, failure});
        m_wake.notify_one();
    });
    if (!sent) {
        std::vector<Waiter> failed;
        {
            std::lock_guard lock(m_mutex);
            for (const qint64 id : toJudge) {
                auto it = m_waiting.find(id);
                if (it == m_waiting.end())
                    continue;
                for (Waiter &w : it->second)
                    failed.push_back(std::move(w));
                m_waiting.erase(it);
            }
        }
        for (const Waiter &w : failed) {
            RewardResult bad;
            bad.status = 502;
            bad.error = "judging failed: " + sent.error().message.toStdString();
            deliver(w.request, w.item, std::move(bad));
        }
    }
}

} // namespace rs::serve

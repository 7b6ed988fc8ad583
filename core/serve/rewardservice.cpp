#include "rewardservice.h"

#include "import/utf8.h"
#include "judge/judgeplan.h"
#include "judge/judgerunner.h"
#include "judge/judgetemplate.h"
#include "judge/verdicttally.h"
#include "servemetrics.h"
#include "store/database.h"
#include "store/projectstore.h"

#include <QDateTime>

#include <algorithm>
#include <map>
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

/// One item of a batch: which job and item it is, and what the pipeline found for it.
struct Slot {
    std::size_t job = 0;
    std::size_t item = 0;
    qint64 responseId = 0;
    bool judged = false; ///< it needed a judge call in this batch
};

/// Stores responses the project does not have yet, as the policy's, in one transaction.
Expected<void>
insertServedResponses(store::ProjectStore &store,
                      const std::vector<std::pair<qint64, const std::string *>> &rows) {
    const std::string createdAt =
        QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toStdString();
    return store.writer().write([&](store::Database &db) -> Expected<void> {
        auto ins =
            db.prepare("INSERT OR IGNORE INTO responses(prompt_id, generator, text, text_hash,"
                       " tier, off_policy, length, is_empty, created_at)"
                       " VALUES(?1, ?2, ?3, ?4, ?5, 0, ?6, ?7, ?8)");
        if (!ins)
            return ins.error();
        for (const auto &[promptId, text] : rows) {
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
            if (auto r = ins->run(); !r)
                return r;
        }
        return {};
    });
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
    // The run a `judge` with the same settings uses: its verdicts are reused, its cache keys hit.
    m_options.config.responseIds.clear();
    auto run =
        judge::findOrCreateRun(m_store, m_options.config, judge::JudgeTemplate(m_options.config));
    if (!run)
        return run.error();
    m_runId = run.value();
    for (int i = 0; i < std::max(1, m_options.workers); ++i)
        m_workers.emplace_back([this] { work(); });
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
}

void RewardService::work() {
    auto reader = ServiceReader::open(m_store.path());
    for (;;) {
        std::vector<Job> jobs;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stopping || !m_queue.empty(); });
            if (m_queue.empty())
                return; // stopping, and nothing left to answer
            // Everything queued so far, up to a batch: one judge job and one tally read serve
            // all of it.
            std::int64_t taken = 0;
            while (!m_queue.empty() &&
                   (jobs.empty() || taken + std::int64_t(m_queue.front().items.size()) <=
                                        m_options.maxBatchItems)) {
                taken += std::int64_t(m_queue.front().items.size());
                jobs.push_back(std::move(m_queue.front()));
                m_queue.pop_front();
            }
            m_queuedItems -= taken;
        }
        if (!reader) {
            for (Job &j : jobs) {
                RewardResult bad;
                bad.status = 500;
                bad.error = "cannot read the project: " + reader.error().message.toStdString();
                j.done(std::vector<RewardResult>(j.items.size(), bad));
            }
            continue;
        }
        process(jobs, reader.value());
    }
}

void RewardService::process(std::vector<Job> &jobs, ServiceReader &reader) {
    std::vector<std::vector<RewardResult>> results(jobs.size());
    std::vector<Slot> slots;
    for (std::size_t j = 0; j < jobs.size(); ++j) {
        results[j].resize(jobs[j].items.size());
        for (std::size_t i = 0; i < jobs[j].items.size(); ++i)
            slots.push_back(Slot{j, i});
    }
    auto item = [&](const Slot &s) -> const RewardItem & { return jobs[s.job].items[s.item]; };
    auto result = [&](const Slot &s) -> RewardResult & { return results[s.job][s.item]; };
    auto failAll = [&](int status, const std::string &why) {
        for (const Slot &s : slots) {
            result(s).status = status;
            result(s).error = why;
        }
    };
    auto finish = [&] {
        for (std::size_t j = 0; j < jobs.size(); ++j)
            jobs[j].done(std::move(results[j]));
    };

    // 1. The response's row: the project's own when it has this text, else a new one.
    auto lookUp = [&](bool *missing) -> Expected<void> {
        *missing = false;
        for (Slot &s : slots) {
            if (s.responseId)
                continue;
            auto id = reader.responseId(item(s).promptId, item(s).response);
            if (!id)
                return id.error();
            s.responseId = id.value();
            *missing = *missing || s.responseId == 0;
        }
        return {};
    };
    bool missing = false;
    if (auto r = lookUp(&missing); !r) {
        failAll(500, "cannot read the project: " + r.error().message.toStdString());
        return finish();
    }
    if (missing) {
        std::vector<std::pair<qint64, const std::string *>> rows;
        for (const Slot &s : slots)
            if (!s.responseId)
                rows.emplace_back(item(s).promptId, &item(s).response);
        if (auto r = insertServedResponses(m_store, rows); !r) {
            failAll(500, "cannot store the responses: " + r.error().message.toStdString());
            return finish();
        }
        if (auto r = lookUp(&missing); !r || missing) {
            failAll(500, "cannot store the responses");
            return finish();
        }
    }

    // 2. The verdicts the project has, per prompt; judge what is missing, then read again.
    std::map<qint64, judge::VerdictTally> tallies;
    auto loadTally = [&](qint64 promptId) -> Expected<void> {
        judge::TallyOptions to;
        to.runId = m_runId;
        to.promptId = promptId;
        to.gradingVotes = true;
        auto t = judge::VerdictTally::load(reader.db, to);
        if (!t)
            return t.error();
        tallies.insert_or_assign(promptId, std::move(t.value()));
        return {};
    };
    auto findIn = [](const judge::VerdictTally &t,
                     qint64 responseId) -> const judge::TallyResponse * {
        for (const auto &r : t.responses())
            if (r.responseId == responseId)
                return &r;
        return nullptr;
    };
    std::set<qint64> prompts;
    for (const Slot &s : slots)
        prompts.insert(item(s).promptId);
    for (qint64 p : prompts)
        if (auto r = loadTally(p); !r) {
            failAll(500, "cannot read verdicts: " + r.error().message.toStdString());
            return finish();
        }
    QSet<qint64> toJudge;
    std::set<qint64> promptsToReload;
    for (Slot &s : slots) {
        const auto &t = tallies.at(item(s).promptId);
        const judge::TallyResponse *r = findIn(t, s.responseId);
        if (r && !t.complete(*r)) {
            toJudge.insert(s.responseId);
            promptsToReload.insert(item(s).promptId);
            s.judged = true;
        }
    }
    std::unordered_map<qint64, std::string> failures;
    if (!toJudge.isEmpty()) {
        judge::JudgeConfig config = m_options.config;
        config.responseIds = toJudge;
        judge::JudgeRunner runner(m_store, m_scheduler);
        auto summary = runner.run(config, m_options.job);
        if (!summary) {
            for (Slot &s : slots)
                if (s.judged) {
                    result(s).status = 502;
                    result(s).error = "judging failed: " + summary.error().message.toStdString();
                }
        } else {
            m_metrics.countJudgeCalls(summary->callsDone - summary->cachedCalls,
                                      summary->cachedCalls);
            for (const QString &f : summary->failures) {
                // "response N: reason", as JudgeRunner lists them.
                const qsizetype colon = f.indexOf(QLatin1Char(':'));
                const qint64 id = f.mid(9, colon - 9).toLongLong();
                failures.emplace(id, f.mid(colon + 2).toStdString());
            }
        }
        for (qint64 p : promptsToReload)
            if (auto r = loadTally(p); !r) {
                failAll(500, "cannot read verdicts: " + r.error().message.toStdString());
                return finish();
            }
    }

    // 3. The reward, read exactly as `scores` reads it.
    std::int64_t reused = 0, failed = 0;
    for (Slot &s : slots) {
        RewardResult &out = result(s);
        out.responseId = s.responseId;
        if (out.status != 200) {
            ++failed;
            continue;
        }
        const auto &t = tallies.at(item(s).promptId);
        const judge::TallyResponse *r = findIn(t, s.responseId);
        const judge::TallyPrompt *p = r ? t.promptOf(*r) : nullptr;
        if (!p || p->count == 0) {
            out.status = 422;
            out.error = "prompt " + std::to_string(item(s).promptId) + " has no rubric";
            continue;
        }
        out.rubricVersion = reader.rubricVersion(p->rubricId);
        out.criteria = p->count;
        int passed = 0;
        int decided =
            0; // criteria with a verdict of their own (an implicit rubric's guidance has none)
        bool anyFailed = holisticFailed(t, *r);
        for (int k = 0; k < p->count; ++k) {
            const std::size_t cell = r->firstCell + std::size_t(k);
            if (t.criterion(*r, k).guidance)
                continue;
            ++decided;
            const auto &c = t.counts(cell);
            const std::optional<bool> v = t.verdict(cell);
            CriterionVerdict cv;
            cv.id = t.criterion(*r, k).stableId.toStdString();
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
            auto f = failures.find(s.responseId);
            out.error =
                "the judge call failed" +
                (f != failures.end() ? ": " + f->second : std::string(" (after its retries)"));
            out.verdicts.clear();
            ++failed;
            continue;
        }
        out.reward = t.reward(*r, m_options.missing);
        out.rewardSoft = t.softReward(*r, m_options.missing); // as scores --json has it
        out.passFraction = decided > 0 ? double(passed) / decided : 0;
        out.implicit = p->implicit();
        if (out.implicit)
            out.holisticScore = t.holisticScore(*r).value_or(-1.0);
        out.cached = !s.judged;
        reused += !s.judged;
    }
    m_metrics.countReused(reused);
    m_metrics.countFailures(failed);
    finish();
}

} // namespace rs::serve

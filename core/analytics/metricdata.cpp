#include "metricdata.h"

#include "judge/currentcriteria.h"
#include "judge/judgetemplate.h"
#include "judge/scoring.h"
#include "store/database.h"

#include <QHash>

#include <sqlite3.h>

#include <algorithm>
#include <unordered_map>

namespace rs::analytics {
namespace {

// Per cell and grading: what the judge said. Error verdicts count as no usable verdict, as in
// scoring, but are kept apart from "never judged".
enum : std::int8_t { kMissing = -1, kNo = 0, kYes = 1, kError = 2 };

std::string_view columnUtf8(sqlite3_stmt *st, int col) {
    const auto *p = reinterpret_cast<const char *>(sqlite3_column_text(st, col));
    return p ? std::string_view(p, size_t(sqlite3_column_bytes(st, col))) : std::string_view();
}

// A raw statement for the loops over every response and verdict: QString conversion of
// ~80k response texts would cost more than the metrics themselves.
struct RawStatement {
    sqlite3_stmt *st = nullptr;
    ~RawStatement() { sqlite3_finalize(st); }
};

Expected<void> prepareRaw(store::Database &db, const char *sql, RawStatement &out) {
    if (sqlite3_prepare_v2(db.handle(), sql, -1, &out.st, nullptr) != SQLITE_OK)
        return db.lastError(QStringLiteral("metrics query"));
    return {};
}

struct PromptRubric {
    QString scoring;
    int first = 0; // into MetricData::criteria
    int count = 0;
};

bool startsWithDigitDot(std::string_view line) {
    size_t i = 0;
    while (i < line.size() && i < 4 && line[i] >= '0' && line[i] <= '9')
        ++i;
    return i > 0 && i + 1 < line.size() && (line[i] == '.' || line[i] == ')') && line[i + 1] == ' ';
}

} // namespace

void countFormatting(std::string_view utf8, int *bullets, int *headers) {
    int b = 0, h = 0;
    size_t pos = 0;
    while (pos <= utf8.size()) {
        size_t end = utf8.find('\n', pos);
        if (end == std::string_view::npos)
            end = utf8.size();
        std::string_view line = utf8.substr(pos, end - pos);
        const size_t indent = line.find_first_not_of(" \t");
        if (indent != std::string_view::npos) {
            line.remove_prefix(indent);
            const bool bullet = line.size() >= 2 &&
                                (line[0] == '-' || line[0] == '*' || line[0] == '+') && line[1] == ' ';
            if (bullet || startsWithDigitDot(line))
                ++b;
            else if (line[0] == '#' && line.find_first_not_of('#') != std::string_view::npos &&
                     line[line.find_first_not_of('#')] == ' ')
                ++h;
            else {
                // A line that is bold and nothing else reads as a header in chat answers.
                while (!line.empty() && (line.back() == ' ' || line.back() == '\r'))
                    line.remove_suffix(1);
                const bool boldLine = line.size() > 4 && line.substr(0, 2) == "**" &&
                                      line.substr(line.size() - 2) == "**" &&
                                      line.substr(2, line.size() - 4).find("**") == std::string_view::npos;
                const bool boldLabel = line.size() > 5 && line.substr(0, 2) == "**" &&
                                       line.substr(line.size() - 3) == ":**";
                if (boldLine || boldLabel)
                    ++h;
            }
        }
        pos = end + 1;
    }
    *bullets = b;
    *headers = h;
}

Expected<MetricData> loadMetricData(store::Database &db, const MetricOptions &options) {
    MetricData data;
    auto run = judge::resolveRun(db, options.runId);
    if (!run)
        return run.error();
    const qint64 runId = run->id;
    data.runId = runId;
    if (runId != 0)
        data.gradings = run->gradings;

    // Current rubric of each prompt, read as the scores read it.
    QHash<qint64, PromptRubric> rubrics;
    auto loaded = judge::forEachCurrentCriterion(db, [&](const judge::CurrentCriterion &row) {
        auto it = rubrics.find(row.promptId);
        if (it == rubrics.end()) {
            it = rubrics.insert(row.promptId, PromptRubric{row.scoring, int(data.criteria.size()), 0});
            data.promptCriteria.push_back({row.promptId, {int(data.criteria.size()), 0}});
        }
        CriterionFacts c;
        c.promptId = row.promptId;
        c.stableId = row.stableId;
        c.text = row.text;
        c.weight = row.weight;
        c.hash = judge::criterionHash(c.text, c.weight, run->showWeights);
        data.criteria.push_back(std::move(c));
        ++it->count;
        data.promptCriteria.back().second.second = int(data.criteria.size());
    });
    if (!loaded)
        return loaded.error();

    // Responses, with the style features read straight from the UTF-8 text.
    std::unordered_map<qint64, int> indexOf;
    {
        RawStatement rs;
        if (auto r = prepareRaw(db,
                                "SELECT id, prompt_id, generator, coalesce(tier, ''), length, text"
                                " FROM responses ORDER BY id",
                                rs);
            !r)
            return r.error();
        int rc;
        while ((rc = sqlite3_step(rs.st)) == SQLITE_ROW) {
            ResponseFacts f;
            f.responseId = sqlite3_column_int64(rs.st, 0);
            f.promptId = sqlite3_column_int64(rs.st, 1);
            const std::string_view gen = columnUtf8(rs.st, 2);
            f.generator = QString::fromUtf8(gen.data(), qsizetype(gen.size()));
            const std::string_view tier = columnUtf8(rs.st, 3);
            f.tier = QString::fromUtf8(tier.data(), qsizetype(tier.size()));
            f.length = sqlite3_column_int64(rs.st, 4);
            countFormatting(columnUtf8(rs.st, 5), &f.bullets, &f.headers);
            indexOf.emplace(f.responseId, int(data.responses.size()));
            data.responses.push_back(std::move(f));
        }
        if (rc != SQLITE_DONE)
            return db.lastError(QStringLiteral("reading responses"));
    }

    // Each response's cells: criteria of its prompt × gradings, filled by one verdict pass.
    const int G = std::max(1, data.gradings);
    std::vector<const PromptRubric *> rubricOf(data.responses.size(), nullptr);
    std::vector<std::vector<std::int8_t>> cells(data.responses.size());
    for (size_t i = 0; i < data.responses.size(); ++i) {
        auto it = rubrics.constFind(data.responses[i].promptId);
        if (it == rubrics.cend())
            continue;
        rubricOf[i] = &it.value();
        cells[i].assign(size_t(it->count) * size_t(G), kMissing);
    }
    const auto cellIndex = [&](int response, std::int64_t hash) -> int {
        const PromptRubric *r = rubricOf[size_t(response)];
        if (!r)
            return -1;
        for (int k = 0; k < r->count; ++k)
            if (data.criteria[size_t(r->first) + size_t(k)].hash == hash)
                return k;
        return -1;
    };
    if (runId != 0) {
        RawStatement vs;
        if (auto r = prepareRaw(db,
                                "SELECT response_id, criterion_hash, grading, verdict FROM verdicts"
                                " WHERE run_id = ?1",
                                vs);
            !r)
            return r.error();
        sqlite3_bind_int64(vs.st, 1, runId);
        int rc;
        while ((rc = sqlite3_step(vs.st)) == SQLITE_ROW) {
            const auto it = indexOf.find(sqlite3_column_int64(vs.st, 0));
            if (it == indexOf.end())
                continue;
            const int k = cellIndex(it->second, sqlite3_column_int64(vs.st, 1));
            const int g = int(sqlite3_column_int64(vs.st, 2));
            if (k < 0 || g < 0 || g >= G)
                continue;
            const std::string_view v = columnUtf8(vs.st, 3);
            cells[size_t(it->second)][size_t(k) * size_t(G) + size_t(g)] = v == "yes"  ? kYes
                                                                           : v == "no" ? kNo
                                                                                       : kError;
        }
        if (rc != SQLITE_DONE)
            return db.lastError(QStringLiteral("reading verdicts"));
    }

    // The latest live override per cell wins, as in scoring.
    std::unordered_map<std::uint64_t, std::pair<int, bool>> overrides; // key -> (criterion, yes)
    {
        auto os = db.prepare("SELECT response_id, criterion_hash, verdict FROM overrides"
                             " WHERE reverted_at IS NULL ORDER BY id");
        if (!os)
            return os.error();
        for (;;) {
            auto row = os->step();
            if (!row)
                return row.error();
            if (!row.value())
                break;
            const auto it = indexOf.find(os->columnInt(0));
            if (it == indexOf.end())
                continue;
            const int k = cellIndex(it->second, os->columnInt(1));
            if (k < 0)
                continue;
            const std::uint64_t key = (std::uint64_t(it->second) << 20) | std::uint64_t(k);
            overrides[key] = {k, os->columnText(2) == QLatin1String("yes")};
        }
    }

    // Majorities, flips, and rewards (the majority one and one per grading).
    data.verdicts.resize(data.responses.size());
    data.judgeVerdicts.resize(data.responses.size());
    std::vector<judge::CriterionOutcome> outcomes;
    for (size_t i = 0; i < data.responses.size(); ++i) {
        const PromptRubric *r = rubricOf[i];
        if (!r)
            continue;
        ResponseFacts &f = data.responses[i];
        const auto aggregation = judge::aggregationFor(r->scoring);
        std::vector<Verdict> &vi = data.verdicts[i];
        vi.assign(size_t(r->count), Verdict::Missing);
        std::vector<Verdict> &ji = data.judgeVerdicts[i];
        ji.assign(size_t(r->count), Verdict::Missing);
        outcomes.assign(size_t(r->count), {});
        std::vector<std::vector<judge::CriterionOutcome>> perGrading(static_cast<size_t>(G));
        bool judged = false;
        for (int k = 0; k < r->count; ++k) {
            const double w = data.criteria[size_t(r->first) + size_t(k)].weight;
            int yes = 0, no = 0;
            for (int g = 0; g < G; ++g) {
                const std::int8_t v = cells[i][size_t(k) * size_t(G) + size_t(g)];
                yes += v == kYes;
                no += v == kNo;
            }
            if (yes > 0 && no > 0)
                ++data.flippedCells;
            if (yes + no >= 2)
                ++data.repeatedCells;
            const std::optional<bool> judge = judge::majority(yes, no);
            std::optional<bool> met = judge;
            ji[size_t(k)] = judge ? (*judge ? Verdict::Yes : Verdict::No) : Verdict::Missing;
            const std::uint64_t key = (std::uint64_t(i) << 20) | std::uint64_t(k);
            const auto o = overrides.find(key);
            if (o != overrides.end()) {
                met = o->second.second;
                if (judge)
                    data.overrides.push_back({int(i), r->first + k, o->second.second, *judge});
            }
            judged = judged || met.has_value();
            vi[size_t(k)] = met ? (*met ? Verdict::Yes : Verdict::No) : Verdict::Missing;
            outcomes[size_t(k)] = judge::CriterionOutcome{w, met};
            for (int g = 0; g < G; ++g) {
                const std::int8_t v = cells[i][size_t(k) * size_t(G) + size_t(g)];
                std::optional<bool> mg;
                if (o != overrides.end())
                    mg = o->second.second;
                else if (v == kYes || v == kNo)
                    mg = v == kYes;
                perGrading[size_t(g)].push_back(judge::CriterionOutcome{w, mg});
            }
        }
        f.scored = judged;
        if (!judged)
            continue;
        f.reward = judge::reward(outcomes, aggregation, judge::MissingPolicy::CountAsNo);
        f.gradingRewards.resize(size_t(G));
        for (int g = 0; g < G; ++g)
            f.gradingRewards[size_t(g)] =
                judge::reward(perGrading[size_t(g)], aggregation, judge::MissingPolicy::CountAsNo);
    }

    // Gold preferences, and each response's gold score: its mean win share over its pairs.
    {
        auto ps = db.prepare("SELECT id, prompt_id, response_a, response_b, preference, source"
                             " FROM preferences WHERE preference IS NOT NULL ORDER BY id");
        if (!ps)
            return ps.error();
        std::vector<std::pair<double, int>> goldSum(data.responses.size(), {0.0, 0});
        for (;;) {
            auto row = ps->step();
            if (!row)
                return row.error();
            if (!row.value())
                break;
            GoldPair p;
            p.preferenceId = ps->columnInt(0);
            p.promptId = ps->columnInt(1);
            const auto a = indexOf.find(ps->columnInt(2));
            const auto b = indexOf.find(ps->columnInt(3));
            if (a == indexOf.end() || b == indexOf.end())
                continue;
            p.a = a->second;
            p.b = b->second;
            p.preference = std::clamp(ps->columnDouble(4), 0.0, 1.0);
            p.source = ps->columnText(5);
            if (!options.preferenceSources.isEmpty() &&
                !options.preferenceSources.contains(p.source))
                continue;
            goldSum[size_t(p.a)].first += 1 - p.preference;
            goldSum[size_t(p.a)].second += 1;
            goldSum[size_t(p.b)].first += p.preference;
            goldSum[size_t(p.b)].second += 1;
            data.gold.push_back(std::move(p));
        }
        for (size_t i = 0; i < goldSum.size(); ++i)
            if (goldSum[i].second > 0)
                data.responses[i].gold = goldSum[i].first / goldSum[i].second;
    }
    return data;
}

Expected<std::vector<std::vector<Verdict>>> loadRunVerdicts(store::Database &db,
                                                            const MetricData &data, qint64 runId) {
    auto run = judge::resolveRun(db, runId);
    if (!run)
        return run.error();
    const bool showWeights = run->showWeights;
    // The other run may show weights where ours did not, so its hashes are recomputed.
    QHash<qint64, std::pair<int, int>> range;
    for (const auto &[prompt, r] : data.promptCriteria)
        range.insert(prompt, r);
    std::vector<std::int64_t> hashes(data.criteria.size());
    for (size_t c = 0; c < data.criteria.size(); ++c)
        hashes[c] =
            judge::criterionHash(data.criteria[c].text, data.criteria[c].weight, showWeights);
    std::unordered_map<qint64, int> indexOf;
    for (size_t i = 0; i < data.responses.size(); ++i)
        indexOf.emplace(data.responses[i].responseId, int(i));

    std::vector<std::vector<std::pair<int, int>>> counts(data.responses.size());
    for (size_t i = 0; i < data.responses.size(); ++i)
        if (const auto it = range.constFind(data.responses[i].promptId); it != range.cend())
            counts[i].assign(size_t(it->second - it->first), {0, 0});
    RawStatement vs;
    if (auto r = prepareRaw(db,
                            "SELECT response_id, criterion_hash, verdict FROM verdicts"
                            " WHERE run_id = ?1",
                            vs);
        !r)
        return r.error();
    sqlite3_bind_int64(vs.st, 1, runId);
    int rc;
    while ((rc = sqlite3_step(vs.st)) == SQLITE_ROW) {
        const auto it = indexOf.find(sqlite3_column_int64(vs.st, 0));
        if (it == indexOf.end() || counts[size_t(it->second)].empty())
            continue;
        const auto rg = range.value(data.responses[size_t(it->second)].promptId);
        const std::int64_t hash = sqlite3_column_int64(vs.st, 1);
        for (int c = rg.first; c < rg.second; ++c) {
            if (hashes[size_t(c)] != hash)
                continue;
            const std::string_view v = columnUtf8(vs.st, 2);
            auto &cell = counts[size_t(it->second)][size_t(c - rg.first)];
            cell.first += v == "yes";
            cell.second += v == "no";
            break;
        }
    }
    if (rc != SQLITE_DONE)
        return db.lastError(QStringLiteral("reading verdicts"));
    std::vector<std::vector<Verdict>> out(data.responses.size());
    for (size_t i = 0; i < counts.size(); ++i) {
        out[i].reserve(counts[i].size());
        for (const auto &[yes, no] : counts[i]) {
            const auto m = judge::majority(yes, no);
            out[i].push_back(m ? (*m ? Verdict::Yes : Verdict::No) : Verdict::Missing);
        }
    }
    return out;
}

} // namespace rs::analytics

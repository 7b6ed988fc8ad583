#include "metricdata.h"

#include "judge/verdicttally.h"
#include "labels/labelstore.h"
#include "store/database.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>

namespace rs::analytics {
namespace {

bool startsWithDigitDot(std::string_view line) {
    size_t i = 0;
    while (i < line.size() && i < 4 && line[i] >= '0' && line[i] <= '9')
        ++i;
    return i > 0 && i + 1 < line.size() && (line[i] == '.' || line[i] == ')') && line[i + 1] == ' ';
}

// Blind labels joined to the run's cells: a label applies while its criterion keeps its id
// and text in the response's current rubric. Projects older than schema 10 have none.
Expected<void> loadLabels(store::Database &db, const judge::VerdictTally &t,
                          const std::unordered_map<qint64, int> &indexOf, MetricData &data) {
    auto has = db.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'labels'");
    if (!has)
        return has.error();
    if (has.value() == 0)
        return {};
    if (data.runId != 0) {
        auto model = db.prepare("SELECT model FROM judge_runs WHERE id = ?1");
        if (!model)
            return model.error();
        model->bind(1, std::int64_t(data.runId));
        if (auto row = model->step(); row && *row)
            data.judgeModel = model->columnText(0);
    }
    auto stored = labels::readLabels(db);
    if (!stored)
        return stored.error();
    std::map<QString, int> annotatorIndex;
    std::map<std::pair<int, int>, std::size_t> cellIndex; // (response, criterion) -> labelled
    for (const labels::HumanLabel &l : stored.value()) {
        if (l.value == labels::LabelValue::Skip)
            continue;
        const auto at = indexOf.find(l.responseId);
        if (at == indexOf.end())
            continue;
        const judge::TallyResponse &r = t.responses()[std::size_t(at->second)];
        const judge::TallyPrompt *p = t.promptOf(r);
        if (!p)
            continue;
        for (int k = 0; k < p->count; ++k) {
            const judge::TallyCriterion &c = t.criterion(r, k);
            const std::size_t cell = r.firstCell + std::size_t(k);
            if (c.stableId != l.stableId || c.text != l.criterion || t.isCheck(cell))
                continue;
            const auto [a, added] = annotatorIndex.emplace(l.annotator, int(annotatorIndex.size()));
            if (added)
                data.annotators.push_back(l.annotator);
            const auto key = std::make_pair(at->second, p->first + k);
            auto found = cellIndex.find(key);
            if (found == cellIndex.end()) {
                found = cellIndex.emplace(key, data.labelled.size()).first;
                data.labelled.push_back(LabelledCell{at->second, p->first + k,
                                                     t.judgeVerdict(cell), {}});
            }
            data.labelled[found->second].labels.emplace_back(a->second,
                                                             l.value == labels::LabelValue::Yes);
            break;
        }
    }
    // Cells shown to the judge as examples are not held out.
    auto examples = db.prepare("SELECT response_id, stable_id, criterion FROM criterion_examples");
    if (!examples)
        return examples.error();
    std::set<std::tuple<qint64, QString, QString>> shown;
    auto read = examples->forEach([&] {
        shown.emplace(examples->columnInt(0), examples->columnText(1), examples->columnText(2));
    });
    if (!read)
        return read.error();
    for (LabelledCell &c : data.labelled) {
        const CriterionFacts &cf = data.criteria[std::size_t(c.criterion)];
        c.example = shown.count({data.responses[std::size_t(c.response)].responseId, cf.stableId, cf.text}) > 0;
    }
    return {};
}

} // namespace

std::optional<bool> humanMajority(const LabelledCell &cell) {
    int yes = 0, no = 0;
    for (const auto &[annotator, said] : cell.labels)
        (said ? yes : no) += 1;
    if (yes == no)
        return std::nullopt;
    return yes > no;
}

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

Expected<MetricData> loadMetricData(store::Database &db, const MetricOptions &options,
                                    judge::VerdictTally *tallyOut) {
    judge::TallyOptions to;
    to.runId = options.runId;
    to.gradingVotes = true;
    to.responsesWithoutRubric = true;
    auto tally = judge::VerdictTally::load(db, to);
    if (!tally)
        return tally.error();
    const judge::VerdictTally &t = tally.value();
    MetricData data;
    data.runId = t.run().id;
    data.gradings = data.runId ? t.gradings() : 0;

    data.criteria.reserve(t.criteria().size());
    for (const judge::TallyCriterion &c : t.criteria())
        data.criteria.push_back(CriterionFacts{c.promptId, c.stableId, c.text, c.weight, c.hash});
    for (const judge::TallyPrompt &p : t.prompts())
        data.promptCriteria.push_back({p.promptId, {p.first, p.first + p.count}});

    // Every response in id order, the tally's order, with the style features read straight
    // from the UTF-8 text (a QString of ~80k texts would cost more than the metrics).
    data.responses.reserve(t.responses().size());
    for (const judge::TallyResponse &r : t.responses()) {
        ResponseFacts f;
        f.responseId = r.responseId;
        f.promptId = r.promptId;
        f.generator = r.generator;
        f.tier = r.tier;
        f.length = r.length;
        data.responses.push_back(std::move(f));
    }
    {
        auto texts = db.prepare("SELECT id, text FROM responses ORDER BY id");
        if (!texts)
            return texts.error();
        std::size_t i = 0;
        bool inStep = true;
        auto read = texts->forEach([&] {
            if (i >= data.responses.size() || data.responses[i].responseId != texts->columnInt(0)) {
                inStep = false; // a response written between the two reads
                return false;
            }
            countFormatting(texts->columnUtf8(1), &data.responses[i].bullets,
                            &data.responses[i].headers);
            ++i;
            return true;
        });
        if (!read)
            return read.error();
        if (!inStep || i != data.responses.size())
            return makeError(
                QStringLiteral("the project changed while its metrics were read; try again"));
    }

    // Majorities, flips, overrides next to the judge, and rewards (the majority one and one per
    // grading), all from the tally the scores read.
    const int G = std::max(1, data.gradings);
    data.verdicts.resize(data.responses.size());
    data.judgeVerdicts.resize(data.responses.size());
    const auto asVerdict = [](std::optional<bool> v) {
        return v ? (*v ? Verdict::Yes : Verdict::No) : Verdict::Missing;
    };
    for (std::size_t i = 0; i < data.responses.size(); ++i) {
        const judge::TallyResponse &r = t.responses()[i];
        const judge::TallyPrompt *p = t.promptOf(r);
        if (!p)
            continue;
        ResponseFacts &f = data.responses[i];
        std::vector<Verdict> &vi = data.verdicts[i];
        std::vector<Verdict> &ji = data.judgeVerdicts[i];
        vi.reserve(std::size_t(p->count));
        ji.reserve(std::size_t(p->count));
        bool judged = false;
        for (int k = 0; k < p->count; ++k) {
            const std::size_t cell = r.firstCell + std::size_t(k);
            const judge::VoteCounts &votes = t.counts(cell);
            if (votes.yes > 0 && votes.no > 0)
                ++f.flippedCells;
            if (votes.yes + votes.no >= 2)
                ++f.repeatedCells;
            const std::optional<bool> judgeSays = t.judgeVerdict(cell);
            const std::optional<bool> met = t.verdict(cell);
            if (const judge::CellOverride *o = t.override(cell); o && judgeSays)
                data.overrides.push_back({int(i), p->first + k, o->met, *judgeSays});
            judged = judged || met.has_value();
            vi.push_back(asVerdict(met));
            ji.push_back(asVerdict(judgeSays));
        }
        data.flippedCells += f.flippedCells;
        data.repeatedCells += f.repeatedCells;
        f.scored = judged;
        if (!judged)
            continue;
        f.reward = t.reward(r, options.missing);
        f.gradingRewards.resize(std::size_t(G));
        for (int g = 0; g < G; ++g)
            f.gradingRewards[std::size_t(g)] = t.gradingReward(r, g, options.missing);
    }

    std::unordered_map<qint64, int> indexOf;
    indexOf.reserve(data.responses.size());
    for (std::size_t i = 0; i < data.responses.size(); ++i)
        indexOf.emplace(data.responses[i].responseId, int(i));

    if (auto joined = loadLabels(db, t, indexOf, data); !joined)
        return joined.error();

    // Oracle answers asked in both orders, for the position-swap rate.
    {
        auto os = db.prepare("SELECT prompt_id, preference, detail FROM preferences"
                             " WHERE source = 'oracle' AND detail IS NOT NULL ORDER BY id");
        if (!os)
            return os.error();
        auto read = os->forEach([&] {
            const QJsonObject detail = QJsonDocument::fromJson(os->columnText(2).toUtf8()).object();
            // A panel oracle keeps each model's answers: each model's swaps are its own.
            const QJsonArray members = detail.value(QStringLiteral("members")).toArray();
            if (!members.isEmpty()) {
                for (const auto &m : members) {
                    const QJsonObject member = m.toObject();
                    if (member.value(QStringLiteral("answers")).toArray().size() == 2)
                        data.oracle.push_back(OracleAsk{os->columnInt(0), member.value(QStringLiteral("model")).toString(),
                                                        member.value(QStringLiteral("preference")).toDouble() == 0.5});
                }
                return;
            }
            if (detail.value(QStringLiteral("answers")).toArray().size() != 2)
                return;
            data.oracle.push_back(OracleAsk{os->columnInt(0), detail.value(QStringLiteral("model")).toString(),
                                            os->columnDouble(1) == 0.5});
        });
        if (!read)
            return read.error();
    }

    // Gold preferences, and each response's gold score: its mean win share over its pairs.
    {
        auto ps = db.prepare("SELECT id, prompt_id, response_a, response_b, preference, source"
                             " FROM preferences WHERE preference IS NOT NULL ORDER BY id");
        if (!ps)
            return ps.error();
        std::vector<std::pair<double, int>> goldSum(data.responses.size(), {0.0, 0});
        auto read = ps->forEach([&] {
            GoldPair p;
            p.preferenceId = ps->columnInt(0);
            p.promptId = ps->columnInt(1);
            const auto a = indexOf.find(ps->columnInt(2));
            const auto b = indexOf.find(ps->columnInt(3));
            if (a == indexOf.end() || b == indexOf.end())
                return;
            p.a = a->second;
            p.b = b->second;
            p.preference = std::clamp(ps->columnDouble(4), 0.0, 1.0);
            p.source = ps->columnText(5);
            if (!options.preferenceSources.isEmpty() &&
                !options.preferenceSources.contains(p.source))
                return;
            goldSum[size_t(p.a)].first += 1 - p.preference;
            goldSum[size_t(p.a)].second += 1;
            goldSum[size_t(p.b)].first += p.preference;
            goldSum[size_t(p.b)].second += 1;
            data.gold.push_back(std::move(p));
        });
        if (!read)
            return read.error();
        for (size_t i = 0; i < goldSum.size(); ++i)
            if (goldSum[i].second > 0)
                data.responses[i].gold = goldSum[i].first / goldSum[i].second;
    }
    if (tallyOut)
        *tallyOut = std::move(tally.value());
    return data;
}

Expected<std::vector<std::vector<Verdict>>> loadRunVerdicts(store::Database &db,
                                                            const MetricData &data, qint64 runId) {
    // The other run's own tally: it may show weights where ours did not, so its criterion
    // hashes differ, but its cells are the same current rubrics' in the same order.
    judge::TallyOptions to;
    to.runId = runId;
    to.responsesWithoutRubric = true;
    auto tally = judge::VerdictTally::load(db, to);
    if (!tally)
        return tally.error();
    const judge::VerdictTally &t = tally.value();
    if (t.responses().size() != data.responses.size() ||
        t.criteria().size() != data.criteria.size())
        return makeError(
            QStringLiteral("the project changed while its metrics were read; try again"));
    std::vector<std::vector<Verdict>> out(data.responses.size());
    for (std::size_t i = 0; i < out.size(); ++i) {
        const judge::TallyResponse &r = t.responses()[i];
        const judge::TallyPrompt *p = t.promptOf(r);
        if (!p)
            continue;
        out[i].reserve(std::size_t(p->count));
        for (int k = 0; k < p->count; ++k) {
            const auto m = t.judgeVerdict(r.firstCell + std::size_t(k));
            out[i].push_back(m ? (*m ? Verdict::Yes : Verdict::No) : Verdict::Missing);
        }
    }
    return out;
}

} // namespace rs::analytics

#include "consistencyfilter.h"

#include "judge/judgerunner.h"
#include "judgestage.h"
#include "judge/judgetemplate.h"
#include "judge/scoring.h"
#include "rubric/checkcriterion.h"
#include "rubric/checkspec.h"
#include "store/database.h"
#include "store/projectstore.h"

#include <QHash>
#include <QJsonArray>
#include <QSet>

#include <memory>

namespace rs::authoring {
namespace {

QString percentText(double rate) {
    return QStringLiteral("%1%").arg(qRound(rate * 100));
}

QJsonObject tallyJson(const rubric::PreferenceTally &t) {
    return QJsonObject{{QStringLiteral("agree"), t.agree},
                       {QStringLiteral("contradict"), t.contradict},
                       {QStringLiteral("neutral"), t.neutral},
                       {QStringLiteral("unjudged"), t.unjudged}};
}

// The rubric's call on one pair: its weighted-sum reward over the kept criteria.
rubric::PairCall rubricCall(const QList<int> &kept, const ConsistencyCandidate &c,
                            const KnownPreference &pair, const CandidateVerdictFn &verdict) {
    std::vector<judge::CriterionOutcome> preferred;
    std::vector<judge::CriterionOutcome> rejected;
    for (int i : kept) {
        const auto p = verdict(pair.preferred, i);
        const auto r = verdict(pair.rejected, i);
        if (!p || !r)
            return rubric::PairCall::Unjudged;
        preferred.push_back({c.criteria[i].weight, p, false, std::nullopt});
        rejected.push_back({c.criteria[i].weight, r, false, std::nullopt});
    }
    const double a =
        judge::reward(preferred, judge::Aggregation::WeightedSum, judge::MissingPolicy::CountAsNo);
    const double b =
        judge::reward(rejected, judge::Aggregation::WeightedSum, judge::MissingPolicy::CountAsNo);
    if (a == b)
        return rubric::PairCall::Neutral;
    return a > b ? rubric::PairCall::Agree : rubric::PairCall::Contradict;
}

struct CandidateVotes {
    int yes = 0;
    int no = 0;
};

} // namespace

int RubricConsistency::dropped() const {
    return int(std::count_if(criteria.cbegin(), criteria.cend(),
                             [](const CriterionConsistency &c) { return !c.kept; }));
}

QJsonObject RubricConsistency::toDetail() const {
    QJsonArray rows;
    for (const auto &c : criteria) {
        QJsonObject o = tallyJson(c.tally);
        o.insert(QStringLiteral("criterion"), c.text);
        o.insert(QStringLiteral("kept"), c.kept);
        if (!c.reason.isEmpty())
            o.insert(QStringLiteral("reason"), c.reason);
        rows.append(o);
    }
    QJsonObject rubricRow = tallyJson(rubric);
    if (rubricRate)
        rubricRow.insert(QStringLiteral("rate"), *rubricRate);
    return QJsonObject{{QStringLiteral("min_rate"), minRate},
                       {QStringLiteral("pairs"), rubric.pairs()},
                       {QStringLiteral("rubric"), rubricRow},
                       {QStringLiteral("dropped"), dropped()},
                       {QStringLiteral("criteria"), rows}};
}

RubricConsistency assessConsistency(const ConsistencyCandidate &candidate,
                                    const CandidateVerdictFn &verdict, double minRate) {
    RubricConsistency out;
    out.promptId = candidate.promptId;
    out.minRate = minRate;
    QList<int> kept;
    for (int i = 0; i < candidate.criteria.size(); ++i) {
        const rubric::CriterionDraft &d = candidate.criteria[i];
        CriterionConsistency c{d.stableId, d.text, {}, true, {}};
        for (const KnownPreference &p : candidate.pairs)
            c.tally.add(rubric::classifyPair(verdict(p.preferred, i), verdict(p.rejected, i)));
        const auto rate = c.tally.rate();
        if (!d.checkJson.isEmpty()) {
            c.reason = QStringLiteral("checked by code: kept as it is");
        } else if (rate && *rate < minRate) {
            c.kept = false;
            c.reason = QStringLiteral("reproduces %1 of the %2 preferences it separates (%3 < %4)")
                           .arg(c.tally.agree)
                           .arg(c.tally.decisive())
                           .arg(percentText(*rate), percentText(minRate));
        } else if (!rate) {
            c.reason = c.tally.unjudged == c.tally.pairs()
                           ? QStringLiteral("no verdict on any pair")
                           : QStringLiteral("separates no pair: kept, it does not contradict them");
        }
        if (c.kept) {
            kept.push_back(i);
            out.keptCriteria.push_back(d);
        }
        out.criteria.push_back(std::move(c));
    }
    for (const KnownPreference &p : candidate.pairs)
        out.rubric.add(kept.isEmpty() ? rubric::PairCall::Unjudged
                                      : rubricCall(kept, candidate, p, verdict));
    const int judged = out.rubric.pairs() - out.rubric.unjudged;
    if (judged > 0)
        out.rubricRate = double(out.rubric.agree) / judged;
    if (kept.isEmpty())
        out.reason = QStringLiteral("no criterion is left");
    else if (!out.rubricRate)
        out.reason = QStringLiteral("the judge gave no complete verdicts on any pair; run again");
    else if (*out.rubricRate < minRate)
        out.reason =
            QStringLiteral("ranks the preferred response first in %1 of %2 pairs (%3 < %4)")
                .arg(out.rubric.agree)
                .arg(judged)
                .arg(percentText(*out.rubricRate), percentText(minRate));
    out.kept = out.reason.isEmpty();
    return out;
}

Expected<std::vector<RubricConsistency>>
ConsistencyFilter::run(const std::vector<ConsistencyCandidate> &candidates,
                       const llm::JobOptions &options, AuthoringProgress &progress,
                       const AuthoringProgressFn &report, const PauseFlag *paused,
                       bool *cancelled) {
    *cancelled = false;
    judge::JudgeConfig jc = m_judge;
    jc.responseIds.clear();
    jc.cells.clear();
    jc.candidates.clear();
    for (const ConsistencyCandidate &c : candidates) {
        if (jc.candidates.contains(c.promptId))
            return makeError(QStringLiteral("prompt %1 has two candidate rubrics in one filter run")
                                 .arg(c.promptId));
        QList<judge::CandidateCriterion> judged;
        for (int i = 0; i < c.criteria.size(); ++i)
            if (c.criteria[i].checkJson.isEmpty())
                judged.push_back(
                    {QStringLiteral("k%1").arg(i + 1), c.criteria[i].text, c.criteria[i].weight});
        jc.candidates.insert(c.promptId, judged);
        for (const KnownPreference &p : c.pairs) {
            jc.responseIds.insert(p.preferred);
            jc.responseIds.insert(p.rejected);
        }
    }
    std::vector<RubricConsistency> out;
    if (jc.responseIds.isEmpty()) {
        for (const ConsistencyCandidate &c : candidates)
            out.push_back(assessConsistency(
                c, [](qint64, int) { return std::nullopt; }, m_minRate));
        return out;
    }

    judge::JudgeRunner runner(m_store, m_scheduler);
    llm::JobOptions judgeOptions = options;
    judgeOptions.kind = QStringLiteral("judge");
    progress.stage = QStringLiteral("consistency");
    auto judged = runner.run(jc, judgeOptions, judgeStage(runner, progress, report, paused));
    if (!judged)
        return judged.error();
    if (judged->cancelled) {
        *cancelled = true;
        return out;
    }

    // The run's votes on the pairs' responses, by (response, criterion hash), and the texts
    // that checks by code read.
    auto db = store::Database::open(m_store.path(), store::Database::Mode::ReadOnly);
    if (!db)
        return db.error();
    auto votes = db->prepare("SELECT criterion_hash, verdict FROM verdicts"
                             " WHERE run_id = ?1 AND response_id = ?2");
    if (!votes)
        return votes.error();
    auto texts = db->prepare("SELECT text FROM responses WHERE id = ?1");
    if (!texts)
        return texts.error();
    QHash<qint64, QHash<qint64, CandidateVotes>> byResponse;
    QHash<qint64, QString> responseText;
    for (qint64 id : std::as_const(jc.responseIds)) {
        votes->reset();
        votes->bind(1, std::int64_t(judged->runId));
        votes->bind(2, std::int64_t(id));
        auto &cells = byResponse[id];
        auto read = votes->forEach([&] {
            CandidateVotes &v = cells[votes->columnInt(0)];
            const QString said = votes->columnText(1);
            v.yes += said == QLatin1String("yes");
            v.no += said == QLatin1String("no");
        });
        if (!read)
            return read.error();
        texts->reset();
        texts->bind(1, std::int64_t(id));
        auto row = texts->step();
        if (!row)
            return row.error();
        if (row.value())
            responseText.insert(id, texts->columnText(0));
    }

    for (const ConsistencyCandidate &c : candidates) {
        std::vector<std::shared_ptr<const rubric::CheckCriterion>> checks(
            size_t(c.criteria.size()));
        std::vector<qint64> hashes(size_t(c.criteria.size()), 0);
        for (int i = 0; i < c.criteria.size(); ++i) {
            const auto &d = c.criteria[i];
            if (d.checkJson.isEmpty()) {
                hashes[size_t(i)] = judge::criterionHash(d.text, d.weight, jc.showWeights);
            } else if (auto spec = rubric::checkFromText(d.checkJson)) {
                checks[size_t(i)] = std::make_shared<rubric::CheckCriterion>(spec.value());
            }
        }
        out.push_back(assessConsistency(
            c,
            [&](qint64 response, int i) -> std::optional<bool> {
                if (const auto &check = checks[size_t(i)])
                    return check->passes(responseText.value(response));
                if (!c.criteria[i].checkJson.isEmpty())
                    return std::nullopt; // a check that no longer parses decides nothing
                const CandidateVotes v = byResponse.value(response).value(hashes[size_t(i)]);
                return judge::majority(v.yes, v.no);
            },
            m_minRate));
    }
    return out;
}

} // namespace rs::authoring

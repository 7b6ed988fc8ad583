#include "contrastiverunner.h"

#include "generationattempts.h"
#include "proposertemplate.h"
#include "rubric/rubricversions.h"
#include "store/database.h"
#include "store/projectstore.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QSet>

namespace rs::authoring {
namespace {

constexpr size_t kContrastivePromptsPerJob = 500; // prompts per proposer job: resume granularity and memory

QJsonArray pairsJson(const QList<KnownPreference> &pairs) {
    QJsonArray out;
    for (const auto &p : pairs)
        out.append(QJsonArray{p.preferred, p.rejected});
    return out;
}

} // namespace

Expected<std::vector<ContrastiveRunner::Planned>>
ContrastiveRunner::plan(const ContrastiveConfig &config, ContrastiveSummary &summary) {
    auto db = store::Database::open(m_store.path(), store::Database::Mode::ReadOnly);
    if (!db)
        return db.error();
    auto known = knownPreferences(db.value(), config.pairs);
    if (!known)
        return known.error();
    const QSet<qint64> wanted(config.pairs.promptIds.cbegin(), config.pairs.promptIds.cend());
    auto st = db->prepare(
        "SELECT p.id, p.text,"
        " EXISTS(SELECT 1 FROM rubrics b JOIN rubric_versions v ON v.rubric_id = b.id"
        "        WHERE b.prompt_id = p.id AND v.origin = 'contrastive'),"
        " EXISTS(SELECT 1 FROM rubrics b JOIN criteria c ON c.version_id = b.head_version_id"
        "        WHERE b.prompt_id = p.id)"
        " FROM prompts p ORDER BY p.id");
    if (!st)
        return st.error();
    auto text = db->prepare("SELECT text FROM responses WHERE id = ?1");
    if (!text)
        return text.error();
    auto textOf = [&](qint64 id) -> Expected<QString> {
        text->reset();
        text->bind(1, std::int64_t(id));
        auto row = text->step();
        if (!row)
            return row.error();
        return row.value() ? text->columnText(0) : QString();
    };
    std::vector<Planned> out;
    Expected<void> inner;
    auto walked = st->forEach([&] {
        const qint64 id = st->columnInt(0);
        if (!wanted.isEmpty() && !wanted.contains(id))
            return true;
        ++summary.inScope;
        const auto pairs = known->value(id);
        if (pairs.isEmpty()) {
            ++summary.noPairs;
            return true;
        }
        if (st->columnInt(2) != 0 || (st->columnInt(3) != 0 && !config.replaceExisting)) {
            ++summary.skipped;
            return true;
        }
        Planned p{id, st->columnText(1), pairs, {}};
        for (const KnownPreference &k : pairs) {
            auto a = textOf(k.preferred);
            auto b = a ? textOf(k.rejected) : a;
            if (!b) {
                inner = b.error();
                return false;
            }
            p.shown.push_back({a.value(), b.value()});
        }
        out.push_back(std::move(p));
        return true;
    });
    if (!walked)
        return walked.error();
    if (!inner)
        return inner.error();
    summary.planned = qint64(out.size());
    return out;
}

Expected<llm::CostPreview> ContrastiveRunner::preview(const ContrastiveConfig &config,
                                                      const llm::PriceTable &prices,
                                                      bool bypassCache) {
    ContrastiveSummary s;
    auto planned = plan(config, s);
    if (!planned)
        return planned.error();
    const ProposerTemplate tpl(ProposerTemplate::Kind::Contrastive, config.system, config.user);
    std::vector<llm::LlmRequest> requests;
    for (const auto &p : planned.value())
        requests.push_back(tpl.renderContrastive(p.text, p.shown));
    return previewProposals(config.providers, std::move(requests), prices, &m_store, bypassCache);
}

Expected<ContrastiveSummary> ContrastiveRunner::run(const ContrastiveConfig &config,
                                                    const llm::JobOptions &options,
                                                    const AuthoringProgressFn &progress) {
    if (config.consistency && (*config.consistency < 0 || *config.consistency > 1))
        return makeError(QStringLiteral("the consistency minimum must lie in [0, 1]"));
    ContrastiveSummary summary;
    auto planned = plan(config, summary);
    if (!planned)
        return planned.error();
    const auto &items = planned.value();
    const ProposerTemplate tpl(ProposerTemplate::Kind::Contrastive, config.system, config.user);

    AuthoringProgress prog;
    prog.stage = QStringLiteral("propose");
    prog.total = qint64(items.size());
    llm::JobOptions opts = options;
    if (opts.kind == QLatin1String("chat"))
        opts.kind = QStringLiteral("generate");
    auto fail = [&](qint64 promptId, const QString &why) {
        if (summary.failures.size() < kMaxFailuresListed)
            summary.failures << QStringLiteral("prompt %1: %2").arg(promptId).arg(why);
    };

    for (size_t begin = 0; begin < items.size() && !summary.cancelled; begin += kContrastivePromptsPerJob) {
        const size_t end = std::min(items.size(), begin + kContrastivePromptsPerJob);
        std::vector<llm::LlmRequest> requests;
        for (size_t i = begin; i < end; ++i)
            requests.push_back(tpl.renderContrastive(items[i].text, items[i].shown));
        prog.stage = QStringLiteral("propose");
        bool cancelled = false;
        auto proposals = proposeAll(m_scheduler, config.providers, std::move(requests), opts, prog,
                                    progress, &m_paused, &cancelled);
        summary.cancelled = cancelled;

        // The filter judges every usable answer of the chunk in one judge run.
        QHash<qint64, RubricConsistency> verdicts;
        if (config.consistency && !cancelled) {
            std::vector<ConsistencyCandidate> candidates;
            for (size_t k = 0; k < proposals.size(); ++k)
                if (proposals[k].ok)
                    candidates.push_back(
                        {items[begin + k].promptId, proposals[k].criteria, items[begin + k].pairs});
            ConsistencyFilter filter(m_store, m_scheduler, config.judge, *config.consistency);
            auto reports = filter.run(candidates, options, prog, progress, &m_paused, &cancelled);
            if (!reports)
                return reports.error();
            summary.cancelled = cancelled;
            for (auto &r : reports.value())
                verdicts.insert(r.promptId, r);
        }

        std::vector<GenerationAttempt> attempts;
        for (size_t k = 0; k < proposals.size(); ++k) {
            const Proposal &p = proposals[k];
            const Planned &item = items[begin + k];
            // Never asked, or not filtered yet: the next run plans it again (from the cache).
            if ((!p.answered && cancelled) ||
                (p.ok && config.consistency && !verdicts.contains(item.promptId)))
                continue;
            GenerationAttempt a = attemptOf(p, item.promptId, QStringLiteral("contrastive"),
                                            config.providers, tpl.version());
            ++prog.done;
            if (!p.ok) {
                a.status = QStringLiteral("failed");
                ++summary.failed;
                fail(item.promptId, p.error);
                attempts.push_back(std::move(a));
                continue;
            }
            QJsonObject detail{{QStringLiteral("model"), config.providers.proposer.model},
                               {QStringLiteral("provider"), config.providers.proposer.name},
                               {QStringLiteral("template_version"), tpl.version()},
                               {QStringLiteral("temperature"), config.providers.temperature},
                               {QStringLiteral("pairs_from"), pairSourceName(config.pairs.source)},
                               {QStringLiteral("pairs"), pairsJson(item.pairs)},
                               {QStringLiteral("repaired"), p.repaired}};
            QList<rubric::CriterionDraft> criteria = p.criteria;
            if (config.consistency) {
                const RubricConsistency &report = verdicts[item.promptId];
                summary.reports.push_back(report);
                summary.droppedCriteria += report.dropped();
                if (!report.kept) {
                    a.status = QStringLiteral("inconsistent");
                    a.error = report.reason;
                    ++summary.rejected;
                    fail(item.promptId, QStringLiteral("not saved: ") + report.reason);
                    attempts.push_back(std::move(a));
                    continue;
                }
                detail.insert(QStringLiteral("consistency"), report.toDetail());
                detail.insert(QStringLiteral("judge_model"), config.judge.provider.model);
                criteria = report.keptCriteria;
            }
            auto v = rubric::saveVersion(
                m_store, item.promptId,
                rubric::VersionOrigin{QStringLiteral("contrastive"), detail}, criteria);
            if (!v)
                return v.error();
            a.versionId = v.value();
            a.status = p.repaired ? QStringLiteral("repaired") : QStringLiteral("ok");
            ++summary.generated;
            attempts.push_back(std::move(a));
        }
        if (auto r = storeAttempts(m_store, attempts); !r)
            return r.error();
        if (progress && !summary.cancelled && !progress(prog))
            summary.cancelled = true;
    }
    summary.calls = prog.calls;
    summary.tokens = prog.tokens;
    summary.costUsd = prog.costUsd;
    if (progress)
        progress(prog);
    return summary;
}

} // namespace rs::authoring

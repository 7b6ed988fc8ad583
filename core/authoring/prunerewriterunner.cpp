#include "prunerewriterunner.h"

#include "proposertemplate.h"
#include "rubric/prunecriteria.h"
#include "rubric/rubricversions.h"
#include "rubric/stableids.h"
#include "store/database.h"
#include "store/projectstore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

namespace rs::authoring {
namespace {

constexpr size_t kPrunePromptsPerJob = 500; // resume granularity and memory, as generation

QString criterionKey(const QString &text) {
    return text.simplified().toCaseFolded();
}

/// Whether `versionId` is a prune rewrite already asked about every one of `dead` (same id,
/// same text): the proposer kept them, and asking again would only replay its answer.
Expected<bool> rewrittenAlready(store::Database &db, const RubricRecord &head,
                                const QList<rubric::DeadCriterion> &dead) {
    if (head.origin != QLatin1String("prune-rewrite"))
        return false;
    auto st = db.prepare("SELECT coalesce(origin_detail, '') FROM rubric_versions WHERE id = ?1");
    if (!st)
        return st.error();
    st->bind(1, std::int64_t(head.versionId));
    auto row = st->step();
    if (!row)
        return row.error();
    QSet<QString> asked;
    if (*row) {
        const QJsonObject detail = QJsonDocument::fromJson(st->columnText(0).toUtf8()).object();
        for (const auto &v : detail.value(QStringLiteral("rewritten")).toArray()) {
            const QJsonObject o = v.toObject();
            asked.insert(o.value(QStringLiteral("id")).toString() + QChar(0) +
                         o.value(QStringLiteral("text")).toString());
        }
    }
    for (const rubric::DeadCriterion &d : dead)
        if (!asked.contains(d.stableId + QChar(0) + d.text))
            return false;
    return true;
}

/// The head with the dead criteria replaced: the others stay as they are and where they are,
/// the replacements go where the first dead one was; a replacement that repeats a kept
/// criterion is dropped.
QList<rubric::CriterionDraft> withReplacements(const QList<CriterionRecord> &head,
                                               const QSet<QString> &deadIds,
                                               const QList<rubric::CriterionDraft> &replacements) {
    QSet<QString> kept;
    for (const CriterionRecord &c : head)
        if (!deadIds.contains(c.stableId))
            kept.insert(criterionKey(c.text));
    QList<rubric::CriterionDraft> fresh;
    for (rubric::CriterionDraft r : replacements) {
        if (kept.contains(criterionKey(r.text)))
            continue;
        r.stableId.clear();
        fresh.push_back(std::move(r));
    }
    const QList<rubric::CriterionDraft> drafts = rubric::toDrafts(head);
    QList<rubric::CriterionDraft> out;
    bool placed = false;
    for (qsizetype i = 0; i < head.size(); ++i) {
        if (!deadIds.contains(head[i].stableId)) {
            out.push_back(drafts[i]);
        } else if (!placed) {
            out.append(fresh);
            placed = true;
        }
    }
    return out;
}

/// The same criteria, maybe in another order: the proposer gave the dead ones back as they
/// were, and a version that only reorders them would be noise in the history.
bool sameCriteria(const QList<CriterionRecord> &head, const QList<rubric::CriterionDraft> &drafts) {
    if (head.size() != drafts.size())
        return false;
    QStringList a, b;
    for (const CriterionRecord &c : head)
        a << c.text + QChar(0) + QString::number(c.weight);
    for (const rubric::CriterionDraft &d : drafts)
        b << d.text + QChar(0) + QString::number(d.weight);
    a.sort();
    b.sort();
    return a == b;
}

QString whyDead(const rubric::DeadCriterion &d) {
    return d.way == rubric::DeadWay::AllPass
               ? QStringLiteral("all %1 judged top answers pass it").arg(d.judged)
               : QStringLiteral("all %1 judged top answers fail it").arg(d.judged);
}

} // namespace

Expected<std::vector<PruneRewriteRunner::Planned>>
PruneRewriteRunner::plan(const PruneRewriteConfig &config, PruneRewriteSummary &summary) {
    auto db = store::Database::open(m_store.path(), store::Database::Mode::ReadOnly);
    if (!db)
        return db.error();
    auto promptText = db->prepare("SELECT text FROM prompts WHERE id = ?1");
    auto responseText = db->prepare("SELECT text FROM responses WHERE id = ?1");
    if (!promptText)
        return promptText.error();
    if (!responseText)
        return responseText.error();
    std::vector<Planned> out;
    const auto byPrompt = rubric::groupByPrompt(config.criteria);
    for (auto it = byPrompt.cbegin(); it != byPrompt.cend(); ++it) {
        ++summary.prompts;
        Planned p;
        p.promptId = it.key();
        auto head = rubric::loadHead(db.value(), p.promptId);
        if (!head)
            return head.error();
        p.head = std::move(head.value());
        for (const rubric::DeadCriterion &d : rubric::stillInHead(it.value(), p.head.criteria)) {
            if (d.check)
                ++summary.checks;
            else
                p.dead.push_back(d);
        }
        auto already = rewrittenAlready(db.value(), p.head, p.dead);
        if (!already)
            return already.error();
        if (p.dead.isEmpty() || already.value()) {
            ++summary.skipped;
            continue;
        }
        promptText->reset();
        promptText->bind(1, std::int64_t(p.promptId));
        if (auto row = promptText->step(); !row)
            return row.error();
        p.prompt = promptText->columnText(0);
        for (const qint64 id : it.value().front().topResponseIds) {
            if (p.responses.size() >= config.maxResponses)
                break;
            responseText->reset();
            responseText->bind(1, std::int64_t(id));
            auto row = responseText->step();
            if (!row)
                return row.error();
            if (*row)
                p.responses << responseText->columnText(0);
        }
        out.push_back(std::move(p));
    }
    summary.planned = qint64(out.size());
    return out;
}

llm::LlmRequest PruneRewriteRunner::render(const PruneRewriteConfig &config, const Planned &item) {
    const ProposerTemplate tpl(ProposerTemplate::Kind::PruneRewrite, config.system, config.user);
    QList<ShownCriterion> rubric;
    for (const CriterionRecord &c : item.head.criteria)
        rubric.push_back({c.stableId, c.text, c.weight});
    QList<DeadShown> dead;
    for (const rubric::DeadCriterion &d : item.dead)
        dead.push_back({{d.stableId, d.text, d.weight}, whyDead(d)});
    return tpl.renderPruneRewrite(item.prompt, rubric, dead, item.responses);
}

Expected<llm::CostPreview> PruneRewriteRunner::preview(const PruneRewriteConfig &config,
                                                       const llm::PriceTable &prices,
                                                       bool bypassCache) {
    PruneRewriteSummary s;
    auto planned = plan(config, s);
    if (!planned)
        return planned.error();
    std::vector<llm::LlmRequest> requests;
    for (const Planned &p : planned.value())
        requests.push_back(render(config, p));
    return previewProposals(config.providers, std::move(requests), prices, &m_store, bypassCache);
}

Expected<PruneRewriteSummary> PruneRewriteRunner::run(const PruneRewriteConfig &config,
                                                      const llm::JobOptions &options,
                                                      const AuthoringProgressFn &progress) {
    PruneRewriteSummary summary;
    auto planned = plan(config, summary);
    if (!planned)
        return planned.error();
    const auto &items = planned.value();
    const ProposerTemplate tpl(ProposerTemplate::Kind::PruneRewrite, config.system, config.user);
    AuthoringProgress prog;
    prog.stage = QStringLiteral("rewrite");
    prog.total = qint64(items.size());
    llm::JobOptions opts = options;
    if (opts.kind == QLatin1String("chat"))
        opts.kind = QStringLiteral("prune");

    for (size_t begin = 0; begin < items.size() && !summary.cancelled;
         begin += kPrunePromptsPerJob) {
        const size_t end = std::min(items.size(), begin + kPrunePromptsPerJob);
        std::vector<llm::LlmRequest> requests;
        for (size_t i = begin; i < end; ++i)
            requests.push_back(render(config, items[i]));
        bool cancelled = false;
        auto proposals = proposeAll(m_scheduler, config.providers, std::move(requests), opts, prog,
                                    progress, &m_paused, &cancelled);
        summary.cancelled = cancelled;
        for (size_t k = 0; k < proposals.size(); ++k) {
            const Proposal &p = proposals[k];
            const Planned &item = items[begin + k];
            if (!p.answered && cancelled)
                continue; // never asked: the next run plans it again
            ++prog.done;
            if (!p.ok) {
                ++summary.failed;
                if (summary.failures.size() < kMaxFailuresListed)
                    summary.failures
                        << QStringLiteral("prompt %1: %2").arg(item.promptId).arg(p.error);
                continue;
            }
            QSet<QString> deadIds;
            for (const rubric::DeadCriterion &d : item.dead)
                deadIds.insert(d.stableId);
            const QList<rubric::CriterionDraft> drafts = rubric::assignStableIds(
                item.head.criteria, withReplacements(item.head.criteria, deadIds, p.criteria));
            if (sameCriteria(item.head.criteria, drafts)) {
                ++summary.unchanged;
                continue;
            }
            QJsonObject detail = rubric::deadDetail(QStringLiteral("rewritten"), item.dead,
                                                    config.runId, config.top);
            detail.insert(QStringLiteral("model"), config.providers.proposer.model);
            detail.insert(QStringLiteral("provider"), config.providers.proposer.name);
            detail.insert(QStringLiteral("template_version"), tpl.version());
            detail.insert(QStringLiteral("temperature"), config.providers.temperature);
            detail.insert(QStringLiteral("repaired"), p.repaired);
            if (p.repaired)
                detail.insert(QStringLiteral("repair_model"),
                              config.providers.repair.value_or(config.providers.proposer).model);
            auto v =
                rubric::saveVersion(m_store, item.promptId,
                                    rubric::VersionOrigin{QStringLiteral("prune-rewrite"), detail},
                                    drafts, item.head.versionId);
            if (!v)
                return v.error();
            ++summary.rewritten;
            summary.repaired += p.repaired ? 1 : 0;
        }
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

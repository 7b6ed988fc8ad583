#include "generationrunner.h"

#include "generationattempts.h"
#include "proposertemplate.h"
#include "rubric/rubricversions.h"
#include "store/database.h"
#include "store/projectstore.h"

#include <QJsonObject>
#include <QSet>

namespace rs::authoring {
namespace {

constexpr size_t kPromptsPerJob = 500; // prompts per proposer job: resume granularity and memory

} // namespace

Expected<std::vector<GenerationRunner::Planned>> GenerationRunner::plan(const GenerationConfig &config,
                                                                        GenerationSummary &summary)
{
    auto db = store::Database::open(m_store.path(), store::Database::Mode::ReadOnly);
    if (!db)
        return db.error();
    QSet<qint64> wanted(config.promptIds.begin(), config.promptIds.end());
    if (config.retryFailedOnly) {
        auto failed = promptsWithFailedGeneration(db.value());
        if (!failed)
            return failed.error();
        QSet<qint64> f(failed->begin(), failed->end());
        wanted = wanted.isEmpty() ? f : wanted.intersect(f);
        if (wanted.isEmpty())
            return std::vector<Planned>{};
    }
    // has_generated: resume skips it. has_rubric: a rubric from elsewhere is not replaced
    // unless asked.
    auto st = db->prepare(
        "SELECT p.id, p.text,"
        " EXISTS(SELECT 1 FROM rubrics b JOIN rubric_versions v ON v.rubric_id = b.id"
        "        WHERE b.prompt_id = p.id AND v.origin = 'generation'),"
        " EXISTS(SELECT 1 FROM rubrics b JOIN criteria c ON c.version_id = b.head_version_id"
        "        WHERE b.prompt_id = p.id)"
        " FROM prompts p ORDER BY p.id");
    if (!st)
        return st.error();
    auto refs = db->prepare("SELECT text FROM responses WHERE prompt_id = ?1 AND is_empty = 0"
                            " ORDER BY id LIMIT ?2");
    if (!refs)
        return refs.error();
    std::vector<Planned> out;
    // A failed read of the references stops the walk: asking without them would be paid for
    // and give a different rubric than the user asked for.
    Expected<void> inner;
    auto walked = st->forEach([&] {
        const qint64 id = st->columnInt(0);
        if (!wanted.isEmpty() && !wanted.contains(id))
            return true;
        ++summary.inScope;
        const bool generated = st->columnInt(2) != 0;
        const bool hasRubric = st->columnInt(3) != 0;
        if (generated || (hasRubric && !config.replaceExisting)) {
            ++summary.skipped;
            return true;
        }
        Planned p{id, st->columnText(1), {}};
        if (config.withReferences > 0) {
            refs->reset();
            refs->bind(1, std::int64_t(id));
            refs->bind(2, std::int64_t(config.withReferences));
            inner = refs->forEach([&] { p.references << refs->columnText(0); });
            if (!inner)
                return false;
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

Expected<llm::CostPreview> GenerationRunner::preview(const GenerationConfig &config,
                                                     const llm::PriceTable &prices, bool bypassCache)
{
    GenerationSummary s;
    auto planned = plan(config, s);
    if (!planned)
        return planned.error();
    const ProposerTemplate tpl(ProposerTemplate::Kind::Generate, config.system, config.user);
    std::vector<llm::LlmRequest> requests;
    for (const auto &p : planned.value())
        requests.push_back(tpl.renderGenerate(p.text, p.references));
    return previewProposals(config.providers, std::move(requests), prices, &m_store, bypassCache);
}

Expected<GenerationSummary> GenerationRunner::run(const GenerationConfig &config,
                                                  const llm::JobOptions &options,
                                                  const AuthoringProgressFn &progress)
{
    GenerationSummary summary;
    auto planned = plan(config, summary);
    if (!planned)
        return planned.error();
    const auto &items = planned.value();
    const ProposerTemplate tpl(ProposerTemplate::Kind::Generate, config.system, config.user);

    AuthoringProgress prog;
    prog.stage = QStringLiteral("propose");
    prog.total = qint64(items.size());
    llm::JobOptions opts = options;
    if (opts.kind == QLatin1String("chat"))
        opts.kind = QStringLiteral("generate");

    for (size_t begin = 0; begin < items.size() && !summary.cancelled; begin += kPromptsPerJob) {
        const size_t end = std::min(items.size(), begin + kPromptsPerJob);
        std::vector<llm::LlmRequest> requests;
        for (size_t i = begin; i < end; ++i)
            requests.push_back(tpl.renderGenerate(items[i].text, items[i].references));
        bool cancelled = false;
        auto proposals = proposeAll(m_scheduler, config.providers, std::move(requests), opts, prog,
                                    progress, &m_paused, &cancelled);
        summary.cancelled = cancelled;

        std::vector<GenerationAttempt> attempts;
        for (size_t k = 0; k < proposals.size(); ++k) {
            const Proposal &p = proposals[k];
            const Planned &item = items[begin + k];
            if (!p.answered && cancelled)
                continue; // never asked: the next run plans it again
            GenerationAttempt a = attemptOf(p, item.promptId, QStringLiteral("generation"),
                                            config.providers, tpl.version());
            if (p.ok) {
                QJsonObject detail{{QStringLiteral("model"), config.providers.proposer.model},
                                   {QStringLiteral("provider"), config.providers.proposer.name},
                                   {QStringLiteral("template_version"), tpl.version()},
                                   {QStringLiteral("temperature"), config.providers.temperature},
                                   {QStringLiteral("references"), qint64(item.references.size())},
                                   {QStringLiteral("repaired"), p.repaired}};
                if (p.repaired)
                    detail.insert(QStringLiteral("repair_model"), a.repairModel);
                auto v = rubric::saveVersion(m_store, item.promptId,
                                             rubric::VersionOrigin{QStringLiteral("generation"), detail},
                                             p.criteria);
                if (!v)
                    return v.error();
                a.versionId = v.value();
                a.status = p.repaired ? QStringLiteral("repaired") : QStringLiteral("ok");
                ++summary.generated;
                summary.repaired += p.repaired;
            } else {
                a.status = QStringLiteral("failed");
                ++summary.failed;
                if (summary.failures.size() < kMaxFailuresListed)
                    summary.failures << QStringLiteral("prompt %1: %2").arg(item.promptId).arg(p.error);
            }
            attempts.push_back(std::move(a));
            ++prog.done;
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

#include "rtd/rtdsnapshot.h"

#include "judge/judgetemplate.h"
#include "rubric/rubricversions.h"
#include "store/database.h"

#include <QSet>

#include <algorithm>

namespace rs::ui {
namespace {

Expected<QString> verdictLine(store::Database &db, qint64 run, qint64 response,
                              const QList<CriterionRecord> &criteria) {
    auto st = db.prepare("SELECT verdict FROM verdicts WHERE run_id = ?1 AND response_id = ?2"
                         " AND criterion_hash = ?3 AND grading = 0");
    if (!st)
        return st.error();
    QStringList parts;
    for (const auto &c : criteria) {
        st->reset();
        st->bind(1, std::int64_t(run));
        st->bind(2, std::int64_t(response));
        st->bind(3, std::int64_t(judge::criterionHash(c.text, c.weight, false)));
        QString mark = QStringLiteral("·");
        auto row = st->step();
        if (!row)
            return row.error();
        if (*row)
            mark = st->columnText(0) == QLatin1String("yes")  ? QStringLiteral("✓")
                   : st->columnText(0) == QLatin1String("no") ? QStringLiteral("✗")
                                                              : QStringLiteral("!");
        parts << c.stableId + QLatin1Char(' ') + mark;
    }
    return parts.join(QStringLiteral("  "));
}

} // namespace

Expected<RtdSnapshot> readRtdSnapshot(store::Database &db, qint64 promptId, RtdFocus focus,
                                      bool proposalWaiting) {
    auto &[focusA, focusB, judgeRun, rubricVersion, scoreA, scoreB, savedVersion] = focus;
    RtdSnapshot s;
    s.promptId = promptId;
    auto p = db.prepare("SELECT text FROM prompts WHERE id = ?1");
    if (!p)
        return p.error();
    p->bind(1, std::int64_t(promptId));
    auto prompt = p->step();
    if (!prompt)
        return prompt.error();
    if (*prompt)
        s.promptText = p->columnText(0);
    auto rounds = authoring::listRounds(db, promptId);
    if (!rounds)
        return rounds.error();
    s.rounds = rounds.value();
    auto versions = rubric::listVersions(db, promptId);
    if (!versions)
        return versions.error();
    for (qsizetype i = 0; i < versions->size(); ++i)
        s.versionNumbers.insert(versions->at(i).id, int(i + 1));
    auto gens = db.prepare("SELECT id, generator, coalesce(tier, '') FROM responses WHERE "
                           "prompt_id = ?1 AND is_empty = 0");
    if (!gens)
        return gens.error();
    gens->bind(1, std::int64_t(promptId));
    QList<qint64> all;
    QHash<qint64, QString> tiers;
    auto walked = gens->forEach([&] {
        all << gens->columnInt(0);
        s.generators.insert(gens->columnInt(0), gens->columnText(1));
        tiers.insert(gens->columnInt(0), gens->columnText(2));
    });
    if (!walked)
        return walked.error();
    QSet<qint64> used;
    for (const auto &r : s.rounds)
        s.series = std::max(s.series, r.series);
    for (const auto &r : s.rounds)
        if (r.series == s.series)
            used << r.responseA << r.responseB;
    s.pool = int(all.size() - used.size());

    if (!focusA && !s.rounds.isEmpty()) {
        const auto &last = s.rounds.last();
        focusA = last.responseA;
        focusB = last.responseB;
        judgeRun = last.judgeRunId;
        rubricVersion = last.previousVersionId;
        scoreA = last.scoreA;
        scoreB = last.scoreB;
        savedVersion = last.versionId;
    }
    if (savedVersion && !proposalWaiting) {
        for (const auto &r : s.rounds)
            if (r.versionId == savedVersion)
                s.savedRound = r.round;
        auto before = rubric::loadVersion(db, rubricVersion);
        auto after = rubric::loadVersion(db, savedVersion);
        if (!before)
            return before.error();
        if (!after)
            return after.error();
        s.savedVersion = savedVersion;
        s.before = before->criteria;
        s.after = after->criteria;
        for (const rubric::VersionInfo &v : versions.value())
            if (v.id == savedVersion)
                s.note = v.detail.value(QStringLiteral("note")).toString();
    }
    if (!focusA)
        return s;
    s.shownA = focusA;
    s.shownB = focusB;
    auto text = db.prepare("SELECT text FROM responses WHERE id = ?1");
    if (!text)
        return text.error();
    for (auto [id, out] : {std::pair{focusA, &s.textA}, std::pair{focusB, &s.textB}}) {
        text->reset();
        text->bind(1, std::int64_t(id));
        auto row = text->step();
        if (!row)
            return row.error();
        if (*row)
            *out = text->columnText(0);
    }
    auto caption = [&](const char *side, qint64 id, double score) -> QString {
        QString t = QStringLiteral("%1 · %2").arg(QLatin1String(side), s.generators.value(id));
        if (!tiers.value(id).isEmpty())
            t += QStringLiteral(" · ") + tiers.value(id);
        return t + QStringLiteral(" · reward %1").arg(score, 0, 'f', 3);
    };
    s.captionA = caption("A", focusA, scoreA);
    s.captionB = caption("B", focusB, scoreB);
    auto rubric = rubric::loadVersion(db, rubricVersion);
    if (rubric) {
        auto lineA = verdictLine(db, judgeRun, focusA, rubric->criteria);
        if (!lineA)
            return lineA.error();
        auto lineB = verdictLine(db, judgeRun, focusB, rubric->criteria);
        if (!lineB)
            return lineB.error();
        s.verdictsA = std::move(*lineA);
        s.verdictsB = std::move(*lineB);
    }
    return s;
}

} // namespace rs::ui

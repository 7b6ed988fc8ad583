#include "verdictexport.h"

#include "judge/aggregationjson.h"
#include "judge/verdicttally.h"
#include "packcodec.h"
#include "store/database.h"

#include <QSaveFile>
#include <QSet>

#include <nlohmann/json.hpp>

#include <map>

using nlohmann::json;

namespace rs::pack {
namespace {

QByteArray csvField(const QString &s)
{
    QString v = s;
    if (v.contains(QLatin1Char(',')) || v.contains(QLatin1Char('"')) || v.contains(QLatin1Char('\n'))
        || v.contains(QLatin1Char('\r')))
        v = QLatin1Char('"') + v.replace(QLatin1Char('"'), QStringLiteral("\"\"")) + QLatin1Char('"');
    return v.toUtf8();
}

QByteArray csvRow(const QStringList &fields)
{
    QByteArray row;
    for (qsizetype i = 0; i < fields.size(); ++i) {
        if (i)
            row += ',';
        row += csvField(fields[i]);
    }
    return row + "\r\n";
}

} // namespace

Expected<VerdictExportResult> exportVerdicts(store::Database &db, const VerdictExportOptions &options)
{
    judge::TallyOptions to;
    to.runId = options.runId;
    to.voteDetails = true; // the calls behind each verdict go into the JSONL lines
    if (options.promptIds.size() == 1)
        to.promptId = options.promptIds.first();
    auto tally = judge::VerdictTally::load(db, to);
    if (!tally)
        return tally.error();
    const judge::VerdictTally &t = tally.value();
    VerdictExportResult result;
    result.runId = t.run().id;
    if (result.runId == 0)
        return makeError(QStringLiteral("the project has no judge run to export"));
    const bool perCriterion = t.run().perCriterion;

    auto calls = db.prepare("SELECT grading, coalesce(raw, '') FROM judge_calls WHERE id = ?1 AND error IS NULL");
    if (!calls)
        return calls.error();

    const QSet<qint64> wanted(options.promptIds.begin(), options.promptIds.end());
    const auto yesNo = [](std::optional<bool> v) {
        return v ? (*v ? QStringLiteral("yes") : QStringLiteral("no")) : QString();
    };
    // Who decides a cell: code, the judge, or (an implicit rubric's guidance) nobody alone.
    const auto source = [&](const judge::TallyResponse &r, int k, std::size_t cell) {
        return t.isCheck(cell) ? "check" : t.criterion(r, k).guidance ? "guidance" : "judge";
    };
    QByteArray outBytes;
    if (options.csv)
        outBytes += csvRow({QStringLiteral("response_id"), QStringLiteral("prompt_id"),
                            QStringLiteral("prompt_hash"), QStringLiteral("generator"),
                            QStringLiteral("tier"), QStringLiteral("criterion_id"),
                            QStringLiteral("criterion"), QStringLiteral("weight"),
                            QStringLiteral("verdict"), QStringLiteral("yes"), QStringLiteral("no"),
                            QStringLiteral("error"), QStringLiteral("override"),
                            QStringLiteral("reward"), QStringLiteral("scoring"),
                            QStringLiteral("source"), QStringLiteral("holistic_score")});
    for (const judge::TallyResponse &r : t.responses()) {
        if (!wanted.isEmpty() && !wanted.contains(r.promptId))
            continue;
        const judge::TallyPrompt &rubric = *t.promptOf(r);
        const double reward = t.reward(r, judge::MissingPolicy::CountAsNo);
        const QString phash = codec::promptHash(rubric.promptText);
        const std::optional<double> holistic = t.holisticScore(r);
        ++result.responses;

        if (options.csv) {
            for (int k = 0; k < rubric.count; ++k) {
                const std::size_t cell = r.firstCell + std::size_t(k);
                const judge::TallyCriterion &c = t.criterion(r, k);
                const judge::VoteCounts &v = t.counts(cell);
                const judge::CellOverride *o = t.override(cell);
                outBytes +=
                    csvRow({QString::number(r.responseId), QString::number(r.promptId), phash,
                            r.generator, r.tier, c.stableId, c.text, QString::number(c.weight),
                            yesNo(t.judgeVerdict(cell)), QString::number(v.yes),
                            QString::number(v.no), QString::number(v.error),
                            o ? yesNo(o->met) : QString(), QString::number(reward, 'g', 10),
                            rubric.scoring, QString::fromLatin1(source(r, k, cell)),
                            holistic ? QString::number(*holistic, 'g', 10) : QString()});
                ++result.rows;
            }
            continue;
        }
        json criteria = json::array();
        json overridesById = json::object();
        std::map<qint64, QStringList> callCriteria; // call id -> ids it decided
        for (int k = 0; k < rubric.count; ++k) {
            const std::size_t cell = r.firstCell + std::size_t(k);
            const judge::TallyCriterion &c = t.criterion(r, k);
            const judge::VoteCounts &v = t.counts(cell);
            const auto m = t.judgeVerdict(cell);
            // "source" says who decided: a check run on the text (no votes) or the judge.
            json o{{"id", c.stableId.toStdString()},
                   {"criterion", c.text.toStdString()},
                   {"weight", c.weight},
                   {"verdict", m ? json(*m ? "yes" : "no") : json(nullptr)},
                   {"source", source(r, k, cell)},
                   {"votes",
                    {{"yes", v.yes}, {"no", v.no}, {"error", v.error}, {"refused", v.refused}}}};
            if (const auto p = t.judgePYes(cell))
                o["p_yes"] = *p;
            if (c.veto)
                o["veto"] = true;
            if (const judge::CellOverride *ov = t.override(cell)) {
                const std::string said = ov->met ? "yes" : "no";
                o["override"] = said;
                overridesById[c.stableId.toStdString()] = said;
            }
            criteria.push_back(std::move(o));
            for (const judge::VoteDetail &d : t.details(cell))
                if (d.callId != 0 && d.vote != judge::Vote::Error)
                    callCriteria[d.callId] << c.stableId;
        }
        json callList = json::array();
        for (const auto &[callId, ids] : callCriteria) {
            calls->reset();
            calls->bind(1, std::int64_t(callId));
            auto row = calls->step();
            if (!row)
                return row.error();
            if (!*row)
                continue;
            json c{{"grading", calls->columnInt(0)}, {"raw", calls->columnText(1).toStdString()}};
            if (perCriterion) {
                c["criterion"] = ids.first().toStdString();
            } else {
                json list = json::array();
                for (const QString &id : ids)
                    list.push_back(id.toStdString());
                c["criteria"] = std::move(list);
            }
            callList.push_back(std::move(c));
        }
        // An implicit rubric's scores, and the calls that gave the usable ones (reward.py
        // parses them again, as it parses verdicts).
        json scores = json::array();
        for (const judge::HolisticVote &v : t.holistic(r)) {
            scores.push_back(json{{"grading", v.grading},
                                  {"score", v.score > 0 ? json(v.score) : json(nullptr)},
                                  {"status", v.score > 0 ? "ok"
                                             : v.refused ? "refused"
                                                         : "error"},
                                  {"rationale", v.rationale.toStdString()}});
            if (v.score == 0 || v.callId == 0)
                continue;
            calls->reset();
            calls->bind(1, std::int64_t(v.callId));
            auto row = calls->step();
            if (!row)
                return row.error();
            if (*row)
                callList.push_back(json{{"grading", calls->columnInt(0)},
                                        {"raw", calls->columnText(1).toStdString()},
                                        {"holistic", true}});
        }
        json line{{"response_id", r.responseId},
                  {"prompt_id", r.promptId},
                  {"prompt_hash", phash.toStdString()},
                  {"generator", r.generator.toStdString()},
                  {"tier", r.tier.toStdString()},
                  {"run_id", result.runId},
                  {"scoring", rubric.scoring.toStdString()},
                  {"reward", reward},
                  {"criteria", std::move(criteria)},
                  {"calls", std::move(callList)},
                  {"overrides", std::move(overridesById)}};
        if (rubric.implicit()) {
            line["aggregation"] = judge::aggregationTypeName(rubric.aggregation.type).toStdString();
            line["holistic_score"] = holistic ? json(*holistic) : json(nullptr);
            line["holistic"] = std::move(scores);
        }
        outBytes += QByteArray::fromStdString(line.dump()) + '\n';
        ++result.rows;
    }
    QSaveFile f(options.out);
    if (!f.open(QIODevice::WriteOnly) || f.write(outBytes) != outBytes.size() || !f.commit())
        return makeError(QStringLiteral("cannot write: %1").arg(f.errorString()), options.out);
    return result;
}

} // namespace rs::pack

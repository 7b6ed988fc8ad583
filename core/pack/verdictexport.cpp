#include "verdictexport.h"

#include "judge/currentcriteria.h"
#include "judge/judgetemplate.h"
#include "judge/scorereader.h"
#include "packcodec.h"
#include "store/database.h"

#include <QHash>
#include <QSaveFile>
#include <QSet>

#include <nlohmann/json.hpp>

#include <map>

using nlohmann::json;

namespace rs::pack {
namespace {

struct Criterion {
    QString id;
    QString text;
    double weight = 0;
    qint64 hash = 0;
};

struct Rubric {
    QString prompt;
    QString scoring;
    QList<Criterion> criteria;
};

struct Votes {
    int yes = 0, no = 0, error = 0;
};

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
    judge::ScoreOptions so;
    so.runId = options.runId;
    VerdictExportResult result;
    auto scores = judge::computeScores(db, so, &result.runId);
    if (!scores)
        return scores.error();
    if (result.runId == 0)
        return makeError(QStringLiteral("the project has no judge run to export"));

    auto run = judge::resolveRun(db, result.runId);
    if (!run)
        return run.error();
    const bool perCriterion = run->perCriterion;
    const bool showWeights = run->showWeights;

    QHash<qint64, Rubric> rubrics;
    auto loaded = judge::forEachCurrentCriterion(db, [&](const judge::CurrentCriterion &c) {
        Rubric &r = rubrics[c.promptId];
        r.prompt = c.promptText;
        r.scoring = c.scoring;
        r.criteria << Criterion{c.stableId, c.text, c.weight, judge::criterionHash(c.text, c.weight, showWeights)};
    });
    if (!loaded)
        return loaded.error();

    auto vs = db.prepare("SELECT criterion_hash, verdict, call_id FROM verdicts WHERE run_id = ?1 AND response_id = ?2");
    auto calls = db.prepare("SELECT grading, coalesce(raw, '') FROM judge_calls WHERE id = ?1 AND error IS NULL");
    auto ov = db.prepare("SELECT criterion_hash, verdict FROM overrides WHERE response_id = ?1"
                         " AND reverted_at IS NULL ORDER BY id");
    for (auto *st : {&vs, &calls, &ov})
        if (!*st)
            return st->error();

    const QSet<qint64> wanted(options.promptIds.begin(), options.promptIds.end());
    QByteArray outBytes;
    if (options.csv)
        outBytes += csvRow({QStringLiteral("response_id"), QStringLiteral("prompt_id"), QStringLiteral("prompt_hash"),
                            QStringLiteral("generator"), QStringLiteral("tier"), QStringLiteral("criterion_id"),
                            QStringLiteral("criterion"), QStringLiteral("weight"), QStringLiteral("verdict"),
                            QStringLiteral("yes"), QStringLiteral("no"), QStringLiteral("error"),
                            QStringLiteral("override"), QStringLiteral("reward"), QStringLiteral("scoring")});
    for (const judge::ResponseScore &s : scores.value()) {
        if (!wanted.isEmpty() && !wanted.contains(s.promptId))
            continue;
        const Rubric &rubric = rubrics[s.promptId];
        QHash<qint64, QString> idOfHash;
        for (const Criterion &c : rubric.criteria)
            idOfHash.insert(c.hash, c.id);

        QHash<qint64, Votes> votes;
        std::map<qint64, QStringList> callCriteria; // call id -> ids it decided
        vs->reset();
        vs->bind(1, std::int64_t(result.runId));
        vs->bind(2, std::int64_t(s.responseId));
        while (true) {
            auto row = vs->step();
            if (!row)
                return row.error();
            if (!row.value())
                break;
            const qint64 hash = vs->columnInt(0);
            if (!idOfHash.contains(hash))
                continue; // a verdict on an earlier version's criterion
            const QString v = vs->columnText(1);
            Votes &t = votes[hash];
            (v == QLatin1String("yes") ? t.yes : v == QLatin1String("no") ? t.no : t.error)++;
            if (!vs->columnIsNull(2) && v != QLatin1String("error"))
                callCriteria[vs->columnInt(2)] << idOfHash.value(hash);
        }
        QHash<qint64, QString> overrides;
        ov->reset();
        ov->bind(1, std::int64_t(s.responseId));
        while (true) {
            auto row = ov->step();
            if (!row)
                return row.error();
            if (!row.value())
                break;
            overrides.insert(ov->columnInt(0), ov->columnText(1));
        }
        const QString phash = codec::promptHash(rubric.prompt);
        ++result.responses;

        if (options.csv) {
            for (const Criterion &c : rubric.criteria) {
                const Votes t = votes.value(c.hash);
                const auto m = judge::majority(t.yes, t.no);
                outBytes += csvRow({QString::number(s.responseId), QString::number(s.promptId), phash, s.generator,
                                    s.tier, c.id, c.text, QString::number(c.weight),
                                    m ? (*m ? QStringLiteral("yes") : QStringLiteral("no")) : QString(),
                                    QString::number(t.yes), QString::number(t.no), QString::number(t.error),
                                    overrides.value(c.hash), QString::number(s.reward, 'g', 10), rubric.scoring});
                ++result.rows;
            }
            continue;
        }
        json criteria = json::array();
        json overridesById = json::object();
        for (const Criterion &c : rubric.criteria) {
            const Votes t = votes.value(c.hash);
            const auto m = judge::majority(t.yes, t.no);
            json o{{"id", c.id.toStdString()},
                   {"criterion", c.text.toStdString()},
                   {"weight", c.weight},
                   {"verdict", m ? json(*m ? "yes" : "no") : json(nullptr)},
                   {"votes", {{"yes", t.yes}, {"no", t.no}, {"error", t.error}}}};
            if (overrides.contains(c.hash)) {
                o["override"] = overrides.value(c.hash).toStdString();
                overridesById[c.id.toStdString()] = overrides.value(c.hash).toStdString();
            }
            criteria.push_back(std::move(o));
        }
        json callList = json::array();
        for (const auto &[callId, ids] : callCriteria) {
            calls->reset();
            calls->bind(1, std::int64_t(callId));
            auto row = calls->step();
            if (!row)
                return row.error();
            if (!row.value())
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
        const json line{{"response_id", s.responseId},
                        {"prompt_id", s.promptId},
                        {"prompt_hash", phash.toStdString()},
                        {"generator", s.generator.toStdString()},
                        {"tier", s.tier.toStdString()},
                        {"run_id", result.runId},
                        {"scoring", rubric.scoring.toStdString()},
                        {"reward", s.reward},
                        {"criteria", std::move(criteria)},
                        {"calls", std::move(callList)},
                        {"overrides", std::move(overridesById)}};
        outBytes += QByteArray::fromStdString(line.dump()) + '\n';
        ++result.rows;
    }
    QSaveFile f(options.out);
    if (!f.open(QIODevice::WriteOnly) || f.write(outBytes) != outBytes.size() || !f.commit())
        return makeError(QStringLiteral("cannot write: %1").arg(f.errorString()), options.out);
    return result;
}

} // namespace rs::pack

#include "project/demohistory.h"

#include "authoring/pairselection.h"
#include "authoring/rtdrunner.h"
#include "judge/judgetemplate.h"
#include "judge/overrides.h"
#include "judge/preferences.h"
#include "judge/scorereader.h"
#include "pack/verdictimport.h"
#include "rubric/rubricversions.h"
#include "rubric/stableids.h"
#include "store/database.h"
#include "store/projectreader.h"
#include "store/projectstore.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <algorithm>

namespace rs::ui {
namespace {

const QString kAnnotator = QStringLiteral("demo · written by hand");

struct JsonLine final {
    qint64 number = 0;
    QJsonObject object;
};

Expected<QByteArray> readAll(const QString &file)
{
    QFile in(file);
    if (!in.open(QIODevice::ReadOnly))
        return makeError(QStringLiteral("embedded demo file missing"), file);
    return in.readAll();
}

Expected<QList<JsonLine>> readJsonLines(const QString &file)
{
    auto bytes = readAll(file);
    if (!bytes)
        return bytes.error();
    QList<JsonLine> out;
    const QList<QByteArray> lines = bytes->split('\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        if (lines[i].trimmed().isEmpty())
            continue;
        const QJsonDocument doc = QJsonDocument::fromJson(lines[i]);
        if (!doc.isObject())
            return makeError(QStringLiteral("not a JSON object"), file, i + 1);
        out.push_back({i + 1, doc.object()});
    }
    return out;
}

/// Prompt ids by text and response ids by prompt and generator: how the demo files name them.
class Names final {
public:
    static Expected<Names> read(const QString &path)
    {
        auto reader = store::ProjectReader::open(path);
        if (!reader)
            return reader.error();
        auto count = reader->promptCount({});
        if (!count)
            return count.error();
        auto prompts = reader->prompts({}, 0, count.value());
        if (!prompts)
            return prompts.error();
        Names names;
        for (const PromptSummary &p : prompts.value()) {
            names.m_prompts.insert(p.text, p.id);
            auto responses = reader->responses(p.id);
            if (!responses)
                return responses.error();
            for (const ResponseRecord &r : responses.value())
                names.m_responses.insert({p.id, r.generator}, r.id);
        }
        return names;
    }

    Expected<qint64> prompt(const QString &text, const Error &where) const
    {
        const qint64 id = m_prompts.value(text);
        if (!id)
            return makeError(QStringLiteral("no such prompt in the demo: %1").arg(text.left(60)),
                             where.file, where.line);
        return id;
    }

    Expected<qint64> response(qint64 promptId, const QString &generator, const Error &where) const
    {
        const qint64 id = m_responses.value({promptId, generator});
        if (!id)
            return makeError(QStringLiteral("prompt %1 has no response from \"%2\"")
                                 .arg(promptId)
                                 .arg(generator),
                             where.file, where.line);
        return id;
    }

private:
    QHash<QString, qint64> m_prompts;
    QHash<QPair<qint64, QString>, qint64> m_responses;
};

Error at(const QString &file, qint64 line)
{
    return Error{{}, file, line};
}

/// The rubric the proposer returned, as drafts (ids are matched to the previous version later).
QList<rubric::CriterionDraft> draftsOf(const QJsonArray &rubrics)
{
    QList<rubric::CriterionDraft> drafts;
    for (const QJsonValue &v : rubrics) {
        rubric::CriterionDraft d;
        d.text = v[QStringLiteral("criterion")].toString();
        d.weight = v[QStringLiteral("weight")].toDouble(1);
        d.category = v[QStringLiteral("category")].toString();
        drafts.push_back(d);
    }
    return drafts;
}

/// The verdicts a round graded, as an import-verdicts file in `dir`.
Expected<QString> writeRoundVerdicts(const QString &prompt, const QJsonArray &verdicts, int round,
                                     const QString &dir)
{
    const QString path = QDir(dir).filePath(QStringLiteral("demo_rtd_round%1.jsonl").arg(round));
    QFile out(path);
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return makeError(QStringLiteral("cannot write: %1").arg(out.errorString()), path);
    for (const QJsonValue &v : verdicts) {
        QJsonObject line = v.toObject();
        line.insert(QStringLiteral("prompt"), prompt);
        out.write(QJsonDocument(line).toJson(QJsonDocument::Compact) + '\n');
    }
    if (!out.flush())
        return makeError(QStringLiteral("cannot write: %1").arg(out.errorString()), path);
    return path;
}

} // namespace

Expected<int> DemoHistory::recordRtdRounds(store::ProjectStore &store, const QString &file,
                                           qint64 judgeRunId, const QString &scratchDir)
{
    auto bytes = readAll(file);
    if (!bytes)
        return bytes.error();
    const QJsonObject doc = QJsonDocument::fromJson(bytes.value()).object();
    auto names = Names::read(store.path());
    if (!names)
        return names.error();
    const QString promptText = doc[QStringLiteral("prompt")].toString();
    auto promptId = names->prompt(promptText, at(file, 0));
    if (!promptId)
        return promptId.error();

    QSet<qint64> used; // a pair leaves the pool, as in RtdRunner
    int recorded = 0;
    for (const QJsonValue &value : doc[QStringLiteral("rounds")].toArray()) {
        const QJsonObject r = value.toObject();
        const int number = r[QStringLiteral("round")].toInt();
        auto db = store::Database::open(store.path(), store::Database::Mode::ReadOnly);
        if (!db)
            return db.error();
        judge::ScoreOptions scoring;
        scoring.runId = judgeRunId;
        scoring.promptId = promptId.value();
        auto scores = judge::computeScores(db.value(), scoring);
        if (!scores)
            return scores.error();
        QList<authoring::PoolEntry> pool;
        for (const judge::ResponseScore &s : scores.value())
            if (s.judged > 0 && !used.contains(s.responseId))
                pool.push_back({s.responseId, s.reward});
        auto pair = authoring::selectPair(pool, authoring::PairSelection::Top2, 1, promptId.value(),
                                          number);
        if (!pair)
            return pair.error();
        const QJsonArray named = r[QStringLiteral("pair")].toArray();
        auto a = names->response(promptId.value(), named.at(0).toString(), at(file, 0));
        auto b = names->response(promptId.value(), named.at(1).toString(), at(file, 0));
        if (!a)
            return a.error();
        if (!b)
            return b.error();
        if (pair->a != a.value() || pair->b != b.value())
            return makeError(
                QStringLiteral(
                    "round %1: the scores pick responses %2 and %3, not the pair the file "
                    "names")
                    .arg(number)
                    .arg(pair->a)
                    .arg(pair->b),
                file);
        auto head = rubric::loadHead(db.value(), promptId.value());
        if (!head)
            return head.error();

        authoring::PendingRound pending;
        authoring::RtdRound &round = pending.round;
        round.promptId = promptId.value();
        round.series = 1;
        round.round = number;
        round.selection = authoring::selectionName(authoring::PairSelection::Top2);
        round.responseA = pair->a;
        round.responseB = pair->b;
        round.scoreA = pair->scoreA;
        round.scoreB = pair->scoreB;
        round.topScore = pair->topScore;
        round.tiesAtTop = pair->tiesAtTop;
        round.poolSize = int(pool.size());
        round.judgeRunId = judgeRunId;
        round.previousVersionId = head->versionId;
        pending.previous = head->criteria;
        pending.proposed = rubric::assignStableIds(
            head->criteria, draftsOf(r[QStringLiteral("rubrics")].toArray()));
        pending.detail = round.toDetail();
        pending.detail.insert(QStringLiteral("model"), doc[QStringLiteral("proposer")].toString());
        pending.detail.insert(QStringLiteral("provider"), QStringLiteral("demo"));
        pending.detail.insert(QStringLiteral("note"), r[QStringLiteral("note")].toString());
        auto version = authoring::RtdRunner::acceptRound(store, pending, pending.proposed);
        if (!version)
            return version.error();
        used << pair->a << pair->b;

        // The criteria the round introduced are graded into the run that ranked the pool, as
        // the runner tops up its run before the next round.
        auto verdicts = writeRoundVerdicts(promptText, r[QStringLiteral("verdicts")].toArray(),
                                           number, scratchDir);
        if (!verdicts)
            return verdicts.error();
        pack::VerdictImportOptions topUp;
        topUp.file = verdicts.value();
        topUp.runId = judgeRunId;
        auto imported = pack::importVerdicts(store, topUp);
        if (!imported)
            return imported.error();
        if (imported->warningCount > 0)
            return makeError(
                QStringLiteral("round %1: %2").arg(number).arg(imported->warnings.value(0)), file);
        ++recorded;
    }
    return recorded;
}

Expected<int> DemoHistory::recordPreferences(store::ProjectStore &store, const QString &file)
{
    auto lines = readJsonLines(file);
    if (!lines)
        return lines.error();
    auto names = Names::read(store.path());
    if (!names)
        return names.error();
    int recorded = 0;
    for (const JsonLine &line : lines.value()) {
        const QJsonObject &o = line.object;
        const Error where = at(file, line.number);
        auto promptId = names->prompt(o[QStringLiteral("prompt")].toString(), where);
        if (!promptId)
            return promptId.error();
        auto a = names->response(promptId.value(), o[QStringLiteral("a")].toString(), where);
        auto b = names->response(promptId.value(), o[QStringLiteral("b")].toString(), where);
        if (!a)
            return a.error();
        if (!b)
            return b.error();
        const QString winner = o[QStringLiteral("winner")].toString();
        if (winner != QLatin1String("a") && winner != QLatin1String("b"))
            return makeError(QStringLiteral("\"winner\" must be \"a\" or \"b\""), file,
                             line.number);
        judge::Preference p;
        p.promptId = promptId.value();
        p.responseA = a.value();
        p.responseB = b.value();
        p.preference = winner == QLatin1String("b") ? 1.0 : 0.0;
        p.source = QStringLiteral("import"); // shipped labels, not the user's own picks
        p.detail = QString::fromUtf8(
            QJsonDocument(QJsonObject{{QStringLiteral("file"), QFileInfo(file).fileName()},
                                      {QStringLiteral("line"), line.number},
                                      {QStringLiteral("annotator"), kAnnotator},
                                      {QStringLiteral("note"), o[QStringLiteral("note")]}})
                .toJson(QJsonDocument::Compact));
        auto stored = judge::recordPreference(store, p);
        if (!stored)
            return stored.error();
        ++recorded;
    }
    return recorded;
}

Expected<int> DemoHistory::recordOverrides(store::ProjectStore &store, const QString &file)
{
    auto lines = readJsonLines(file);
    if (!lines)
        return lines.error();
    auto names = Names::read(store.path());
    if (!names)
        return names.error();
    auto db = store::Database::open(store.path(), store::Database::Mode::ReadOnly);
    if (!db)
        return db.error();
    int recorded = 0;
    for (const JsonLine &line : lines.value()) {
        const QJsonObject &o = line.object;
        const Error where = at(file, line.number);
        auto promptId = names->prompt(o[QStringLiteral("prompt")].toString(), where);
        if (!promptId)
            return promptId.error();
        auto response =
            names->response(promptId.value(), o[QStringLiteral("generator")].toString(), where);
        if (!response)
            return response.error();
        auto head = rubric::loadHead(db.value(), promptId.value());
        if (!head)
            return head.error();
        const QString id = o[QStringLiteral("id")].toString();
        const auto criterion =
            std::find_if(head->criteria.cbegin(), head->criteria.cend(),
                         [&id](const CriterionRecord &c) { return c.stableId == id; });
        if (criterion == head->criteria.cend())
            return makeError(
                QStringLiteral("criterion \"%1\" is not in the prompt's current rubric").arg(id),
                file, line.number);
        judge::OverrideRequest request;
        request.responseId = response.value();
        request.rubricId = head->rubricId;
        request.stableId = id;
        // Keyed as the demo's runs key their verdicts (weights not shown to the judge).
        request.criterionHash = judge::criterionHash(criterion->text, criterion->weight, false);
        request.met = o[QStringLiteral("verdict")].toString() == QLatin1String("yes");
        request.note = o[QStringLiteral("note")].toString();
        request.author = QStringLiteral("demo reviewer");
        auto stored = judge::setOverride(store, request);
        if (!stored)
            return stored.error();
        ++recorded;
    }
    return recorded;
}

} // namespace rs::ui

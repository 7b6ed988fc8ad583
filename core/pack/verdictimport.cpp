#include "verdictimport.h"
#include "common/boundedjson.h"

#include "judge/currentcriteria.h"
#include "judge/judgetemplate.h"
#include "packcodec.h"
#include "store/database.h"
#include "store/projectstore.h"

#include <QFile>
#include <QFileInfo>
#include <QHash>

#include <nlohmann/json.hpp>

#include <optional>

using nlohmann::json;

namespace rs::pack {
namespace {

constexpr qsizetype kMaxWarnings = 100;

struct Criterion {
    qint64 hash = 0;
};

struct Prompt {
    QHash<QString, Criterion> criteria;       ///< by stable id, current version
    QHash<QString, QList<qint64>> responses;  ///< by generator
};

/// One placed line: a response and its verdicts.
struct Graded {
    qint64 responseId = 0;
    QByteArray raw;
    struct Verdict {
        QString stableId;
        qint64 hash = 0;
        bool met = false;
        QString reason;
    };
    QList<Verdict> verdicts;
};

std::optional<bool> verdictOf(const json &v)
{
    if (v.is_boolean())
        return v.get<bool>();
    if (v.is_string()) {
        const QString s = QString::fromStdString(v.get<std::string>()).trimmed().toLower();
        if (s == QLatin1String("yes") || s == QLatin1String("true") || s == QLatin1String("met"))
            return true;
        if (s == QLatin1String("no") || s == QLatin1String("false") || s == QLatin1String("not met"))
            return false;
    }
    return std::nullopt;
}

QString stringField(const json &o, const char *key)
{
    const auto it = o.find(key);
    return it != o.end() && it->is_string() ? QString::fromStdString(it->get<std::string>()) : QString();
}

class Reader final {
public:
    Reader(const QString &file, VerdictImportResult &result) : m_file(file), m_result(result) {}

    void warn(qint64 line, const QString &problem)
    {
        ++m_result.warningCount;
        if (m_result.warnings.size() < kMaxWarnings)
            m_result.warnings << Error{problem, m_file, line}.toString();
    }

    /// `showWeights`: whether the run the verdicts go to showed weights, which is part of how
    /// its verdicts are keyed.
    Expected<QHash<QString, Prompt>> loadPrompts(store::Database &db, bool showWeights)
    {
        // Keyed by prompt text: a prompt with neither rubric nor responses has nothing to grade.
        QHash<QString, Prompt> byText;
        auto loaded = judge::forEachCurrentCriterion(
            db, [&byText, showWeights](const judge::CurrentCriterion &c) {
                byText[c.promptText].criteria.insert(
                    c.stableId, Criterion{judge::criterionHash(c.text, c.weight, showWeights)});
            });
        if (!loaded)
            return loaded.error();
        auto rs = db.prepare("SELECT r.id, p.text, r.generator FROM responses r JOIN prompts p ON p.id = r.prompt_id");
        if (!rs)
            return rs.error();
        auto walked = rs->forEach(
            [&] { byText[rs->columnText(1)].responses[rs->columnText(2)] << rs->columnInt(0); });
        if (!walked)
            return walked.error();
        return byText;
    }

    /// Places one line, or warns why not.
    std::optional<Graded> place(qint64 lineNo, const QByteArray &line, const QHash<QString, Prompt> &prompts,
                                const QHash<QString, QString> &textOfHash)
    {
        const json o = parseBoundedJson(std::string_view(line.constData(), size_t(line.size())));
        if (o.is_discarded() || !o.is_object()) {
            warn(lineNo, QStringLiteral("not a JSON object"));
            return std::nullopt;
        }
        QString prompt = stringField(o, "prompt");
        if (prompt.isEmpty())
            prompt = textOfHash.value(stringField(o, "prompt_hash"));
        const auto p = prompts.constFind(prompt);
        if (prompt.isEmpty() || p == prompts.cend()) {
            warn(lineNo, QStringLiteral("no such prompt in the project"));
            return std::nullopt;
        }
        const QString generator = stringField(o, "generator");
        const QList<qint64> ids = p->responses.value(generator);
        if (ids.isEmpty()) {
            warn(lineNo, QStringLiteral("the prompt has no response from generator \"%1\"").arg(generator));
            return std::nullopt;
        }
        if (ids.size() > 1) {
            warn(lineNo, QStringLiteral("generator \"%1\" has %2 responses to this prompt; cannot tell which")
                             .arg(generator)
                             .arg(ids.size()));
            return std::nullopt;
        }
        const auto criteria = o.find("criteria");
        if (criteria == o.end() || !criteria->is_array()) {
            warn(lineNo, QStringLiteral("no \"criteria\" array"));
            return std::nullopt;
        }
        Graded g;
        g.responseId = ids.first();
        g.raw = line;
        for (const json &c : *criteria) {
            if (!c.is_object())
                continue;
            const QString id = stringField(c, "id");
            const auto crit = p->criteria.constFind(id);
            if (crit == p->criteria.cend()) {
                warn(lineNo, QStringLiteral("criterion \"%1\" is not in the prompt's current rubric").arg(id));
                continue;
            }
            const auto v = c.find("verdict");
            if (v == c.end() || v->is_null())
                continue; // not graded: stays pending
            const std::optional<bool> met = verdictOf(*v);
            if (!met) {
                warn(lineNo, QStringLiteral("criterion \"%1\": verdict is not yes or no").arg(id));
                continue;
            }
            g.verdicts.append({id, crit->hash, *met, stringField(c, "reason")});
        }
        if (g.verdicts.isEmpty()) {
            warn(lineNo, QStringLiteral("no verdict on any criterion of the current rubric"));
            return std::nullopt;
        }
        return g;
    }

private:
    QString m_file;
    VerdictImportResult &m_result;
};

Expected<qint64> createRun(store::Database &db, const VerdictImportOptions &options)
{
    const QString judge = options.judge.isEmpty() ? QStringLiteral("imported") : options.judge;
    const QString name = options.runName.isEmpty()
                             ? QStringLiteral("Imported · %1").arg(QFileInfo(options.file).fileName())
                             : options.runName;
    auto st = db.prepare("INSERT INTO judge_runs(name, provider, model, mode, show_weights, gradings, template,"
                         " template_version, params, status) VALUES(?1, 'imported', ?2, 'all_in_one', 0, 1,"
                         " ?3, 'imported', ?4, 'complete')");
    if (!st)
        return st.error();
    st->bind(1, name);
    st->bind(2, judge);
    st->bind(3, QStringLiteral("verdicts imported from %1").arg(QFileInfo(options.file).fileName()));
    // Params make the run unique, so a later real judge run never resumes into it.
    st->bind(4, QString::fromStdString(json{{"imported_from", QFileInfo(options.file).fileName().toStdString()}}.dump()));
    if (auto r = st->run(); !r)
        return r.error();
    return db.lastInsertId();
}

/// Whether run `runId` showed the judge its weights; an error when there is no such run.
Expected<bool> existingRunShowsWeights(store::Database &db, const VerdictImportOptions &options)
{
    auto st = db.prepare("SELECT show_weights FROM judge_runs WHERE id = ?1");
    if (!st)
        return st.error();
    st->bind(1, std::int64_t(options.runId));
    std::optional<bool> shown;
    if (auto read = st->forEach([&] { shown = st->columnInt(0) != 0; }); !read)
        return read.error();
    if (!shown)
        return makeError(
            QStringLiteral("there is no judge run %1 to add verdicts to").arg(options.runId),
            options.file);
    return *shown;
}

Expected<void> storeGraded(store::Database &db, qint64 runId, const QList<Graded> &graded)
{
    auto call = db.prepare("INSERT INTO judge_calls(run_id, response_id, grading, raw) VALUES(?1, ?2, 0, ?3)");
    auto verdict = db.prepare("INSERT OR REPLACE INTO verdicts(run_id, response_id, criterion_hash, stable_id,"
                              " grading, verdict, rationale, call_id) VALUES(?1, ?2, ?3, ?4, 0, ?5, ?6, ?7)");
    if (!call)
        return call.error();
    if (!verdict)
        return verdict.error();
    for (const Graded &g : graded) {
        call->reset();
        call->bind(1, std::int64_t(runId));
        call->bind(2, std::int64_t(g.responseId));
        call->bind(3, std::string_view(g.raw.constData(), size_t(g.raw.size())));
        if (auto r = call->run(); !r)
            return r;
        const qint64 callId = db.lastInsertId();
        for (const Graded::Verdict &v : g.verdicts) {
            verdict->reset();
            verdict->bind(1, std::int64_t(runId));
            verdict->bind(2, std::int64_t(g.responseId));
            verdict->bind(3, std::int64_t(v.hash));
            verdict->bind(4, v.stableId);
            verdict->bind(5, v.met ? QStringLiteral("yes") : QStringLiteral("no"));
            if (v.reason.isEmpty())
                verdict->bindNull(6);
            else
                verdict->bind(6, v.reason);
            verdict->bind(7, std::int64_t(callId));
            if (auto r = verdict->run(); !r)
                return r;
        }
    }
    return {};
}

} // namespace

Expected<VerdictImportResult> importVerdicts(store::ProjectStore &store, const VerdictImportOptions &options)
{
    QFile in(options.file);
    if (!in.open(QIODevice::ReadOnly))
        return makeError(QStringLiteral("cannot read: %1").arg(in.errorString()), options.file);

    VerdictImportResult result;
    auto written = store.writer().write([&](store::Database &db) -> Expected<void> {
        Reader reader(options.file, result);
        // Imported verdicts were not shown weights: a new run is keyed as show_weights = 0.
        bool showWeights = false;
        if (options.runId > 0) {
            auto shown = existingRunShowsWeights(db, options);
            if (!shown)
                return shown.error();
            showWeights = shown.value();
        }
        auto prompts = reader.loadPrompts(db, showWeights);
        if (!prompts)
            return prompts.error();
        QHash<QString, QString> textOfHash;
        for (auto it = prompts->cbegin(); it != prompts->cend(); ++it)
            textOfHash.insert(codec::promptHash(it.key()), it.key());

        QList<Graded> graded;
        QHash<qint64, qint64> lineOfResponse;
        qint64 lineNo = 0;
        while (!in.atEnd()) {
            const QByteArray line = in.readLine().trimmed();
            ++lineNo;
            if (line.isEmpty())
                continue;
            auto g = reader.place(lineNo, line, *prompts, textOfHash);
            if (!g)
                continue;
            if (lineOfResponse.contains(g->responseId)) {
                reader.warn(lineNo, QStringLiteral("the same response was graded on line %1; this line is skipped")
                                        .arg(lineOfResponse.value(g->responseId)));
                continue;
            }
            lineOfResponse.insert(g->responseId, lineNo);
            result.verdicts += g->verdicts.size();
            graded << std::move(*g);
        }
        if (graded.isEmpty())
            return makeError(result.warnings.isEmpty()
                                 ? QStringLiteral("no verdicts in the file")
                                 : QStringLiteral("no verdict could be placed; first problem: %1").arg(result.warnings.first()),
                             options.file);
        if (options.runId > 0) {
            result.runId = options.runId;
        } else {
            auto run = createRun(db, options);
            if (!run)
                return run.error();
            result.runId = run.value();
        }
        result.responses = graded.size();
        return storeGraded(db, result.runId, graded);
    });
    if (!written)
        return written.error();
    return result;
}

} // namespace rs::pack

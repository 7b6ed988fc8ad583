#include "packexporter.h"

#include "common/sha256.h"
#include "judge/holistictemplate.h"
#include "judge/judgetemplate.h"
#include "packcodec.h"
#include "packsource.h"
#include "store/database.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QSaveFile>

#include <nlohmann/json.hpp>

using nlohmann::json;

namespace rs::pack {
namespace {

Expected<void> writeAtomically(const QString &path, const QByteArray &bytes)
{
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return makeError(QStringLiteral("cannot write: %1").arg(f.errorString()), path);
    if (f.write(bytes) != bytes.size() || !f.commit())
        return makeError(QStringLiteral("cannot write: %1").arg(f.errorString()), path);
    return {};
}

/// The judge template a trainer should use: the project's most recent judge run's, or the
/// studio's built-in joint template when nothing was judged yet. A failed read is an error:
/// a manifest naming the built-in template for a judged project would mislead the trainer.
/// The holistic question an implicit rubric asks (the same in every run), for reward.py.
json holisticInfo() {
    return json{{"template_version", judge::HolisticTemplate::version().toStdString()},
                {"system", judge::HolisticTemplate::defaultSystem().toStdString()},
                {"user", judge::HolisticTemplate::defaultUser().toStdString()},
                {"schema", json::parse(judge::HolisticTemplate::answerSchema().toStdString())},
                {"show_weights", true}};
}

Expected<json> judgeInfo(store::Database &db) {
    auto st = db.prepare("SELECT model, mode, template, template_version, show_weights, params,"
                         " gradings FROM judge_runs ORDER BY id DESC LIMIT 1");
    if (!st)
        return st.error();
    auto row = st->step();
    if (!row)
        return row.error();
    if (*row) {
        const std::string tpl = st->columnText(2).toStdString();
        const size_t cut = tpl.find("\n---\n");
        json params = json::parse(st->columnText(5).toStdString(), nullptr, false);
        return json{{"source", "latest judge run"},
                    {"model", st->columnText(0).toStdString()},
                    {"mode", st->columnText(1).toStdString()},
                    {"template_version", st->columnText(3).toStdString()},
                    {"show_weights", st->columnInt(4) != 0},
                    {"temperature", params.is_object() ? params.value("temperature", 0.0) : 0.0},
                    // reward.py's live mode takes the same majority of N votes as the studio.
                    {"gradings", st->columnInt(6)},
                    {"repeat_temperature",
                     params.is_object() ? params.value("repeat_temperature", 0.7) : 0.7},
                    {"system", cut == std::string::npos ? tpl : tpl.substr(0, cut)},
                    {"user", cut == std::string::npos ? std::string() : tpl.substr(cut + 5)},
                    {"holistic", holisticInfo()}};
    }
    judge::JudgeConfig config;
    const judge::JudgeTemplate tpl(config);
    return json{{"source", "built-in default"},
                {"mode", judge::modeName(config.mode).toStdString()},
                {"template_version", tpl.version().toStdString()},
                {"show_weights", false},
                {"temperature", 0.0},
                {"gradings", config.gradings},
                {"repeat_temperature", config.repeatTemperature},
                {"system", tpl.system().toStdString()},
                {"user", tpl.user().toStdString()},
                {"holistic", holisticInfo()}};
}

json aggregationInfo()
{
    return json{
        {"weights", {{"name", "weighted_sum"}, {"formula", "r = sum_i(w_i * V_i) / sum_i(w_i)"}}},
        {"points",
         {{"name", "points_clipped"},
          {"formula", "r = clip(sum_i(p_i * V_i) / sum_{p_i > 0}(p_i), 0, 1)"}}},
        {"implicit",
         {{"name", "implicit"},
          {"formula", "r = (mean_g(S_g) - 1) / 9, S_g the judge's holistic 1-10 score in grading "
                      "g (judge.holistic), the criteria shown as guidance; 0 without a score"}}},
        {"verdict", "V_i = 1 when the judge answers yes, else 0; with N gradings the majority, "
                    "a tie counting as no"},
        {"missing_verdict", "counts as no"}};
}

} // namespace

QByteArray referenceRewardScript()
{
    QFile f(QStringLiteral(":/rubric-studio/reward.py"));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

Expected<QStringList> previewPack(store::Database &db, PackFormat format,
                                  const PackSelection &selection, int count)
{
    auto rubrics = readPackRubrics(db, selection, nullptr, count);
    if (!rubrics)
        return rubrics.error();
    QStringList out;
    for (const PackRubric &r : rubrics.value())
        out << QString::fromStdString(codec::encode(r, format).dump(2));
    return out;
}

Expected<PackExportResult> exportPack(store::Database &db, const PackExportOptions &options,
                                      const std::function<bool(qint64, qint64)> &progress)
{
    PackExportResult result;
    result.dir = options.outDir;
    auto rubrics = readPackRubrics(db, options.selection, &result.skipped);
    if (!rubrics)
        return rubrics.error();
    if (rubrics->isEmpty())
        return makeError(options.selection.tag.isEmpty()
                             ? QStringLiteral("nothing to export: no selected prompt has a rubric")
                             : QStringLiteral("nothing to export: no selected rubric has a version tagged \"%1\"")
                                   .arg(options.selection.tag));

    QByteArray lines;
    json versions = json::array();
    const qint64 total = rubrics->size();
    qint64 done = 0;
    for (const PackRubric &r : rubrics.value()) {
        lines += QByteArray::fromStdString(codec::encode(r, options.format).dump());
        lines += '\n';
        versions.push_back(json{{"prompt_hash", codec::promptHash(r.prompt).toStdString()},
                                {"rubric_hash", codec::rubricHash(r).toStdString()},
                                {"version_id", r.versionId},
                                {"origin", r.origin.toStdString()},
                                {"tag", r.tag.toStdString()},
                                {"created_at", r.createdAt.toStdString()},
                                {"criteria", r.criteria.size()}});
        result.criteria += r.criteria.size();
        if (progress && !progress(++done, total))
            return makeError(QStringLiteral("export cancelled"));
    }
    result.rubrics = total;
    result.rubricsSha256 = QString::fromStdString(sha256Hex(lines));

    auto judge = judgeInfo(db);
    if (!judge)
        return judge.error();
    json lost = json::array();
    for (const QString &l : formatLosses(options.format))
        lost.push_back(l.toStdString());
    json manifest{
        {"pack", "rubric-studio"},
        {"pack_version", 1},
        {"format", formatName(options.format).toStdString()},
        {"project", options.projectName.toStdString()},
        {"tool", "rubric-studio " + options.toolVersion.toStdString()},
        {"created_at", QDateTime::currentDateTimeUtc().toString(Qt::ISODate).toStdString()},
        {"version_choice", options.selection.tag.isEmpty() ? std::string("current")
                                                           : "tag:" + options.selection.tag.toStdString()},
        {"files", {{"rubrics.jsonl", {{"sha256", result.rubricsSha256.toStdString()}, {"records", total}}}}},
        {"rubrics", total},
        {"criteria", result.criteria},
        {"versions", std::move(versions)},
        {"aggregation", aggregationInfo()},
        {"judge", std::move(judge.value())},
        {"lost", std::move(lost)}};

    if (!QDir().mkpath(options.outDir))
        return makeError(QStringLiteral("cannot create the folder"), options.outDir);
    const QDir dir(options.outDir);
    if (auto w = writeAtomically(dir.filePath(QStringLiteral("rubrics.jsonl")), lines); !w)
        return w.error();
    result.files << QStringLiteral("rubrics.jsonl");
    if (options.format == PackFormat::Native) {
        const QByteArray script = referenceRewardScript();
        if (script.isEmpty())
            return makeError(QStringLiteral("the reference reward function is missing from this build"));
        if (auto w = writeAtomically(dir.filePath(QStringLiteral("reward.py")), script); !w)
            return w.error();
        result.files << QStringLiteral("reward.py");
        manifest["reward_function"] = {{"file", "reward.py"}, {"sha256", sha256Hex(script)}};
    }
    if (auto w = writeAtomically(dir.filePath(QStringLiteral("manifest.json")),
                                 QByteArray::fromStdString(manifest.dump(2)) + '\n');
        !w)
        return w.error();
    result.files << QStringLiteral("manifest.json");
    return result;
}

} // namespace rs::pack

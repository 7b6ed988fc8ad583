#include "traineradapters.h"

#include "pack/packcodec.h"
#include "pack/packsource.h"

#include <QDir>
#include <QFile>
#include <QSaveFile>

#include <nlohmann/json.hpp>

#include <array>

namespace rs::pack {
namespace {

using nlohmann::json;

struct AdapterInfo {
    TrainerFormat format;
    const char *name;
    const char *script;   ///< resource with the trainer-specific Python, or nullptr
    const char *fileName; ///< the .py written
};

constexpr std::array<AdapterInfo, 6> kAdapters{{
    {TrainerFormat::Verl, "verl", ":/rubric-studio/adapters/verl.py", "rubric_reward_verl.py"},
    {TrainerFormat::Trl, "trl", ":/rubric-studio/adapters/trl.py", "rubric_reward_trl.py"},
    {TrainerFormat::OpenRlhf, "openrlhf", ":/rubric-studio/adapters/openrlhf.py",
     "rubric_reward_openrlhf.py"},
    {TrainerFormat::Verifiers, "verifiers", ":/rubric-studio/adapters/verifiers.py",
     "rubric_studio_verifiers.py"},
    {TrainerFormat::Promptfoo, "promptfoo", nullptr, nullptr},
    {TrainerFormat::Inspect, "inspect", nullptr, "rubric_task.py"},
}};

const AdapterInfo &infoOf(TrainerFormat f) {
    for (const auto &a : kAdapters)
        if (a.format == f)
            return a;
    return kAdapters[0];
}

Expected<QByteArray> resource(const QString &path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(QStringLiteral("missing built-in resource %1").arg(path));
    return f.readAll();
}

Expected<void> writeFile(const QString &dir, const QString &name, const QByteArray &data,
                         QStringList *written) {
    QSaveFile f(QDir(dir).filePath(name));
    if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size() || !f.commit())
        return makeError(QStringLiteral("cannot write %1: %2").arg(f.fileName(), f.errorString()));
    *written << name;
    return {};
}

std::string str(const QString &s) {
    return s.toStdString();
}

/// The prompt as chat messages: the stored conversation, else one user message.
json messagesOf(const PackRubric &r) {
    if (!r.conversationJson.isEmpty()) {
        json c = json::parse(r.conversationJson.toStdString(), nullptr, false);
        if (c.is_array() && !c.empty())
            return c;
    }
    return json::array({json{{"role", "user"}, {"content", str(r.prompt)}}});
}

QByteArray verlRows(const QList<PackRubric> &rubrics) {
    QByteArray out;
    int index = 0;
    for (const PackRubric &r : rubrics) {
        const std::string hash = str(codec::promptHash(r.prompt));
        json row{
            {"data_source", "rubric-studio"},
            {"prompt", messagesOf(r)},
            {"ability", "rubric"},
            {"reward_model", {{"style", "rule"}, {"ground_truth", hash}}},
            {"extra_info", {{"prompt", str(r.prompt)}, {"prompt_hash", hash}, {"index", index++}}}};
        out += QByteArray::fromStdString(row.dump(-1, ' ', false, json::error_handler_t::replace));
        out += '\n';
    }
    return out;
}

/// promptfoo: one test per prompt, one llm-rubric per criterion with its weight. A negative
/// criterion (a pitfall) becomes its positive counterpart: promptfoo weights are not negative.
QByteArray promptfooConfig(const QList<PackRubric> &rubrics) {
    json tests = json::array();
    for (const PackRubric &r : rubrics) {
        json asserts = json::array();
        for (const PackCriterion &c : r.criteria) {
            const bool negative = c.weight < 0;
            asserts.push_back(
                json{{"type", "llm-rubric"},
                     {"value",
                      negative ? "The response avoids the following: " + str(c.text) : str(c.text)},
                     {"weight", negative ? -c.weight : c.weight},
                     {"metric", str(c.id)}});
        }
        tests.push_back(json{{"vars", {{"prompt", str(r.prompt)}}}, {"assert", asserts}});
    }
    // JSON is YAML: promptfoo reads this file as its YAML config.
    json config{{"description", "Rubric Studio rubrics (llm-rubric per criterion, weighted)"},
                {"prompts", json::array({"{{prompt}}"})},
                {"providers", json::array({"openai:gpt-4o-mini"})},
                {"tests", tests}};
    return QByteArray::fromStdString(config.dump(2, ' ', false, json::error_handler_t::replace));
}

QByteArray inspectTask(const QList<PackRubric> &rubrics) {
    json samples = json::array();
    for (const PackRubric &r : rubrics) {
        std::string rubric;
        for (const PackCriterion &c : r.criteria)
            rubric += "- (" + std::to_string(c.weight) + ") " + str(c.text) + "\n";
        samples.push_back(json{{"input", str(r.prompt)}, {"target", rubric}});
    }
    QByteArray py =
        "# Inspect AI task over the exported rubrics: `inspect eval rubric_task.py --model M`.\n"
        "# Each sample's target is its rubric; model_graded_qa grades the answer against it.\n"
        "# (This file is for Inspect itself, so it imports inspect_ai.)\n"
        "import json\n"
        "from inspect_ai import Task, task\n"
        "from inspect_ai.dataset import Sample\n"
        "from inspect_ai.scorer import model_graded_qa\n"
        "from inspect_ai.solver import generate\n\n"
        "SAMPLES = json.loads(r'''";
    py += QByteArray::fromStdString(samples.dump(-1, ' ', false, json::error_handler_t::replace))
              .replace("'''", "'\\''");
    py +=
        "''')\n\n"
        "INSTRUCTIONS = (\"Grade the answer against the rubric in the criterion: each line is a "
        "\"\n"
        "                \"criterion with its weight. Reply GRADE: C when the weighted criteria "
        "are \"\n"
        "                \"mostly met, GRADE: P when partly, GRADE: I otherwise.\")\n\n\n"
        "@task\n"
        "def rubric_task():\n"
        "    return Task(dataset=[Sample(input=s[\"input\"], target=s[\"target\"]) for s in "
        "SAMPLES],\n"
        "                solver=[generate()],\n"
        "                scorer=model_graded_qa(instructions=INSTRUCTIONS, partial_credit=True))\n";
    return py;
}

QByteArray readme(TrainerFormat f, const QString &file) {
    QByteArray common =
        "Start the reward server first (the judge settings are those of your judge run):\n\n"
        "    export RS_TOKEN=$(openssl rand -hex 16)\n"
        "    rubric-studio-cli serve PROJECT.rubrics --provider NAME --port 8000 --token-env "
        "RS_TOKEN\n\n"
        "and point the adapter at it: RS_REWARD_URL=http://HOST:8000 RS_REWARD_TOKEN=$RS_TOKEN.\n"
        "A failed judge call raises an error naming the item; it never scores 0.\n"
        "The server logs each reward under its training step for the studio's Training view\n"
        "(`rubric-studio-cli training`): the step a request names, else one it infers from the\n"
        "pause while the trainer trains (--step-gap, 10 s with no request in flight).\n\n";
    const QByteArray py = file.toUtf8();
    switch (f) {
    case TrainerFormat::Verl:
        return "# verl adapter\n\n" + common +
               "Training rows: train.jsonl (prompt as chat messages, reward_model.ground_truth = "
               "prompt\n"
               "hash, the prompt text in extra_info). Parquet for verl:\n\n"
               "    python3 -c \"import pandas as pd; pd.read_json('train.jsonl', "
               "lines=True).to_parquet('train.parquet')\"\n\n"
               "    data.train_files=train.parquet custom_reward_function.path=" +
               py +
               " custom_reward_function.name=compute_score\n\n"
               "On the reward loop (reward_model.use_reward_loop=true) you may use "
               "compute_score_async\n"
               "(RS_REWARD_CONCURRENCY, default 64). Note: reward_manager=rate_limited turns "
               "errors into 0.0.\n";
    case TrainerFormat::Trl:
        return "# TRL adapter\n\n" + common +
               "    from rubric_reward_trl import rubric_reward\n"
               "    GRPOTrainer(model=..., reward_funcs=[rubric_reward], ...)\n\n"
               "or `trl grpo --reward_funcs rubric_reward_trl.rubric_reward` from this folder;\n"
               "AsyncGRPOTrainer: rubric_reward_async. Export one function for the whole rubric.\n";
    case TrainerFormat::OpenRlhf:
        return "# OpenRLHF\n\n" + common +
               "OpenRLHF posts to the server directly; the token goes in the URL (Basic "
               "credentials):\n\n"
               "    --reward.remote_url http://rs:$RS_TOKEN@HOST:8000/get_reward\n\n"
               "(older releases: --remote_rm_url). Label column (--data.label_key) may carry the "
               "prompt\n"
               "hash; without it the server finds the prompt in the rendered text. Give one URL:\n"
               "several URLs do not spread load. Or pass this file: --reward.remote_url " +
               py + "\n";
    case TrainerFormat::Verifiers:
        return "# verifiers adapter\n\n" + common +
               "v1 taskset: merge taskset.toml (rubric = { fn = \"" + py +
               ":rubric_reward\", weight = 1.0 }).\n"
               "Legacy: vf.Rubric(funcs=[rubric_reward_legacy]) (legacy rubrics turn errors into "
               "0.0).\n";
    case TrainerFormat::Promptfoo:
        return "# promptfoo\n\n    promptfoo eval -c promptfooconfig.yaml\n\n"
               "One llm-rubric assertion per criterion with its weight; negative criteria are\n"
               "rewritten as positive ones (\"The response avoids ...\").\n";
    case TrainerFormat::Inspect:
        return "# Inspect AI\n\n    inspect eval rubric_task.py --model openai/gpt-4o-mini\n";
    }
    return {};
}

} // namespace

std::optional<TrainerFormat> trainerFormatFromName(const QString &name) {
    for (const auto &a : kAdapters)
        if (name == QLatin1String(a.name))
            return a.format;
    return std::nullopt;
}

QString trainerFormatName(TrainerFormat format) {
    return QString::fromLatin1(infoOf(format).name);
}

QStringList trainerFormatNames() {
    QStringList out;
    for (const auto &a : kAdapters)
        out << QString::fromLatin1(a.name);
    return out;
}

Expected<QStringList> writeTrainerAdapter(store::Database &db, TrainerFormat format,
                                          const QString &dir, const PackSelection &selection) {
    if (!QDir().mkpath(dir))
        return makeError(QStringLiteral("cannot create %1").arg(dir));
    QStringList skipped;
    auto rubrics = readPackRubrics(db, selection, &skipped);
    if (!rubrics)
        return rubrics.error();
    const AdapterInfo &info = infoOf(format);
    QStringList written;
    if (info.script) {
        // Each file carries its own copy of the client, so it imports nothing but the standard
        // library and works wherever the trainer copies it (verl's workers, a TRL folder).
        auto client = resource(QStringLiteral(":/rubric-studio/adapters/client.py"));
        if (!client)
            return client.error();
        auto script = resource(QString::fromLatin1(info.script));
        if (!script)
            return script.error();
        if (auto r = writeFile(dir, QString::fromLatin1(info.fileName),
                               client.value() + script.value(), &written);
            !r)
            return r.error();
    }
    switch (format) {
    case TrainerFormat::Verl:
        if (auto r =
                writeFile(dir, QStringLiteral("train.jsonl"), verlRows(rubrics.value()), &written);
            !r)
            return r.error();
        break;
    case TrainerFormat::Verifiers: {
        const QByteArray toml = QByteArray("[env.taskset.task.rewards]\nrubric = { fn = \"") +
                                info.fileName + ":rubric_reward\", weight = 1.0 }\n";
        if (auto r = writeFile(dir, QStringLiteral("taskset.toml"), toml, &written); !r)
            return r.error();
        break;
    }
    case TrainerFormat::Promptfoo:
        if (auto r = writeFile(dir, QStringLiteral("promptfooconfig.yaml"),
                               promptfooConfig(rubrics.value()), &written);
            !r)
            return r.error();
        break;
    case TrainerFormat::Inspect:
        if (auto r = writeFile(dir, QString::fromLatin1(info.fileName),
                               inspectTask(rubrics.value()), &written);
            !r)
            return r.error();
        break;
    case TrainerFormat::Trl:
    case TrainerFormat::OpenRlhf:
        break;
    }
    if (auto r = writeFile(
            dir, QStringLiteral("README.md"),
            readme(format, info.fileName ? QString::fromLatin1(info.fileName) : QString()),
            &written);
        !r)
        return r.error();
    return written;
}

} // namespace rs::pack

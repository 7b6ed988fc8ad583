#pragma once

// A project with rewards served at several training steps, for the Training tab's tests and
// screenshot: two prompts with a three-criterion rubric, responses that grow longer and more
// formatted step by step while the reward climbs with them (the look of length hacking), and
// one criterion every response meets by the end (saturated). The rows go through the log
// `serve` writes with.
#include "import/importer.h"
#include "serve/servedrewardlog.h"
#include "store/database.h"
#include "store/projectstore.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <cmath>
#include <random>

namespace rs::test {

inline QString writeServedFile(const QTemporaryDir &dir, const QString &name,
                               const QByteArray &bytes) {
    QFile f(dir.filePath(name));
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
        qFatal("cannot write %s", qPrintable(f.fileName()));
    return f.fileName();
}

/// Creates DIR/served.rubrics with served rewards at steps 0, 10, ..., 10·(steps-1).
inline QString makeServedProject(const QTemporaryDir &dir, int steps = 8) {
    const QString path = dir.filePath(QStringLiteral("served.rubrics"));
    auto store = store::ProjectStore::create(path);
    if (!store)
        qFatal("cannot create project");
    const QStringList prompts = {QStringLiteral("Explain how vaccines train the immune system."),
                                 QStringLiteral("How should I store fresh herbs?")};
    QJsonArray outputs;
    QByteArray rubrics;
    for (const QString &prompt : prompts) {
        for (int step = 0; step < steps; ++step)
            for (int k = 0; k < 6; ++k) {
                QString text;
                if (step >= steps / 2 && k % 2 == 0)
                    text += QStringLiteral("## Summary\n- key point one\n- key point two\n");
                text += QStringLiteral("Step %1 answer %2 to \"%3\".").arg(step).arg(k).arg(prompt);
                for (int w = 0; w < 8 * step + 3 * k; ++w)
                    text += QStringLiteral(" detail%1").arg(w);
                outputs.push_back(QJsonObject{{QStringLiteral("instruction"), prompt},
                                              {QStringLiteral("output"), text},
                                              {QStringLiteral("generator"),
                                               QStringLiteral("policy-s%1-%2").arg(step).arg(k)}});
            }
        const QJsonArray crit{
            QJsonObject{{QStringLiteral("criterion"), QStringLiteral("States the main mechanism.")},
                        {QStringLiteral("weight"), 3}},
            QJsonObject{{QStringLiteral("criterion"), QStringLiteral("Gives a concrete example.")},
                        {QStringLiteral("weight"), 2}},
            QJsonObject{{QStringLiteral("criterion"), QStringLiteral("Avoids unsupported claims.")},
                        {QStringLiteral("weight"), 1}}};
        rubrics += QJsonDocument(QJsonObject{{QStringLiteral("prompt"), prompt},
                                             {QStringLiteral("rubrics"), crit}})
                       .toJson(QJsonDocument::Compact) +
                   "\n";
    }
    import::ImportConfig c;
    c.files << writeServedFile(dir, QStringLiteral("served.outputs.json"),
                               QJsonDocument(outputs).toJson());
    if (!import::importFiles(*store.value(), c).ok())
        qFatal("import failed");
    import::ImportConfig r;
    r.files << writeServedFile(dir, QStringLiteral("served.rubrics.jsonl"), rubrics);
    r.format = import::Format::Rubrics;
    if (!import::importFiles(*store.value(), r).ok())
        qFatal("rubric import failed");

    auto db = store::Database::open(path, store::Database::Mode::ReadOnly);
    auto st = db->prepare("SELECT r.id, r.prompt_id, v.id, length(r.text), r.generator"
                          " FROM responses r JOIN rubrics ru ON ru.prompt_id = r.prompt_id"
                          " JOIN rubric_versions v ON v.rubric_id = ru.id ORDER BY r.id");
    struct Resp {
        qint64 id, promptId, version, length;
        int step;
    };
    std::vector<Resp> responses;
    (void)st->forEach([&] {
        const QString gen = st->columnText(4); // policy-sSTEP-K
        responses.push_back({st->columnInt(0), st->columnInt(1), st->columnInt(2), st->columnInt(3),
                             gen.section(QLatin1Char('-'), 1, 1).mid(1).toInt()});
    });
    serve::ServedRewardLog log(*store.value());
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> uni(0, 1);
    for (int step = 0; step < steps; ++step) {
        std::vector<serve::ServedReward> rows;
        const double progress = double(step) / std::max(1, steps - 1);
        for (const Resp &resp : responses) {
            if (resp.step != step)
                continue;
            serve::ServedReward row;
            row.step = step * 10;
            row.endpoint = "get_reward";
            row.promptId = resp.promptId;
            row.responseId = resp.id;
            row.rubricVersion = resp.version;
            row.status = "ok";
            const bool c1 = uni(rng) < 0.55 + 0.45 * progress;
            const bool c2 = uni(rng) < 0.3 + 0.3 * progress;
            const bool c3 = uni(rng) < 0.7 - 0.3 * progress;
            row.reward = (3.0 * c1 + 2.0 * c2 + 1.0 * c3) / 6.0;
            row.rewardSoft = row.reward;
            row.passFraction = (c1 + c2 + c3) / 3.0;
            auto v = [](bool b) { return b ? "yes" : "no"; };
            row.criteriaJson = std::string("[{\"id\":\"c1\",\"verdict\":\"") + v(c1) +
                               "\",\"p_yes\":1},{\"id\":\"c2\",\"verdict\":\"" + v(c2) +
                               "\",\"p_yes\":1},{\"id\":\"c3\",\"verdict\":\"" + v(c3) +
                               "\",\"p_yes\":1}]";
            row.responseLength = resp.length;
            rows.push_back(std::move(row));
        }
        log.record(std::move(rows));
    }
    log.flush();
    return path;
}

} // namespace rs::test

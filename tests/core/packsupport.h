#pragma once

// A small project for pack and batch tests: three prompts, five responses each, and rubrics
// whose criteria the test server's judge rule (tests/llmserver/README.md) decides differently
// per response, so rewards really vary.
#include "testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace rs::test {

inline QByteArray packRollouts()
{
    const char *prompts[] = {"Explain how tides work.", "Give me a tip for learning a new language.",
                             "What should I pack for a day hike?"};
    const char *responses[] = {
        "Tides come from the pull of the moon; for example the sea rises twice a day.",
        "You can think of it as the moon pulling water toward it, with an example.",
        "Short answer.",
        "Here is an example you may like: practise daily, keep notes, and speak with people "
        "whenever you can, because regular use matters more than long sessions.",
        "Water, food, a map, a rain jacket and a charged phone are the basics you need."};
    QJsonArray records;
    int n = 0;
    for (const char *p : prompts) {
        QJsonArray rs;
        for (int i = 0; i < 5; ++i)
            rs.push_back(QJsonObject{{QStringLiteral("generator"), QStringLiteral("model-%1").arg(i)},
                                     {QStringLiteral("response"), QString(QString::fromUtf8(responses[(i + n) % 5])
                                                                              + QStringLiteral(" (%1)").arg(i))}});
        records.push_back(QJsonObject{{QStringLiteral("id"), n++},
                                      {QStringLiteral("prompt"), QString::fromUtf8(p)},
                                      {QStringLiteral("responses"), rs}});
    }
    return QJsonDocument(records).toJson(QJsonDocument::Compact);
}

/// Paper-format rubrics with categories (one a pitfall), for the prompts of packRollouts().
inline QByteArray packRubrics()
{
    const char *prompts[] = {"Explain how tides work.", "Give me a tip for learning a new language.",
                             "What should I pack for a day hike?"};
    QByteArray out;
    for (const char *p : prompts) {
        const QJsonArray rubrics{
            QJsonObject{{QStringLiteral("criterion"), QStringLiteral("The response mentions \"example\".")},
                        {QStringLiteral("weight"), 3}, {QStringLiteral("category"), QStringLiteral("correctness")}},
            QJsonObject{{QStringLiteral("criterion"), QStringLiteral("The response uses the word \"you\".")},
                        {QStringLiteral("weight"), 2}, {QStringLiteral("category"), QStringLiteral("style")}},
            QJsonObject{{QStringLiteral("criterion"), QStringLiteral("The response is at least 15 words long.")},
                        {QStringLiteral("weight"), 1}},
            QJsonObject{{QStringLiteral("criterion"), QStringLiteral("The response mentions \"short\".")},
                        {QStringLiteral("weight"), 2}, {QStringLiteral("category"), QStringLiteral("pitfall")}}};
        out += QJsonDocument(QJsonObject{{QStringLiteral("prompt"), QString::fromUtf8(p)},
                                         {QStringLiteral("rubrics"), rubrics}})
                   .toJson(QJsonDocument::Compact)
               + "\n";
    }
    return out;
}

inline std::unique_ptr<store::ProjectStore> packProject(const QTemporaryDir &dir, const QString &name)
{
    auto store = newProject(dir, name);
    import::ImportConfig c;
    c.files << writeFile(dir, name + QStringLiteral(".rollouts.json"), packRollouts())
            << writeFile(dir, name + QStringLiteral(".rubrics.jsonl"), packRubrics());
    auto r = import::importFiles(*store, c);
    if (!r)
        qFatal("import failed: %s", qPrintable(r.error().toString()));
    return store;
}

} // namespace rs::test

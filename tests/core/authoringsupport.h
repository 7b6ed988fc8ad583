#pragma once

// Helpers shared by the authoring tests: a project with the first AlpacaEval prompts of a corpus
// and every model's answers to them (joined on the instruction text), the local test server as
// a provider, and the server's judge rule restated from tests/llmserver/README.md on its own.
#include "datasupport.h"
#include "llm/providerconfig.h"
#include "serverprocess.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QStandardPaths>

namespace rs::test {

inline qsizetype wordCount(const QString &s)
{
    qsizetype n = 0;
    bool in = false;
    for (const QChar c : s) {
        const bool space = c.isSpace();
        if (!space && !in)
            ++n;
        in = !space;
    }
    return n;
}

/// The test server's all-criteria judge: a quoted term must occur (case-insensitively); else
/// "at least N words"; else an even word count.
inline bool serverVerdict(const QString &criterion, const QString &response)
{
    static const QRegularExpression quoted(QStringLiteral("\"([^\"]+)\""));
    static const QRegularExpression atLeast(QStringLiteral("at least (\\d+) word"),
                                            QRegularExpression::CaseInsensitiveOption);
    if (auto m = quoted.match(criterion); m.hasMatch())
        return response.contains(m.captured(1), Qt::CaseInsensitive);
    if (auto m = atLeast.match(criterion); m.hasMatch())
        return wordCount(response) >= m.captured(1).toInt();
    return wordCount(response) % 2 == 0;
}

/// A rollouts file with the first `prompts` instructions of the corpus's first model file and
/// every model's answer to them, matched by instruction text.
inline QString alpacaRollouts(Corpus corpus, const QTemporaryDir &dir, int prompts = 5)
{
    QStringList order;
    QHash<QString, QJsonArray> answers;
    for (const QString &f : alpacaModelFiles(corpus)) {
        QFile file(f);
        if (!file.open(QIODevice::ReadOnly))
            qFatal("cannot read %s", qPrintable(f));
        const QJsonArray rows = QJsonDocument::fromJson(file.readAll()).array();
        if (order.isEmpty())
            for (int i = 0; i < prompts && i < rows.size(); ++i)
                order << rows[i].toObject().value(QStringLiteral("instruction")).toString();
        for (const auto &v : rows) {
            const QJsonObject o = v.toObject();
            const QString instruction = o.value(QStringLiteral("instruction")).toString();
            if (order.contains(instruction))
                answers[instruction].push_back(QJsonObject{
                    {QStringLiteral("generator"), o.value(QStringLiteral("generator")).toString()},
                    {QStringLiteral("response"), o.value(QStringLiteral("output")).toString()}});
        }
    }
    QJsonArray out;
    for (int i = 0; i < order.size(); ++i)
        out.push_back(QJsonObject{{QStringLiteral("id"), QString::number(i + 1)},
                                  {QStringLiteral("prompt"), order[i]},
                                  {QStringLiteral("responses"), answers.value(order[i])}});
    return writeFile(dir, QStringLiteral("%1-first-%2.json").arg(corpusName(corpus)).arg(prompts),
                     QJsonDocument(out).toJson());
}

/// A project named `name` prefixed with the corpus (so both rows of a case can share a folder).
inline std::unique_ptr<store::ProjectStore> alpacaProject(Corpus corpus, const QTemporaryDir &dir,
                                                          const QString &name, int prompts = 5)
{
    auto store = newProject(dir, corpusName(corpus) + QLatin1Char('-') + name);
    import::ImportConfig c;
    c.files << alpacaRollouts(corpus, dir, prompts);
    c.format = import::Format::Rollouts;
    auto r = import::importFiles(*store, c);
    if (!r.ok())
        qFatal("import failed");
    return store;
}

inline llm::ProviderConfig serverProvider(const ServerProcess &server, const QString &model)
{
    llm::ProviderConfig p;
    p.name = QStringLiteral("local");
    p.baseUrl = server.baseUrl() + QStringLiteral("/v1");
    p.model = model;
    p.maxConcurrency = 8;
    p.timeoutMs = 5000;
    p.maxRetries = 2;
    return p;
}

/// The server's proposer (and rewrite role) for a prompt without a pair, restated from its
/// README, as "text|weight" lines: up to five distinct letter words of at least 5 letters
/// (weight 1 + letters % 3), fillers up to three criteria, then "at least 50 words" (1).
inline QStringList serverProposal(const QString &prompt)
{
    QStringList words;
    static const QRegularExpression letters(QStringLiteral("[^\\W\\d_]+"),
                                            QRegularExpression::UseUnicodePropertiesOption);
    for (auto it = letters.globalMatch(prompt); it.hasNext();) {
        const QString w = it.next().captured(0).toLower();
        if (w.size() >= 5 && !words.contains(w) && words.size() < 5)
            words << w;
    }
    QStringList out;
    for (const QString &w : words)
        out << QStringLiteral("The response mentions \"%1\".|%2").arg(w).arg(1 + w.size() % 3);
    const QStringList fillers{QStringLiteral("The response is at least 10 words long.|2"),
                              QStringLiteral("The response is at least 20 words long.|2"),
                              QStringLiteral("The response is at least 30 words long.|1")};
    for (int i = 0; out.size() < 3; ++i)
        out << fillers[i];
    out << QStringLiteral("The response is at least 50 words long.|1");
    return out;
}

} // namespace rs::test

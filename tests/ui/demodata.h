#pragma once

// The demo project's content, read from the same embedded sources the studio imports, so the
// GUI tests assert against the data itself rather than against copied numbers.

#include "project/demoproject.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QRegularExpression>
#include <QString>
#include <QStringList>

namespace rs::test {

struct DemoResponse {
    QString generator;
    QString tier;
    QString text;
};

struct DemoCriterion {
    QString text;
    double weight = 0;
};

struct DemoPrompt {
    QString text;
    QList<DemoResponse> responses;
    QList<DemoCriterion> criteria; ///< the current rubric
    int rubricVersions = 1;        ///< the imported version, plus one per recorded RTD round
};

inline QByteArray readResource(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

/// The demo prompts in file order (which is also their id order after import). With
/// `afterRtdRounds`, the rubrics are those of the full demo (DemoProject::Verdicts::Included),
/// after its recorded RTD rounds; without, those of the sources alone (Verdicts::None).
inline QList<DemoPrompt> loadDemoData(bool afterRtdRounds = false)
{
    const QStringList files = rs::ui::DemoProject::sourceFiles();
    QList<DemoPrompt> prompts;
    const QJsonArray rollouts = QJsonDocument::fromJson(readResource(files.value(0))).array();
    for (const QJsonValue &v : rollouts) {
        DemoPrompt p;
        p.text = v[QStringLiteral("prompt")].toString();
        for (const QJsonValue &r : v[QStringLiteral("responses")].toArray())
            p.responses.append({r[QStringLiteral("generator")].toString(),
                                r[QStringLiteral("tier")].toString(),
                                r[QStringLiteral("response")].toString()});
        prompts.append(p);
    }
    const QList<QByteArray> lines = readResource(files.value(1)).split('\n');
    for (const QByteArray &line : lines) {
        if (line.trimmed().isEmpty())
            continue;
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        for (DemoPrompt &p : prompts) {
            if (p.text != o[QStringLiteral("prompt")].toString())
                continue;
            for (const QJsonValue &c : o[QStringLiteral("rubrics")].toArray())
                p.criteria.append({c[QStringLiteral("criterion")].toString(),
                                   c[QStringLiteral("weight")].toDouble()});
        }
    }
    if (!afterRtdRounds)
        return prompts;
    // The recorded RTD rounds replace the rubric of their prompt, round after round.
    const QJsonObject rtd =
        QJsonDocument::fromJson(readResource(rs::ui::DemoProject::rtdFile())).object();
    for (DemoPrompt &p : prompts) {
        if (p.text != rtd[QStringLiteral("prompt")].toString())
            continue;
        for (const QJsonValue &round : rtd[QStringLiteral("rounds")].toArray()) {
            p.criteria.clear();
            for (const QJsonValue &c : round[QStringLiteral("rubrics")].toArray())
                p.criteria.append({c[QStringLiteral("criterion")].toString(),
                                   c[QStringLiteral("weight")].toDouble()});
            ++p.rubricVersions;
        }
    }
    return prompts;
}

/// A run of plain words from a Markdown text (no markup on its line), as it appears in the
/// rendered text: what a reader pane showing that response must contain.
inline QString plainPhrase(const QString &markdown)
{
    static const QString markup = QStringLiteral("*`#[]|_<>$\\");
    const QStringList lines = markdown.split(QLatin1Char('\n'));
    for (QString line : lines) {
        line = line.trimmed();
        // List markers are drawn by the layout, not part of the text.
        line.remove(QRegularExpression(QStringLiteral("^(- |\\d+\\. )")));
        bool plain = line.size() >= 30;
        for (const QChar c : line)
            plain = plain && !markup.contains(c);
        if (plain)
            return line.left(30);
    }
    return {};
}

} // namespace rs::test

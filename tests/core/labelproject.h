#pragma once

// A small judged project for the trust tests: two prompts x 6 responses (tiers great/good
// alternating) x 3 criteria, judged once; the judge's verdict of (response r, criterion c) is
// yes when (r + c) % 3 != 0. Plus the read-only connection and SQL helpers those tests use.
#include "datasupport.h"
#include "judge/judgetemplate.h"
#include "testsupport.h"

#include <QTemporaryDir>

#include <memory>

namespace rs::test {

inline store::Database readOnly(const QString &path) {
    auto db = store::Database::open(path, store::Database::Mode::ReadOnly);
    if (!db)
        qFatal("open: %s", qPrintable(db.error().toString()));
    return std::move(db.value());
}

inline Expected<void> sql(store::ProjectStore &store, const QString &text) {
    return store.writer().write([&](store::Database &db) { return db.exec(text.toStdString()); });
}

struct LabelProject {
    QTemporaryDir dir;
    std::unique_ptr<store::ProjectStore> store;
    QString path;
    bool judge(int response, int criterion) const { return (response + criterion) % 3 != 0; }
};

inline std::unique_ptr<LabelProject> labelProject() {
    auto p = std::make_unique<LabelProject>();
    p->store = test::newProject(p->dir);
    p->path = p->store->writer().path();
    QString rollouts = QStringLiteral("[");
    QString rubrics;
    for (int q = 1; q <= 2; ++q) {
        rollouts += QStringLiteral("%1{\"id\": \"p%2\", \"prompt\": \"Question %2?\", \"responses\": [")
                        .arg(q == 1 ? QString() : QStringLiteral(","))
                        .arg(q);
        for (int g = 0; g < 6; ++g)
            rollouts += QStringLiteral("%1{\"generator\": \"g%2\", \"response\": \"Answer %3 to %4.\"}")
                            .arg(g ? QStringLiteral(",") : QString())
                            .arg(g)
                            .arg(g)
                            .arg(q);
        rollouts += QStringLiteral("]}");
        rubrics += QStringLiteral("{\"prompt\": \"Question %1?\", \"rubrics\": ["
                                  "{\"criterion\": \"Is short\", \"weight\": 1},"
                                  "{\"criterion\": \"Is polite\", \"weight\": 1},"
                                  "{\"criterion\": \"Is right\", \"weight\": 2}]}\n")
                       .arg(q);
    }
    rollouts += QStringLiteral("]");
    const auto importOne = [&](const QString &name, const QString &text, import::Format f) {
        import::ImportConfig config;
        config.files = {test::writeFile(p->dir, name, text.toUtf8())};
        config.format = f;
        if (auto r = import::importFiles(*p->store, config, {}); !r)
            qFatal("import: %s", qPrintable(r.error().toString()));
    };
    importOne(QStringLiteral("r.json"), rollouts, import::Format::Rollouts);
    importOne(QStringLiteral("b.jsonl"), rubrics, import::Format::Rubrics);
    const QString texts[3] = {QStringLiteral("Is short"), QStringLiteral("Is polite"),
                              QStringLiteral("Is right")};
    const double weights[3] = {1, 1, 2};
    QString text = QStringLiteral(
        "UPDATE responses SET tier = CASE WHEN id % 2 = 1 THEN 'great' ELSE 'good' END;"
        "INSERT INTO judge_runs(id, name, provider, model, mode, gradings, template,"
        " template_version) VALUES (1, 'r1', 'x', 'judge-model', 'all_in_one', 1, 't', 'v');");
    for (int r = 1; r <= 12; ++r)
        for (int c = 0; c < 3; ++c)
            text += QStringLiteral("INSERT INTO verdicts(run_id, response_id, criterion_hash,"
                                   " stable_id, grading, verdict, rationale)"
                                   " VALUES(1, %1, %2, 'c%3', 0, '%4', 'because %1/%3');")
                        .arg(r)
                        .arg(judge::criterionHash(texts[c], weights[c], false))
                        .arg(c + 1)
                        .arg(p->judge(r, c + 1) ? QStringLiteral("yes") : QStringLiteral("no"));
    if (auto r = sql(*p->store, text); !r)
        qFatal("sql: %s", qPrintable(r.error().toString()));
    return p;
}

inline QString labelFile(const QTemporaryDir &dir, const QString &name, const QStringList &lines) {
    return test::writeFile(dir, name, lines.join(QLatin1Char('\n')).toUtf8() + '\n');
}

} // namespace rs::test

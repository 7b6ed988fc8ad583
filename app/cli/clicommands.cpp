#include "clicommands.h"

#include "clioutput.h"
#include "import/importer.h"
#include "store/projectreader.h"
#include "store/projectstore.h"
#include "usage.h"

#include <QJsonObject>

namespace rs::cli {

int runNew(const QStringList &args)
{
    if (args.size() != 1)
        return usageError(usage("new"));
    auto store = store::ProjectStore::create(args.first());
    if (!store)
        return fail(store.error());
    out(QStringLiteral("created %1\n").arg(args.first()));
    return 0;
}

int runImport(const QStringList &args)
{
    import::ImportConfig config;
    QString project;
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString &a = args[i];
        auto value = [&](QString *v) {
            if (i + 1 >= args.size())
                return false;
            *v = args[++i];
            return true;
        };
        QString v;
        if (a == QLatin1String("--format")) {
            if (!value(&v))
                return usageError(QStringLiteral("--format needs a value"));
            auto f = import::formatFromName(v);
            if (!f)
                return usageError(QStringLiteral("unknown format \"%1\" (one of: %2)")
                                      .arg(v, import::formatNames().join(QStringLiteral(", "))));
            config.format = *f;
        } else if (a == QLatin1String("--map")) {
            if (!value(&v))
                return usageError(QStringLiteral("--map needs prompt=F,response=F,..."));
            QString err;
            auto map = import::FieldMap::parse(v, &err);
            if (!map)
                return usageError(err);
            config.map = *map;
        } else if (a == QLatin1String("--tier")) {
            if (!value(&config.tier))
                return usageError(QStringLiteral("--tier needs a name"));
        } else if (a == QLatin1String("--off-policy")) {
            config.offPolicy = true;
        } else if (a == QLatin1String("--on-error")) {
            if (!value(&v) || (v != QLatin1String("skip") && v != QLatin1String("abort")))
                return usageError(QStringLiteral("--on-error takes skip or abort"));
            config.onError = v == QLatin1String("skip") ? import::OnError::Skip : import::OnError::Abort;
        } else if (a.startsWith(QLatin1String("--"))) {
            return usageError(QStringLiteral("unknown option %1\n%2").arg(a, usage("import")));
        } else if (project.isEmpty()) {
            project = a;
        } else {
            config.files << a;
        }
    }
    if (project.isEmpty() || config.files.isEmpty())
        return usageError(usage("import"));

    auto store = store::ProjectStore::open(project);
    if (!store)
        return fail(store.error());
    ProgressLine progress(QStringLiteral("import"));
    auto result = import::importFiles(*store.value(), config,
                                      [&](qint64 done, qint64 total) {
                                          progress.update(done, total);
                                          return true;
                                      });
    progress.finish();
    if (!result)
        return fail(result.error());
    const auto &r = result.value();
    for (const auto &w : r.warnings)
        err(QStringLiteral("warning: %1\n").arg(w.toString()));
    if (r.warningCount > r.warnings.size())
        err(QStringLiteral("warning: %1 more warnings not shown\n").arg(r.warningCount - r.warnings.size()));
    out(QStringLiteral("imported %1 records: %2 new prompts, %3 new responses, %4 duplicates, "
                       "%5 empty, %6 skipped, %7 rubric versions, %8 criteria\n")
            .arg(r.records)
            .arg(r.promptsAdded)
            .arg(r.responsesAdded)
            .arg(r.duplicates)
            .arg(r.emptyResponses)
            .arg(r.skipped)
            .arg(r.rubricVersionsAdded)
            .arg(r.criteriaAdded));
    if (r.preferencesAdded > 0)
        out(QStringLiteral("imported %1 gold preferences\n").arg(r.preferencesAdded));
    return 0;
}

int runStats(const QStringList &args)
{
    QString project;
    bool json = false;
    for (const QString &a : args) {
        if (a == QLatin1String("--json"))
            json = true;
        else if (a.startsWith(QLatin1String("--")))
            return usageError(QStringLiteral("unknown option %1\n%2").arg(a, usage("stats")));
        else
            project = a;
    }
    if (project.isEmpty())
        return usageError(usage("stats"));
    // Opening through the store migrates an old project and refuses a foreign file.
    auto store = store::ProjectStore::open(project);
    if (!store)
        return fail(store.error());
    auto reader = store.value()->reader();
    if (!reader)
        return fail(reader.error());
    auto s = reader->stats();
    if (!s)
        return fail(s.error());
    const ProjectStats &st = s.value();
    if (json) {
        printJson(QJsonObject{{QStringLiteral("prompts"), st.prompts},
                              {QStringLiteral("responses"), st.responses},
                              {QStringLiteral("generators"), st.generators},
                              {QStringLiteral("rubrics"), st.rubrics},
                              {QStringLiteral("criteria"), st.criteria},
                              {QStringLiteral("verdicts"), st.verdicts},
                              {QStringLiteral("empty_responses"), st.emptyResponses},
                              {QStringLiteral("served_rewards"), st.servedRewards}});
    } else {
        out(QStringLiteral("prompts     %1\nresponses   %2 (%3 empty)\ngenerators  %4\n"
                           "rubrics     %5\ncriteria    %6\nverdicts    %7\n")
                .arg(st.prompts)
                .arg(st.responses)
                .arg(st.emptyResponses)
                .arg(st.generators)
                .arg(st.rubrics)
                .arg(st.criteria)
                .arg(st.verdicts));
    }
    return 0;
}

} // namespace rs::cli

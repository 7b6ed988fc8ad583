#include "rubriccommands.h"

#include "cliargs.h"
#include "clioutput.h"
#include "rubric/lint.h"
#include "rubric/rubricdiff.h"
#include "rubric/rubricversions.h"
#include "store/database.h"
#include "store/projectstore.h"
#include "usage.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>

namespace rs::cli {
namespace {

Expected<store::Database> openRead(const QString &path) {
    return store::Database::open(path, store::Database::Mode::ReadOnly);
}

qint64 number(const Args &a, const QString &name, bool *ok) {
    return a.value(name).toLongLong(ok);
}

QJsonObject criterionJson(const CriterionRecord &c) {
    QJsonObject o{{QStringLiteral("id"), c.stableId},
                  {QStringLiteral("text"), c.text},
                  {QStringLiteral("weight"), c.weight},
                  {QStringLiteral("category"), c.category}};
    if (!c.checkJson.isEmpty())
        o.insert(QStringLiteral("check"), QJsonDocument::fromJson(c.checkJson.toUtf8()).object());
    if (c.veto)
        o.insert(QStringLiteral("veto"), true);
    return o;
}

// "[3]" or "[1 · min_words 60 · veto]": the weight and what makes the criterion mechanical.
QString criterionBracket(const CriterionRecord &c) {
    const QString m = rubric::criterionMechanics(c);
    return QStringLiteral("[%1%2]").arg(c.weight).arg(m.isEmpty() ? m : QStringLiteral(" · ") + m);
}

int versions(const Args &a) {
    bool ok = false;
    const qint64 promptId = number(a, QStringLiteral("--prompt"), &ok);
    if (!ok)
        return usageError(QStringLiteral("versions needs --prompt ID\n") + usage("rubric"));
    auto db = openRead(a.positional[1]);
    if (!db)
        return fail(db.error());
    auto list = rubric::listVersions(db.value(), promptId);
    if (!list)
        return fail(list.error());
    if (a.has(QStringLiteral("--json"))) {
        QJsonArray arr;
        for (const auto &v : list.value())
            arr.append(QJsonObject{{QStringLiteral("id"), v.id},
                                   {QStringLiteral("parent"), v.parentId},
                                   {QStringLiteral("origin"), v.origin},
                                   {QStringLiteral("detail"), v.detail},
                                   {QStringLiteral("tag"), v.tag},
                                   {QStringLiteral("created_at"), v.createdAt},
                                   {QStringLiteral("criteria"), v.criteria}});
        printJson(
            QJsonObject{{QStringLiteral("prompt"), promptId}, {QStringLiteral("versions"), arr}});
        return 0;
    }
    if (list->isEmpty()) {
        out(QStringLiteral("prompt %1 has no rubric\n").arg(promptId));
        return 0;
    }
    for (const auto &v : list.value())
        out(QStringLiteral("%1\tparent %2\t%3\t%4\t%5 criteria%6\n")
                .arg(v.id)
                .arg(v.parentId ? QString::number(v.parentId) : QStringLiteral("-"))
                .arg(v.origin, v.createdAt)
                .arg(v.criteria)
                .arg(v.tag.isEmpty() ? QString() : QStringLiteral("\t[%1]").arg(v.tag)));
    return 0;
}

int diff(const Args &a) {
    auto db = openRead(a.positional[1]);
    if (!db)
        return fail(db.error());
    qint64 from = 0, to = 0;
    bool ok1 = false, ok2 = false;
    if (a.values.contains(QStringLiteral("--from")) || a.values.contains(QStringLiteral("--to"))) {
        from = number(a, QStringLiteral("--from"), &ok1);
        to = number(a, QStringLiteral("--to"), &ok2);
        if (!ok1 || !ok2)
            return usageError(QStringLiteral("diff needs both --from V and --to V\n") +
                              usage("rubric"));
    } else {
        const qint64 promptId = number(a, QStringLiteral("--prompt"), &ok1);
        if (!ok1)
            return usageError(QStringLiteral("diff needs --from/--to or --prompt\n") +
                              usage("rubric"));
        auto list = rubric::listVersions(db.value(), promptId);
        if (!list)
            return fail(list.error());
        auto head = rubric::loadHead(db.value(), promptId);
        if (!head)
            return fail(head.error());
        if (!head->versionId)
            return fail(makeError(QStringLiteral("prompt %1 has no rubric").arg(promptId)));
        to = head->versionId;
        for (const auto &v : list.value())
            if (v.id == to)
                from = v.parentId;
    }
    rubric::RubricDiff d;
    if (from) {
        auto r = rubric::diffVersions(db.value(), from, to);
        if (!r)
            return fail(r.error());
        d = std::move(r.value());
    } else {
        auto v = rubric::loadVersion(db.value(), to);
        if (!v)
            return fail(v.error());
        d = rubric::diffCriteria({}, v->criteria);
    }
    const bool all = a.has(QStringLiteral("--all"));
    if (a.has(QStringLiteral("--json"))) {
        QJsonArray entries;
        for (const auto &e : d.entries) {
            if (!all && e.kind == rubric::DiffKind::Unchanged)
                continue;
            QJsonArray f, t;
            for (int i : e.from)
                f.append(criterionJson(d.fromCriteria[i]));
            for (int i : e.to)
                t.append(criterionJson(d.toCriteria[i]));
            entries.append(QJsonObject{{QStringLiteral("kind"), rubric::diffKindName(e.kind)},
                                       {QStringLiteral("from"), f},
                                       {QStringLiteral("to"), t},
                                       {QStringLiteral("similarity"), e.similarity}});
        }
        QJsonObject counts;
        for (auto k :
             {rubric::DiffKind::Added, rubric::DiffKind::Removed, rubric::DiffKind::Rewritten,
              rubric::DiffKind::Reweighted, rubric::DiffKind::Split, rubric::DiffKind::Merged,
              rubric::DiffKind::Unchanged})
            counts.insert(rubric::diffKindName(k), d.count(k));
        QJsonObject o{{QStringLiteral("from"), from},
                      {QStringLiteral("to"), to},
                      {QStringLiteral("counts"), counts},
                      {QStringLiteral("entries"), entries}};
        if (d.aggregationChanged()) {
            const auto agg = [](const QString &s) {
                return s.isEmpty() ? QJsonValue()
                                   : QJsonValue(QJsonDocument::fromJson(s.toUtf8()).object());
            };
            o.insert(QStringLiteral("aggregation"),
                     QJsonObject{{QStringLiteral("from"), agg(d.fromAggregation)},
                                 {QStringLiteral("to"), agg(d.toAggregation)}});
        }
        printJson(o);
        return 0;
    }
    out(QStringLiteral("%1 -> %2: %3\n").arg(from).arg(to).arg(d.summary()));
    if (d.aggregationChanged())
        out(QStringLiteral("aggregation: %1 -> %2\n")
                .arg(d.fromAggregation.isEmpty() ? QStringLiteral("plain") : d.fromAggregation,
                     d.toAggregation.isEmpty() ? QStringLiteral("plain") : d.toAggregation));
    for (const auto &e : d.entries) {
        if (!all && e.kind == rubric::DiffKind::Unchanged)
            continue;
        out(QStringLiteral("%1\n").arg(rubric::diffKindName(e.kind)));
        for (int i : e.from)
            out(QStringLiteral("  - %1 %2 %3\n")
                    .arg(d.fromCriteria[i].stableId, criterionBracket(d.fromCriteria[i]),
                         d.fromCriteria[i].text));
        for (int i : e.to)
            out(QStringLiteral("  + %1 %2 %3\n")
                    .arg(d.toCriteria[i].stableId, criterionBracket(d.toCriteria[i]),
                         d.toCriteria[i].text));
    }
    return 0;
}

int lint(const Args &a) {
    auto db = openRead(a.positional[1]);
    if (!db)
        return fail(db.error());
    QList<qint64> prompts;
    if (a.values.contains(QStringLiteral("--prompt"))) {
        bool ok = false;
        prompts << number(a, QStringLiteral("--prompt"), &ok);
        if (!ok)
            return usageError(QStringLiteral("--prompt takes a prompt id"));
    } else {
        auto st = db->prepare("SELECT DISTINCT prompt_id FROM rubrics ORDER BY prompt_id");
        if (!st)
            return fail(st.error());
        auto walked = st->forEach([&] { prompts << st->columnInt(0); });
        if (!walked)
            return fail(walked.error());
    }
    QJsonArray issuesJson;
    QMap<QString, int> byRule;
    int total = 0, criteria = 0;
    const bool json = a.has(QStringLiteral("--json"));
    for (qint64 p : prompts) {
        auto head = rubric::loadHead(db.value(), p);
        if (!head)
            return fail(head.error());
        criteria += int(head->criteria.size());
        for (const auto &i : rubric::lintCriteria(head->criteria, head->scoring)) {
            const CriterionRecord &c = head->criteria[i.criterion];
            const QString rule = rubric::lintRuleName(i.rule);
            ++byRule[rule];
            ++total;
            if (json) {
                QJsonObject issue{{QStringLiteral("prompt"), p},
                                  {QStringLiteral("version"), head->versionId},
                                  {QStringLiteral("criterion"), c.stableId},
                                  {QStringLiteral("rule"), rule},
                                  {QStringLiteral("reason"), i.reason}};
                if (!i.suggestedCheck.isEmpty())
                    issue.insert(QStringLiteral("check"),
                                 QJsonDocument::fromJson(i.suggestedCheck.toUtf8()).object());
                issuesJson.append(issue);
            } else
                out(QStringLiteral("prompt %1 %2 %3: %4\n").arg(p).arg(c.stableId, rule, i.reason));
        }
    }
    if (json) {
        QJsonObject counts;
        for (auto it = byRule.cbegin(); it != byRule.cend(); ++it)
            counts.insert(it.key(), it.value());
        printJson(QJsonObject{{QStringLiteral("rubrics"), qint64(prompts.size())},
                              {QStringLiteral("criteria"), criteria},
                              {QStringLiteral("issues"), total},
                              {QStringLiteral("by_rule"), counts},
                              {QStringLiteral("items"), issuesJson}});
        return 0;
    }
    QStringList parts;
    for (auto it = byRule.cbegin(); it != byRule.cend(); ++it)
        parts << QStringLiteral("%1 %2").arg(it.value()).arg(it.key());
    err(QStringLiteral("%1 issues in %2 criteria of %3 rubrics%4\n")
            .arg(total)
            .arg(criteria)
            .arg(prompts.size())
            .arg(parts.isEmpty() ? QString()
                                 : QStringLiteral(" (%1)").arg(parts.join(QStringLiteral(", ")))));
    return 0;
}

int write(const Args &a, bool restore) {
    bool ok = false;
    const qint64 version = number(a, QStringLiteral("--version"), &ok);
    if (!ok || (!restore && a.positional.size() > 3) || (restore && a.positional.size() != 2))
        return usageError(usage("rubric"));
    auto store = store::ProjectStore::open(a.positional[1]);
    if (!store)
        return fail(store.error());
    if (restore) {
        auto v = rubric::restoreVersion(*store.value(), version);
        if (!v)
            return fail(v.error());
        out(QStringLiteral("restored version %1 as version %2\n").arg(version).arg(v.value()));
        return 0;
    }
    const QString tag = a.positional.size() == 3 ? a.positional[2] : QString();
    if (auto r = rubric::setVersionTag(*store.value(), version, tag); !r)
        return fail(r.error());
    return 0;
}

} // namespace

int runRubric(const QStringList &argv) {
    QString parseError;
    const QStringList valued{QStringLiteral("--prompt"), QStringLiteral("--from"),
                             QStringLiteral("--to"), QStringLiteral("--version")};
    auto parsed = parseArgs(argv, valued, &parseError);
    if (!parsed)
        return usageError(parseError);
    const Args &a = *parsed;
    const QString bad = unknownFlag(a, {QStringLiteral("--json"), QStringLiteral("--all")});
    if (!bad.isEmpty())
        return usageError(QStringLiteral("unknown option %1\n%2").arg(bad, usage("rubric")));
    if (a.positional.size() < 2)
        return usageError(usage("rubric"));
    const QString sub = a.positional[0];
    if (sub == QLatin1String("versions"))
        return versions(a);
    if (sub == QLatin1String("diff"))
        return diff(a);
    if (sub == QLatin1String("lint"))
        return lint(a);
    if (sub == QLatin1String("tag"))
        return write(a, false);
    if (sub == QLatin1String("restore"))
        return write(a, true);
    return usageError(
        QStringLiteral("unknown rubric command \"%1\"\n%2").arg(sub, usage("rubric")));
}

} // namespace rs::cli

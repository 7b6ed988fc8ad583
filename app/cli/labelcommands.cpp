#include "labelcommands.h"

#include "analytics/projectmetrics.h"
#include "cliargs.h"
#include "clioutput.h"
#include "labels/cellid.h"
#include "labels/corrections.h"
#include "labels/labelsampler.h"
#include "labels/labelstore.h"
#include "store/database.h"
#include "store/projectstore.h"
#include "usage.h"

#include <QSaveFile>

#include <nlohmann/json.hpp>

namespace rs::cli {
namespace {

using nlohmann::json;

int sample(const Args &a) {
    if (a.positional.size() != 2 || !a.has(QStringLiteral("--n")) || !a.has(QStringLiteral("--out")))
        return usageError(usage("labels"));
    labels::SampleOptions o;
    bool ok = false;
    o.n = a.value(QStringLiteral("--n")).toInt(&ok);
    if (!ok || o.n < 1)
        return usageError(QStringLiteral("--n must be a positive number\n"));
    if (a.has(QStringLiteral("--seed"))) {
        o.seed = a.value(QStringLiteral("--seed")).toULongLong(&ok);
        if (!ok)
            return usageError(QStringLiteral("--seed takes a non-negative integer\n"));
    }
    o.runId = a.value(QStringLiteral("--run"), QStringLiteral("0")).toLongLong();
    o.includeLabelled = a.flags.contains(QStringLiteral("--include-labelled"));
    auto db = openProjectForReading(a.positional[1]);
    if (!db)
        return fail(db.error());
    auto cells = labels::sampleCells(db.value(), o);
    if (!cells)
        return fail(cells.error());
    QByteArray bytes;
    for (const labels::SampledCell &c : cells.value()) {
        // Nothing here may name the judge or its verdict: the labeller must not see it.
        const json line{{"cell", labels::cellId(c.responseId, c.stableId).toStdString()},
                        {"response_id", c.responseId},
                        {"criterion_id", c.stableId.toStdString()},
                        {"prompt_id", c.promptId},
                        {"prompt", c.prompt.toStdString()},
                        {"response", c.response.toStdString()},
                        {"criterion", c.criterion.toStdString()},
                        {"tier", c.tier.toStdString()}};
        bytes += QByteArray::fromStdString(line.dump()) + '\n';
    }
    const QString path = a.value(QStringLiteral("--out"));
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size() || !f.commit())
        return fail(makeError(QStringLiteral("cannot write: %1").arg(f.errorString()), path));
    out(QStringLiteral("%1 cells to label written to %2\n").arg(cells->size()).arg(path));
    return 0;
}

int import(const Args &a) {
    if (a.positional.size() != 3)
        return usageError(usage("labels"));
    auto store = store::ProjectStore::open(a.positional[1]);
    if (!store)
        return fail(store.error());
    auto r = labels::importLabels(*store.value(), a.positional[2],
                                  a.value(QStringLiteral("--annotator")));
    if (!r)
        return fail(r.error());
    out(QStringLiteral("%1 labels stored (%2 skips)\n").arg(r->labels).arg(r->skipped));
    return 0;
}

int exportLabels(const Args &a) {
    if (a.positional.size() != 2 || !a.has(QStringLiteral("--out")))
        return usageError(usage("labels"));
    auto db = openProjectForReading(a.positional[1]);
    if (!db)
        return fail(db.error());
    auto n = labels::exportLabels(db.value(), a.value(QStringLiteral("--out")),
                                  a.value(QStringLiteral("--annotator")));
    if (!n)
        return fail(n.error());
    out(QStringLiteral("%1 labels written to %2\n").arg(n.value()).arg(a.value(QStringLiteral("--out"))));
    return 0;
}

int disagreements(const Args &a) {
    if (a.positional.size() != 2)
        return usageError(usage("labels"));
    auto db = openProjectForReading(a.positional[1]);
    if (!db)
        return fail(db.error());
    analytics::MetricOptions o;
    o.runId = a.value(QStringLiteral("--run"), QStringLiteral("0")).toLongLong();
    o.bootstrap = 0; // the list needs no intervals
    auto m = analytics::computeProjectMetrics(db.value(), o);
    if (!m)
        return fail(m.error());
    const auto &rows = m->agreement.disagreements;
    if (a.flags.contains(QStringLiteral("--json"))) {
        json list = json::array();
        for (const analytics::Disagreement &d : rows)
            list.push_back({{"cell", labels::cellId(d.responseId, d.stableId).toStdString()},
                            {"judge", d.judge ? "yes" : "no"},
                            {"human", d.human ? "yes" : "no"},
                            {"rationale", d.rationale.toStdString()},
                            {"criterion", d.text.toStdString()}});
        out(QString::fromStdString(list.dump(2)) + QLatin1Char('\n'));
        return 0;
    }
    for (const analytics::Disagreement &d : rows)
        out(QStringLiteral("%1  judge %2, human %3  %4\n    %5\n")
                .arg(labels::cellId(d.responseId, d.stableId), d.judge ? QStringLiteral("yes") : QStringLiteral("no"),
                     d.human ? QStringLiteral("yes") : QStringLiteral("no"), d.text,
                     d.rationale.isEmpty() ? QStringLiteral("(no rationale)") : d.rationale));
    out(QStringLiteral("%1 disagreements over %2 labelled cells\n")
            .arg(rows.size())
            .arg(m->agreement.labelledCells));
    return 0;
}

int attach(const Args &a) {
    if (a.positional.size() != 2)
        return usageError(usage("labels"));
    labels::AttachOptions o;
    bool ok = true;
    o.runId = a.value(QStringLiteral("--run"), QStringLiteral("0")).toLongLong();
    if (a.has(QStringLiteral("--per-criterion")))
        o.perCriterion = a.value(QStringLiteral("--per-criterion")).toInt(&ok);
    if (!ok || o.perCriterion < 1)
        return usageError(QStringLiteral("--per-criterion must be at least 1\n"));
    if (a.has(QStringLiteral("--holdout")))
        o.holdout = a.value(QStringLiteral("--holdout")).toDouble(&ok);
    if (!ok || o.holdout < 0 || o.holdout >= 1)
        return usageError(QStringLiteral("--holdout must lie in [0, 1)\n"));
    if (a.has(QStringLiteral("--seed")))
        o.seed = a.value(QStringLiteral("--seed")).toULongLong(&ok);
    if (!ok)
        return usageError(QStringLiteral("--seed takes a non-negative integer\n"));
    auto project = openProject(a.positional[1]);
    if (!project)
        return fail(project.error());
    auto r = labels::attachCorrections(*project->store, project->db, o);
    if (!r)
        return fail(r.error());
    out(QStringLiteral("%1 corrections attached as examples to %2 criteria; %3 labelled cells held "
                       "out. Judge again (a new run: the template changed), then compare:\n"
                       "  labels compare PROJECT --before OLD_RUN --after NEW_RUN\n")
            .arg(r->attached)
            .arg(r->criteria)
            .arg(r->heldOut));
    return 0;
}

int detach(const Args &a) {
    if (a.positional.size() != 2)
        return usageError(usage("labels"));
    auto store = store::ProjectStore::open(a.positional[1]);
    if (!store)
        return fail(store.error());
    auto n = labels::detachAll(*store.value());
    if (!n)
        return fail(n.error());
    out(QStringLiteral("%1 examples removed; the judge prompt is the plain template again\n").arg(n.value()));
    return 0;
}

int compare(const Args &a) {
    if (a.positional.size() != 2 || !a.has(QStringLiteral("--before")) || !a.has(QStringLiteral("--after")))
        return usageError(usage("labels"));
    auto db = openProjectForReading(a.positional[1]);
    if (!db)
        return fail(db.error());
    bool ok = true;
    const int bootstrap = a.value(QStringLiteral("--bootstrap"), QStringLiteral("1000")).toInt(&ok);
    if (!ok || bootstrap < 0)
        return usageError(QStringLiteral("--bootstrap takes 0 or more\n"));
    auto r = labels::compareOnHeldOut(db.value(), a.value(QStringLiteral("--before")).toLongLong(),
                                      a.value(QStringLiteral("--after")).toLongLong(), bootstrap,
                                      a.value(QStringLiteral("--seed"), QStringLiteral("1")).toULongLong());
    if (!r)
        return fail(r.error());
    const auto asJson = [](const analytics::Estimate &e) {
        return json{{"value", e.value},
                    {"n", e.n},
                    {"ci_low", e.ci ? json(e.ci->low) : json(nullptr)},
                    {"ci_high", e.ci ? json(e.ci->high) : json(nullptr)}};
    };
    if (a.flags.contains(QStringLiteral("--json"))) {
        out(QString::fromStdString(json{{"kappa_before", asJson(r->before)},
                                        {"kappa_after", asJson(r->after)},
                                        {"difference", asJson(r->difference)}}
                                       .dump(2)) +
            QLatin1Char('\n'));
        return 0;
    }
    const auto line = [](const analytics::Estimate &e) {
        return e.ci ? QStringLiteral("%1 [%2, %3]").arg(e.value, 0, 'f', 3).arg(e.ci->low, 0, 'f', 3).arg(e.ci->high, 0, 'f', 3)
                    : QString::number(e.value, 'f', 3);
    };
    out(QStringLiteral("judge vs human kappa on %1 held-out cells\n  before  %2\n  after   %3\n"
                       "  change  %4 (paired bootstrap over prompts)\n")
            .arg(r->before.n)
            .arg(line(r->before), line(r->after), line(r->difference)));
    return 0;
}

} // namespace

int runLabels(const QStringList &argv) {
    QString parseError;
    auto parsed = parseArgs(argv,
                            {QStringLiteral("--n"), QStringLiteral("--seed"), QStringLiteral("--run"),
                             QStringLiteral("--out"), QStringLiteral("--annotator"),
                             QStringLiteral("--per-criterion"), QStringLiteral("--holdout"),
                             QStringLiteral("--before"), QStringLiteral("--after"),
                             QStringLiteral("--bootstrap")},
                            &parseError);
    if (!parsed)
        return usageError(parseError + QLatin1Char('\n') + usage("labels"));
    const Args &a = *parsed;
    if (const QString bad = unknownFlag(a, {QStringLiteral("--json"), QStringLiteral("--include-labelled")});
        !bad.isEmpty())
        return usageError(QStringLiteral("unknown option %1\n%2").arg(bad, usage("labels")));
    const QString sub = a.positional.value(0);
    if (sub == QLatin1String("sample"))
        return sample(a);
    if (sub == QLatin1String("import"))
        return import(a);
    if (sub == QLatin1String("export"))
        return exportLabels(a);
    if (sub == QLatin1String("disagreements"))
        return disagreements(a);
    if (sub == QLatin1String("attach"))
        return attach(a);
    if (sub == QLatin1String("detach"))
        return detach(a);
    if (sub == QLatin1String("compare"))
        return compare(a);
    return usageError(usage("labels"));
}

} // namespace rs::cli

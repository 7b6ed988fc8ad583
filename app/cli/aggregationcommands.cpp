#include "aggregationcommands.h"

#include "analytics/aggregationpreview.h"
#include "analytics/aggregationpreviewjson.h"
#include "cliargs.h"
#include "clioutput.h"
#include "judge/aggregationjson.h"
#include "usage.h"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace rs::cli {
namespace {

QString estimateText(const std::optional<analytics::Estimate> &e) {
    return e ? QString::number(e->value, 'f', 4) : QStringLiteral("n/a");
}

QString signedText(double v) {
    return (v >= 0 ? QStringLiteral("+") : QString()) + QString::number(v, 'f', 3);
}

void printTable(const analytics::AggregationPreview &p) {
    out(QStringLiteral(
            "run %1; %2 scored responses; %3 gold pairs; top tier %4 vs %5; current: %6\n\n")
            .arg(p.runId)
            .arg(p.scoredResponses)
            .arg(p.goldPairs)
            .arg(p.tierA, p.tierB,
                 p.currentSummary.isEmpty() ? QStringLiteral("differs by rubric")
                                            : p.currentSummary));
    int width = 9;
    for (const auto &c : p.candidates)
        width = std::max(width, int(c.candidate.name.size()));
    out(QStringLiteral("%1  %2  %3  %4  %5  %6\n")
            .arg(QStringLiteral("candidate"), -width)
            .arg(QStringLiteral("AUC"), 7)
            .arg(QStringLiteral("top ties"), 8)
            .arg(QStringLiteral("tail acc"), 8)
            .arg(QStringLiteral("zero-spread groups"), 18)
            .arg(QStringLiteral("adv gap"), 7));
    for (const auto &c : p.candidates)
        out(QStringLiteral("%1  %2  %3  %4  %5  %6\n")
                .arg(c.candidate.name, -width)
                .arg(estimateText(c.auc), 7)
                .arg(estimateText(c.topTieRate), 8)
                .arg(estimateText(c.tailAccuracy), 8)
                .arg(QStringLiteral("%1/%2").arg(c.zeroSpreadGroups).arg(c.groups), 18)
                .arg(c.advantageGap ? signedText(c.advantageGap->value) : QStringLiteral("n/a"),
                     7));
    if (!p.promptId || p.candidates.empty())
        return;
    out(QStringLiteral("\nprompt %1: reward and GRPO advantage per response\n").arg(p.promptId));
    for (std::size_t k = 0; k < p.candidates.size(); ++k)
        out(QStringLiteral("  [%1] %2\n").arg(k + 1).arg(p.candidates[k].candidate.name));
    QString head = QStringLiteral("%1  %2  %3")
                       .arg(QStringLiteral("response"), 8)
                       .arg(QStringLiteral("tier"), -9)
                       .arg(QStringLiteral("generator"), -24);
    for (std::size_t k = 0; k < p.candidates.size(); ++k)
        head += QStringLiteral("  %1").arg(QStringLiteral("[%1] r / A").arg(k + 1), 15);
    out(head + QLatin1Char('\n'));
    const auto &rows = p.candidates.front().prompt;
    if (rows.empty())
        out(QStringLiteral("(no scored responses: the prompt has no rubric or no verdicts)\n"));
    for (std::size_t i = 0; i < rows.size(); ++i) {
        QString line = QStringLiteral("%1  %2  %3")
                           .arg(rows[i].responseId, 8)
                           .arg(rows[i].tier.left(9), -9)
                           .arg(rows[i].generator.left(24), -24);
        for (const auto &c : p.candidates)
            line += QStringLiteral("  %1 %2")
                        .arg(c.prompt[i].reward, 7, 'f', 3)
                        .arg(signedText(c.prompt[i].advantage), 7);
        out(line + QLatin1Char('\n'));
    }
}

} // namespace

int runAggregationPreview(const QStringList &argv) {
    QString parseError;
    auto parsed = parseArgs(argv,
                            {QStringLiteral("--run"), QStringLiteral("--prompt"),
                             QStringLiteral("--candidates"), QStringLiteral("--missing")},
                            &parseError);
    if (!parsed)
        return usageError(parseError + QLatin1Char('\n') + usage("aggregation-preview"));
    const Args &a = *parsed;
    if (const QString bad = unknownFlag(a, {QStringLiteral("--json")}); !bad.isEmpty())
        return usageError(
            QStringLiteral("unknown option %1\n%2").arg(bad, usage("aggregation-preview")));
    if (a.positional.size() != 1)
        return usageError(usage("aggregation-preview"));

    analytics::AggregationPreviewOptions o;
    bool ok = true;
    o.metrics.runId = a.value(QStringLiteral("--run"), QStringLiteral("0")).toLongLong(&ok);
    if (!ok || o.metrics.runId < 0)
        return usageError(QStringLiteral("--run takes a judge run id\n"));
    o.promptId = a.value(QStringLiteral("--prompt"), QStringLiteral("0")).toLongLong(&ok);
    if (!ok || o.promptId < 0)
        return usageError(QStringLiteral("--prompt takes a prompt id\n"));
    if (a.has(QStringLiteral("--missing"))) {
        const auto missing = judge::missingPolicyFromName(a.value(QStringLiteral("--missing")));
        if (!missing)
            return usageError(QStringLiteral("--missing takes no or drop\n"));
        o.metrics.missing = *missing;
    }
    // Each SPEC is rubric JSONL's "aggregation" object, read by the import's own parser.
    const QStringList specs =
        a.value(QStringLiteral("--candidates")).split(QLatin1Char(';'), Qt::SkipEmptyParts);
    for (const QString &text : specs) {
        const nlohmann::json j =
            nlohmann::json::parse(text.trimmed().toStdString(), nullptr, false);
        auto spec = judge::aggregationFromJson(j.is_discarded() ? nlohmann::json() : j);
        if (!spec)
            return usageError(
                QStringLiteral("--candidates: %1: %2\n").arg(text.trimmed(), spec.error().message));
        o.candidates.push_back(analytics::aggregationCandidate(spec.value()));
    }
    if (a.has(QStringLiteral("--candidates")) && o.candidates.empty())
        return usageError(
            QStringLiteral("--candidates takes SPEC;SPEC... (aggregation JSON objects)\n"));

    auto db = openProjectForReading(a.positional.first());
    if (!db)
        return fail(db.error());
    // The paper's tier names by default; a project tagged otherwise compares its own best two.
    if (auto adapted = analytics::adaptTiersToProject(db.value(), o.metrics); !adapted)
        return fail(adapted.error());
    ProgressLine progress(QStringLiteral("aggregation preview"));
    auto preview = analytics::previewAggregations(db.value(), o, [&](int done, int total) {
        progress.update(done, total);
        return true;
    });
    progress.finish();
    if (!preview)
        return fail(preview.error());
    if (a.flags.contains(QStringLiteral("--json"))) {
        const std::string text = analytics::toJson(preview.value()).dump(2) + "\n";
        std::fwrite(text.data(), 1, text.size(), stdout);
        return 0;
    }
    printTable(preview.value());
    return 0;
}

} // namespace rs::cli

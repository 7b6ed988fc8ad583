#include "providers/capabilitysummary.h"

#include <QCoreApplication>
#include <QLocale>
#include <QStringList>

namespace rs::ui {
namespace {

QString trSummary(const char *text) {
    return QCoreApplication::translate("CapabilitySummary", text);
}

QString yesNo(bool value) {
    return value ? trSummary("yes") : trSummary("no");
}

// What the probe never asks about keeps the API kind's default, which says nothing about this
// model: shown as untested, so nobody reads a default as a finding.
QString untested() {
    return trSummary("not tested (learned on first use)");
}

/// The OpenAI API the wire layer will use (the provider's choice, else what was found).
bool usesResponses(const llm::ProviderConfig &provider, const llm::ModelCapabilities &caps) {
    return provider.kind == llm::ProviderKind::OpenAiCompatible &&
           (provider.api == QLatin1String("responses") ||
            (provider.api != QLatin1String("chat") && caps.responsesApi));
}

QString apiText(const llm::ProviderConfig &provider, const llm::ModelCapabilities &caps) {
    if (provider.kind == llm::ProviderKind::Anthropic)
        return trSummary("Messages");
    return usesResponses(provider, caps) ? trSummary("Responses") : trSummary("Chat Completions");
}

QString structuredText(const llm::ProviderConfig &provider, const llm::ProbeReport &report) {
    const llm::ModelCapabilities &caps = report.caps;
    const bool anthropic = provider.kind == llm::ProviderKind::Anthropic;
    QStringList kinds;
    if (caps.jsonSchema)
        kinds << trSummary("JSON schema");
    if (!anthropic && caps.jsonObject)
        kinds << trSummary("JSON object");
    if (anthropic && caps.tools)
        kinds << trSummary("forced tool");
    if (kinds.isEmpty())
        return trSummary("none: free text, read leniently");
    QString text = kinds.join(QStringLiteral(", "));
    if (caps.jsonSchema && report.answered && !report.schemaFollowed)
        text += trSummary(" (the answer did not follow the schema)");
    return text;
}

QString temperatureText(const llm::ModelCapabilities &caps) {
    if (!caps.temperature)
        return trSummary("refused");
    return trSummary("0–%1").arg(QLocale().toString(caps.temperatureMax, 'g', 3));
}

QString tokenLimitText(const llm::ProviderConfig &provider, const llm::ModelCapabilities &caps) {
    if (provider.kind == llm::ProviderKind::Anthropic)
        return QStringLiteral("max_tokens");
    if (usesResponses(provider, caps))
        return QStringLiteral("max_output_tokens");
    return caps.maxCompletionTokens ? QStringLiteral("max_completion_tokens")
                                    : QStringLiteral("max_tokens");
}

QString effortText(const llm::ProviderConfig &provider, const llm::ProbeReport &report) {
    const llm::ModelCapabilities &caps = report.caps;
    if (!caps.reasoningEffort)
        return trSummary("refused");
    if (provider.kind == llm::ProviderKind::Anthropic && report.described) {
        // The model description lists every level, so the accepted ones are known.
        QStringList levels;
        for (const char *level : {"low", "medium", "high", "xhigh", "max"})
            if (!caps.refusedEfforts.contains(QLatin1String(level)))
                levels << QLatin1String(level);
        return levels.isEmpty() ? trSummary("refused") : levels.join(QStringLiteral(", "));
    }
    if (!caps.refusedEfforts.isEmpty())
        return trSummary("taken, except %1").arg(caps.refusedEfforts.join(QStringLiteral(", ")));
    return untested();
}

QString thinkingText(const llm::ProbeReport &report) {
    if (!report.described)
        return untested();
    const llm::ModelCapabilities &caps = report.caps;
    QString text =
        caps.thinkingEnabled ? trSummary("budgets (type “enabled”)") : trSummary("adaptive only");
    if (caps.thinkingOffForTools)
        text += trSummary(", off for forced tools");
    return text;
}

} // namespace

QList<CapabilityLine> capabilitySummary(const llm::ProviderConfig &provider,
                                        const llm::ProbeReport &report) {
    const llm::ModelCapabilities &caps = report.caps;
    QList<CapabilityLine> lines{
        {trSummary("API"), apiText(provider, caps)},
        {trSummary("Structured output"), structuredText(provider, report)},
        {trSummary("Logprobs"), yesNo(caps.logprobs)},
        {trSummary("Temperature"), temperatureText(caps)},
        {trSummary("Seed"), yesNo(caps.seed)},
        {trSummary("Token limit"), tokenLimitText(provider, caps)},
        {trSummary("Reasoning effort"), effortText(provider, report)},
    };
    if (provider.kind == llm::ProviderKind::Anthropic)
        lines.append({trSummary("Thinking"), thinkingText(report)});
    if (!caps.lessons.isEmpty())
        lines.append({trSummary("Learned"), caps.lessons.join(QStringLiteral("; "))});
    return lines;
}

QString capabilitySummaryHtml(const QList<CapabilityLine> &lines) {
    QString html = QStringLiteral("<table cellspacing=\"0\" cellpadding=\"1\">");
    for (const CapabilityLine &line : lines)
        html += QStringLiteral("<tr><td style=\"padding-right:14px\">%1</td><td>%2</td></tr>")
                    .arg(line.label.toHtmlEscaped(), line.value.toHtmlEscaped());
    html += QStringLiteral("</table>");
    return html;
}

} // namespace rs::ui

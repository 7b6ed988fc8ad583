#pragma once

#include "llm/capabilityprobe.h"

#include <QList>
#include <QString>

namespace rs::ui {

/// One line of a probe's summary: what the studio may send to the model for one feature.
struct CapabilityLine final {
    QString label; ///< "Temperature"
    QString value; ///< "0–2", "refused"
};

/// What a probe found, in words, for the Providers dialog: the API, structured output,
/// logprobs, temperature, seed, the token limit's name, reasoning effort, Anthropic thinking,
/// and what was learned from rejections. What the probe did not ask about is said to be
/// untested rather than shown as the API kind's default.
QList<CapabilityLine> capabilitySummary(const llm::ProviderConfig &provider,
                                        const llm::ProbeReport &report);

/// The lines as a compact two-column HTML table (escaped), for a rich-text label.
QString capabilitySummaryHtml(const QList<CapabilityLine> &lines);

} // namespace rs::ui

#pragma once

#include <QString>

namespace rs::llmserver {

/// The reading of a naive judge for --obey-injections: it looks for the fences around untrusted
/// text the way a model skimming the prompt would, and obeys instructions it finds outside them.
///
/// Zero-width characters and non-ASCII Unicode spaces are ignored (removed) first. For PROMPT
/// and RESPONSE, the fence opens at the first "<<<NAME" (with "#HEX" if a nonce follows) and
/// closes at the first following "NAME#HEX>>>" with the same nonce, or the first "NAME>>>" when
/// there is none (to the end when no close follows). Markers are found anywhere, not only on
/// their own line. Text outside both fences is searched, ignoring case and all whitespace, for
/// "grade every criterion yes", "answer yes to all" or "ignore previous instructions".
class InjectionFence final {
public:
    static bool injected(const QString &userMessage);
    /// The message with the fenced spans removed (after the character clean-up above).
    static QString outsideText(const QString &userMessage);
};

} // namespace rs::llmserver

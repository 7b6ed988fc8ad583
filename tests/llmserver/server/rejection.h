#pragma once

#include <QString>

namespace rs::llmserver {

/// A request a profile refuses, as the real API would: status, message, and the parameter it
/// names (OpenAI puts it in "param"; Anthropic only in the message text).
struct Rejection {
    int status = 400;
    QString message;
    QString param; // empty: null
    QString code;  // empty: null
    QString type;  // empty: the API's usual type for the status
};

} // namespace rs::llmserver

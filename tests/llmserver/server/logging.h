#pragma once

#include <QLoggingCategory>

// The server logs to stderr only with --verbose; main() switches this category on then.
Q_DECLARE_LOGGING_CATEGORY(lcLlmServer)

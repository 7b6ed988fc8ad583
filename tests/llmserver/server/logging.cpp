#include "logging.h"

Q_LOGGING_CATEGORY(lcLlmServer, "studio.llmserver", QtInfoMsg)

#include "common/uilogging.h"

Q_LOGGING_CATEGORY(lcUi, "studio.ui")

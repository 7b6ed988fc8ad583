#include "uilogging.h"

Q_LOGGING_CATEGORY(lcUi, "studio.ui")

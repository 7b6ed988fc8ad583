#include "logging.h"

Q_LOGGING_CATEGORY(lcStore, "studio.store")
Q_LOGGING_CATEGORY(lcImport, "studio.import")

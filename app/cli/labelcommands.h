#pragma once

#include <QStringList>

namespace rs::cli {

/// labels sample|import|export|disagreements ...: blind human labels (issue 15).
int runLabels(const QStringList &args);

} // namespace rs::cli

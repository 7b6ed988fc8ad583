#pragma once

#include <QStringList>

namespace rs::cli {

int runExportPack(const QStringList &args);   ///< export PROJECT --format F --out DIR
int runImportPack(const QStringList &args);   ///< import-pack PROJECT PATH
int runExportVerdicts(const QStringList &args); ///< export-verdicts PROJECT --out FILE
int runImportVerdicts(const QStringList &args); ///< import-verdicts PROJECT FILE

} // namespace rs::cli

#include "components.h"

#include <curl/curl.h>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <QtGlobal>

namespace rs {

QList<Component> coreComponents()
{
    const curl_version_info_data *curl = curl_version_info(CURLVERSION_NOW);
    return {
        {QStringLiteral("Qt"), QString::fromLatin1(qVersion()), QStringLiteral("LGPL-3.0")},
        {QStringLiteral("SQLite"), QString::fromLatin1(sqlite3_libversion()),
         QStringLiteral("public domain")},
        {QStringLiteral("nlohmann-json"),
         QStringLiteral("%1.%2.%3")
             .arg(NLOHMANN_JSON_VERSION_MAJOR)
             .arg(NLOHMANN_JSON_VERSION_MINOR)
             .arg(NLOHMANN_JSON_VERSION_PATCH),
         QStringLiteral("MIT")},
        {QStringLiteral("libcurl"),
         curl && curl->version ? QString::fromLatin1(curl->version) : QStringLiteral("unknown"),
         QStringLiteral("curl (MIT-style)")},
    };
}

} // namespace rs

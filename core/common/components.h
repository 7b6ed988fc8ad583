#pragma once

#include <QList>
#include <QString>

namespace rs {

/// A library the studio is built on, for the About dialog and `rubric-studio-cli --version`.
struct Component final {
    QString name;
    QString version; ///< the version running now where the library reports it, else built-against
    QString licence;
};

/// Qt, SQLite, nlohmann-json and libcurl, with the versions loaded at run time where the
/// library can tell (Qt, SQLite, libcurl) and the compiled-in version otherwise (a header-only
/// library has no other).
QList<Component> coreComponents();

} // namespace rs

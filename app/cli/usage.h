#pragma once

#include <QString>

#include <string_view>

namespace rs::cli {

/// One command's usage text, "usage: rubric-studio-cli COMMAND ...", with its options and a
/// line or two on what it does. What `COMMAND --help` prints and what a usage error repeats:
/// one text per command, kept here so the two cannot drift apart.
QString usage(std::string_view command);

/// Every command, one per line with two spaces in front, for `rubric-studio-cli --help`.
QString commandList();

} // namespace rs::cli

#!/usr/bin/env bash
# Builds Rubric Studio and runs every test, headless. Installs missing Debian packages first.
# RS_BUILD_DIR overrides the build folder (default: build/).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${RS_BUILD_DIR:-$here/build}
"$here/packaging/install-deps.sh"
cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$build" --parallel "$(nproc)"
cd "$build"
QT_QPA_PLATFORM=offscreen ctest --output-on-failure --parallel "$(nproc)"

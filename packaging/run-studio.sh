#!/usr/bin/env bash
# Builds Rubric Studio and launches it with the bundled demo project open. Installs missing
# Debian packages first. Extra arguments go to the studio (e.g. a project file to open).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${RS_BUILD_DIR:-$here/build}
"$here/packaging/install-deps.sh"
cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$build" --parallel "$(nproc)" --target rubric-studio rubric-studio-cli
if [ $# -eq 0 ]; then
  exec "$build/app/rubric-studio" --demo
fi
exec "$build/app/rubric-studio" "$@"

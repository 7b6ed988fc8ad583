#!/usr/bin/env bash
# Renders the studio over the demo project into docs/screenshot.png (or the path given), the
# way a user first sees it: prompt navigator, responses, reader pane and rubric inspector.
#
#   packaging/screenshot.sh [OUT.png] [studio options, e.g. --theme dark]
#
# Builds first when the studio is missing or older than its sources. Uses Xvfb when it is
# installed (real X11 rendering, as on a desktop), otherwise Qt's offscreen platform. The demo
# project is built in a throwaway data folder so the user's own settings and recent projects
# are neither read nor changed.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${RS_BUILD:-$root/build}
out=${1:-$root/docs/screenshot.png}
shift || true
app=$build/app/rubric-studio

needs_build=0
if [ ! -x "$app" ]; then
  needs_build=1
elif [ -n "$(find "$root/ui" "$root/core" "$root/app/gui" "$root/resources" -newer "$app" -type f -print -quit)" ]; then
  needs_build=1
fi
if [ "$needs_build" -eq 1 ]; then
  if [ ! -f "$build/build.ninja" ]; then
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
  fi
  ninja -C "$build" rubric-studio
fi

scratch=$(mktemp -d /tmp/rs-screenshot.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
export XDG_DATA_HOME=$scratch/data XDG_CONFIG_HOME=$scratch/config XDG_CACHE_HOME=$scratch/cache
export XDG_RUNTIME_DIR=$scratch/runtime
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
mkdir -p "$(dirname "$out")"

if command -v xvfb-run >/dev/null 2>&1; then
  xvfb-run -a -s "-screen 0 1600x1000x24" "$app" --demo --screenshot "$out" "$@"
else
  echo "xvfb-run not found; using QT_QPA_PLATFORM=offscreen" >&2
  QT_QPA_PLATFORM=offscreen "$app" --demo --screenshot "$out" "$@"
fi

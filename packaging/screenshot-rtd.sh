#!/usr/bin/env bash
# Renders the RTD tab (the rounds of a prompt, a proposed round's pair side by side with
# their verdicts, the proposed rubric change with one change rejected) into docs/screenshot-rtd.png
# (or into the folder given), over the demo project refined by the local LLM test server.
#
#   packaging/screenshot-rtd.sh [OUT_DIR]
#
# Like screenshot.sh: Xvfb when installed, else Qt's offscreen platform; throwaway settings
# and data folders, so the user's own providers, settings and projects are left alone.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${RS_BUILD:-$root/build}
out=${1:-$root/docs}
tool=$build/tests/ui/rs-rtd-screenshot

if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
fi
ninja -C "$build" rs-rtd-screenshot

scratch=$(mktemp -d /tmp/rs-screenshot-rtd.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
export XDG_DATA_HOME=$scratch/data XDG_CONFIG_HOME=$scratch/config XDG_CACHE_HOME=$scratch/cache
export XDG_RUNTIME_DIR=$scratch/runtime
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"

if command -v xvfb-run >/dev/null 2>&1; then
  xvfb-run -a -s "-screen 0 1600x1000x24" "$tool" "$out"
else
  echo "xvfb-run not found; using QT_QPA_PLATFORM=offscreen" >&2
  QT_QPA_PLATFORM=offscreen "$tool" "$out"
fi

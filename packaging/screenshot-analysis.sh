#!/usr/bin/env bash
# Renders the Analysis tab into docs/screenshot-analysis.png (top-tier separation: reward
# histograms by tier, top-k spreads, dead criteria) and docs/screenshot-theory.png (the theory
# explorer), or into the folder given.
#
#   packaging/screenshot-analysis.sh [OUT_DIR]
#
# The pictures come from the Analysis GUI test: it builds the demo project, judges it against
# the local LLM test server (nothing leaves the machine), adds gold labels and saves the window
# when RS_SCREENSHOT_DIR is set. Uses Xvfb when installed, else Qt's offscreen platform.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${RS_BUILD:-$root/build}
out=$(mkdir -p "${1:-$root/docs}" && cd "${1:-$root/docs}" && pwd)

if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
fi
ninja -C "$build" tst_analysis

scratch=$(mktemp -d /tmp/rs-screenshot.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
export XDG_DATA_HOME=$scratch/data XDG_CONFIG_HOME=$scratch/config XDG_CACHE_HOME=$scratch/cache
export XDG_RUNTIME_DIR=$scratch/runtime
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"

test_bin=$build/tests/ui/tst_analysis
if command -v xvfb-run >/dev/null 2>&1; then
  RS_SCREENSHOT_DIR=$out xvfb-run -a -s "-screen 0 1600x1000x24" \
    "$test_bin" screenshots
else
  echo "xvfb-run not found; using QT_QPA_PLATFORM=offscreen" >&2
  RS_SCREENSHOT_DIR=$out QT_QPA_PLATFORM=offscreen "$test_bin" screenshots
fi
ls -l "$out/screenshot-analysis.png" "$out/screenshot-theory.png"

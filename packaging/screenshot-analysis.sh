#!/usr/bin/env bash
# Renders the Analysis tab over the demo project into docs/screenshot-analysis.png (tail
# accuracy, as the tab opens) and the theory explorer into docs/screenshot-theory.png, or into
# the folder given.
#
#   packaging/screenshot-analysis.sh [OUT_DIR]
#
# The pictures come from GUI tests that save the window when RS_SCREENSHOT_DIR is set: the
# main-window test over the demo as shipped (its hand-graded runs, RTD history and gold
# labels; it also saves pictures of the other demo views, which stay in a scratch folder),
# and the Analysis test for the theory explorer. Nothing leaves the machine. Uses Xvfb when
# installed, else Qt's offscreen platform.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${RS_BUILD:-$root/build}
out=$(mkdir -p "${1:-$root/docs}" && cd "${1:-$root/docs}" && pwd)

if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
fi
ninja -C "$build" tst_analysis tst_mainwindow

scratch=$(mktemp -d /tmp/rs-screenshot.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
export XDG_DATA_HOME=$scratch/data XDG_CONFIG_HOME=$scratch/config XDG_CACHE_HOME=$scratch/cache
export XDG_RUNTIME_DIR=$scratch/runtime
mkdir -p "$XDG_RUNTIME_DIR" "$scratch/demo" && chmod 700 "$XDG_RUNTIME_DIR"

run() { # test binary, test function, output folder
  if command -v xvfb-run >/dev/null 2>&1; then
    RS_SCREENSHOT_DIR=$3 xvfb-run -a -s "-screen 0 1600x1000x24" "$build/tests/ui/$1" "$2"
  else
    RS_SCREENSHOT_DIR=$3 QT_QPA_PLATFORM=offscreen "$build/tests/ui/$1" "$2"
  fi
}
command -v xvfb-run >/dev/null 2>&1 || echo "xvfb-run not found; using QT_QPA_PLATFORM=offscreen" >&2
run tst_mainwindow screenshots "$scratch/demo"
cp "$scratch/demo/screenshot-analysis.png" "$out/"
run tst_analysis screenshots "$out"
ls -l "$out/screenshot-analysis.png" "$out/screenshot-theory.png"

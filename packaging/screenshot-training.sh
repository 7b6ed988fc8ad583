#!/usr/bin/env bash
# Renders the Training tab (served rewards by step, the reward curve with one criterion's pass
# rate drawn over it, saturated criteria, the top-rewarded responses) into
# docs/screenshot-training.png (or into the folder given), from the Training tab's test project.
#
#   packaging/screenshot-training.sh [OUT_DIR]
#
# Qt's offscreen platform and throwaway settings and data folders: the user's own providers,
# settings and projects are left alone.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${RS_BUILD:-$root/build}
out=${1:-$root/docs}

if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
fi
ninja -C "$build" tst_trainingpanel

scratch=$(mktemp -d /tmp/rs-screenshot-training.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
export XDG_DATA_HOME=$scratch/data XDG_CONFIG_HOME=$scratch/config XDG_CACHE_HOME=$scratch/cache
export XDG_RUNTIME_DIR=$scratch/runtime
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"

# The test saves the tab as it checks it: SHOT.png (a step picked), SHOT-window.png (in the
# main window) and SHOT-trend.png (a criterion's pass rate on the chart), the one kept here.
QT_QPA_PLATFORM=offscreen RS_TRAINING_SCREENSHOT="$scratch/training.png" \
  "$build/tests/ui/tst_trainingpanel" selectedCriterion_isDrawnByStep >/dev/null
mkdir -p "$out"
cp "$scratch/training-trend.png" "$out/screenshot-training.png"
echo "wrote $out/screenshot-training.png"

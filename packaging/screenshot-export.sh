#!/usr/bin/env bash
# Renders the Export Rubric Pack dialog (HealthBench examples from ../shared/data, paper format
# with its "not carried" note) into docs/screenshot-export.png, or into the folder given.
#
#   packaging/screenshot-export.sh [OUT_DIR]
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${RS_BUILD:-$root/build}
out=$(cd "${1:-$root/docs}" && pwd)
ninja -C "$build" tst_packdialog
QT_QPA_PLATFORM=offscreen RS_SCREENSHOT_DIR=$out "$build/tests/ui/tst_packdialog" \
  previewFollowsTheChoicesAndExportRunsOnAWorker

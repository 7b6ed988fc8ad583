#!/usr/bin/env bash
# Installs the Debian 12 packages that building, running and testing Rubric Studio need.
# Idempotent: packages already present are skipped, so a second run does no network work.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  qt6-base-dev qt6-base-dev-tools qt6-charts-dev qt6-svg-dev
  # With --no-install-recommends QtCharts' CMake config cannot find OpenGL without these.
  libqt6opengl6-dev libgl-dev
  # The QSQLITE driver is a separate package on Debian.
  libqt6sql6-sqlite
  qtkeychain-qt6-dev
  libsqlite3-dev nlohmann-json3-dev libcurl4-openssl-dev libssl-dev
  # Headless GUI runs (tests use offscreen; the screenshot script and launches use Xvfb).
  xvfb xauth fonts-dejavu-core
  python3
  # Hardening: clang + libFuzzer (libclang-rt-dev on Debian 12) for tests/fuzz, clang-tidy,
  # desktop-file-validate for the packaged .desktop file, dpkg-dev for cpack -G DEB.
  clang clang-tidy libclang-rt-dev desktop-file-utils dpkg-dev file
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"

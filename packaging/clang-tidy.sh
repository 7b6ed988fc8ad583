#!/usr/bin/env bash
# Runs clang-tidy (.clang-tidy at the top level, warnings as errors) over core/ using a build
# folder's compile_commands.json.   packaging/clang-tidy.sh [BUILD_DIR] [FILE...]
# Without BUILD_DIR it configures build-tidy (seconds, nothing compiled): clang flags, GUI off,
# no unity batches or precompiled header, so the database names every source file as it is.
# RS_TIDY_SINCE=COMMIT: only the core sources changed since COMMIT, and those that include a core
# header changed since (all of core when COMMIT is not in this checkout's history).
# RS_TIDY_JOBS=N files at once (default: nproc). RS_TIDY_ANALYZER=0 leaves out the clang static
# analyzer (clang-analyzer-*), which costs half the time; CI runs that way to stay in its budget.
# Exit status 1 when any file has a finding.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-}; shift || true
if [ -z "$build" ]; then
  build=$here/build-tidy
  [ -f "$build/compile_commands.json" ] || cmake -S "$here" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++ \
    -DRS_BUILD_GUI=OFF -DRS_BUILD_BENCH=OFF -DRS_UNITY_BUILD=OFF -DRS_PRECOMPILE=OFF >/dev/null
fi
[ -f "$build/compile_commands.json" ] || { echo "no $build/compile_commands.json: configure first"; exit 2; }
files=("$@")
if [ ${#files[@]} -eq 0 ] && [ -n "${RS_TIDY_SINCE:-}" ] &&
   git -C "$here" cat-file -e "${RS_TIDY_SINCE}^{commit}" 2>/dev/null; then
  # Sources changed since the last clean commit, and every source that includes a changed header.
  mapfile -t changed < <(git -C "$here" diff --name-only "$RS_TIDY_SINCE" HEAD -- core)
  mapfile -t files < <(
    for f in "${changed[@]}"; do
      case "$f" in
        *.cpp) [ -f "$here/$f" ] && echo "$here/$f" ;;
        *.h) grep -rlF --include='*.cpp' "$(basename "$f")\"" "$here/core" || true ;;
      esac
    done | sort -u)
  echo "clang-tidy: ${#files[@]} core sources changed since ${RS_TIDY_SINCE:0:12}"
  [ ${#files[@]} -eq 0 ] && exit 0
fi
[ ${#files[@]} -eq 0 ] && mapfile -t files < <(find "$here/core" -name '*.cpp' | sort)
# g++-only warning flags in the database are not clang's business.
extra=()
[ "${RS_TIDY_ANALYZER:-1}" = 0 ] && extra+=(--checks=-clang-analyzer-*)
printf '%s\n' "${files[@]}" | xargs -P "${RS_TIDY_JOBS:-$(nproc)}" -n 1 \
  clang-tidy -p "$build" --quiet --extra-arg=-Wno-unknown-warning-option "${extra[@]}" 2>/dev/null \
  | tee "$build/clang-tidy.log"
! grep -q 'error:\|warning:' "$build/clang-tidy.log"

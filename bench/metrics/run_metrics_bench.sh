#!/usr/bin/env bash
# Metrics benchmark: every project-level metric (rubric-studio-cli metrics) over the scale
# project (5,000 prompts x 16 responses x 15 criteria = 1.2M verdicts, plus 4 seeded synthetic
# gold pairs per prompt), in the studio's core on a worker thread, side by side with the same
# computations in a Python-stdlib script (baseline_metrics.py) on the same file; checks that
# both give the same numbers.
#
#   bench/metrics/run_metrics_bench.sh            # full size
#   P=500 bench/metrics/run_metrics_bench.sh      # quick smoke run
#
# Environment:
#   BUILD_DIR   a configured build tree with RS_BUILD_BENCH=ON (default: ./build of this checkout);
#               rs_metrics_bench and rs_scale_make are built there
#   BENCH_DIR   generated project and results (/tmp/rs-metrics-bench)
#   P, G, C     prompts, responses per prompt, criteria (5000, 16, 15)
#   RUNS        timed repetitions of each side (3)
#   PYTHON      interpreter for the baseline (python3)
#
# Targets: C++ < 2 s and >= 5x faster than the Python baseline. A benchmark, not a test.
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC=$(cd "$HERE/../.." && pwd)
BUILD_DIR=${BUILD_DIR:-$SRC/build}
BENCH_DIR=${BENCH_DIR:-/tmp/rs-metrics-bench}
P=${P:-5000}; G=${G:-16}; C=${C:-15}; RUNS=${RUNS:-3}; PYTHON=${PYTHON:-python3}
die() { echo "run_metrics_bench: $*" >&2; exit 1; }

cmake --build "$BUILD_DIR" --target rs_metrics_bench rs_scale_make >/dev/null 2>&1 \
    || die "build failed in $BUILD_DIR (configure it with -DRS_BUILD_BENCH=ON)"
mkdir -p "$BENCH_DIR" || die "cannot create $BENCH_DIR"
BASE=$BENCH_DIR/scale-${P}x${G}x${C}.rsproj
if [[ ! -f $BASE ]]; then
    echo "generating $BASE ..."
    "$BUILD_DIR/bench/scale/rs_scale_make" "$BASE" --prompts "$P" --generators "$G" --criteria "$C" \
        >/dev/null || die "generator failed"
fi
WORK=$BENCH_DIR/work.rsproj
rm -f "$WORK" "$WORK-wal" "$WORK-shm"
cp "$BASE" "$WORK" || die "cannot copy"
"$BUILD_DIR/bench/metrics/rs_metrics_bench" "$WORK" --add-gold 4 --runs 1 >/dev/null 2>&1 \
    || die "adding gold failed"

echo "rubric-studio (rs_metrics_bench, worker thread) ..."
"$BUILD_DIR/bench/metrics/rs_metrics_bench" "$WORK" --runs "$RUNS" >"$BENCH_DIR/cpp.json" \
    || die "rs_metrics_bench failed"
echo "python stdlib baseline (baseline_metrics.py) ..."
"$PYTHON" "$HERE/baseline_metrics.py" "$WORK" --runs "$RUNS" >"$BENCH_DIR/py.json" \
    || die "baseline failed"

"$PYTHON" - "$BENCH_DIR/cpp.json" "$BENCH_DIR/py.json" <<'PY'
import json, sys
c, p = (json.load(open(f)) for f in sys.argv[1:3])
print(f"\n{'':28}{'rubric-studio':>16}{'python stdlib':>16}")
print(f"{'all metrics, best of runs':28}{c['best']:>15.3f}s{p['best']:>15.3f}s")
print(f"{'all metrics, median':28}{c['median']:>15.3f}s{p['median']:>15.3f}s")
keys = ["tail_accuracy_high", "tail_accuracy_low", "top_tier_auc", "top_k_tie_rate",
        "dead_criteria", "reward_length_spearman", "gold_length_spearman", "best_of_16_by_rubric"]
same = True
for k in keys:
    a, b = c.get(k), p.get(k)
    ok = (a is None and b is None) or (a is not None and b is not None and abs(a - b) < 1e-9)
    same &= ok
    fa = "null" if a is None else f"{a:.6g}"
    fb = "null" if b is None else f"{b:.6g}"
    print(f"{k:28}{fa:>16}{fb:>16}{'' if ok else '  DIFFERENT'}")
ratio = p["best"] / c["best"]
print(f"\nspeed-up {ratio:.1f}x (target >= 5x); C++ {c['best']:.3f}s (target < 2 s); "
      f"results {'identical' if same else 'DIFFER'}")
PY

#!/usr/bin/env bash
# Metrics benchmark: every project-level metric (rubric-studio-cli metrics) over the scale
# project (5,000 prompts x 16 responses x 15 criteria = 1.2M verdicts, plus 4 seeded synthetic
# gold pairs per prompt), in the studio's core on a worker thread, side by side with the same
# computations in a Python-stdlib script (baseline_metrics.py) and in pandas
# (baseline_metrics_pandas.py, the baseline a researcher would use) on the same file; checks that
# all three give the same numbers.
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
#   PYTHON      interpreter for the stdlib baseline (python3)
#   PANDAS_PYTHON  interpreter for the pandas baseline (/usr/bin/python3, Debian's, with the
#               python3-pandas package; installed with apt-get when missing and running as root)
#
# Targets: C++ < 2 s and >= 5x faster than the Python stdlib baseline. A benchmark, not a test.
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC=$(cd "$HERE/../.." && pwd)
BUILD_DIR=${BUILD_DIR:-$SRC/build}
BENCH_DIR=${BENCH_DIR:-/tmp/rs-metrics-bench}
P=${P:-5000}; G=${G:-16}; C=${C:-15}; RUNS=${RUNS:-3}; PYTHON=${PYTHON:-python3}
PANDAS_PYTHON=${PANDAS_PYTHON:-/usr/bin/python3}
die() { echo "run_metrics_bench: $*" >&2; exit 1; }

# `python3` on PATH may be a pyenv or venv interpreter without pandas; the pandas baseline runs
# with Debian's, whose pandas is the python3-pandas package.
if ! "$PANDAS_PYTHON" -c 'import pandas' 2>/dev/null; then
    if [[ $PANDAS_PYTHON == /usr/bin/python3 && $(id -u) == 0 ]]; then
        echo "installing python3-pandas ..."
        DEBIAN_FRONTEND=noninteractive apt-get install -y python3-pandas >/dev/null \
            || die "apt-get install -y python3-pandas failed"
    else
        die "$PANDAS_PYTHON cannot import pandas (Debian: apt-get install -y python3-pandas)"
    fi
fi

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
echo "python pandas baseline (baseline_metrics_pandas.py, $PANDAS_PYTHON) ..."
"$PANDAS_PYTHON" "$HERE/baseline_metrics_pandas.py" "$WORK" --runs "$RUNS" >"$BENCH_DIR/pandas.json" \
    || die "pandas baseline failed"

"$PYTHON" - "$BENCH_DIR/cpp.json" "$BENCH_DIR/py.json" "$BENCH_DIR/pandas.json" <<'PY'
import json, sys
c, p, d = (json.load(open(f)) for f in sys.argv[1:4])
print(f"\n{'':28}{'rubric-studio':>16}{'python stdlib':>16}{'python pandas':>16}")
print(f"{'all metrics, best of runs':28}{c['best']:>15.3f}s{p['best']:>15.3f}s{d['best']:>15.3f}s")
print(f"{'all metrics, median':28}{c['median']:>15.3f}s{p['median']:>15.3f}s{d['median']:>15.3f}s")
keys = ["tail_accuracy_high", "tail_accuracy_low", "top_tier_auc", "top_k_tie_rate",
        "dead_criteria", "reward_length_spearman", "gold_length_spearman", "best_of_16_by_rubric"]
fmt = lambda v: "null" if v is None else f"{v:.6g}"
same = True
for k in keys:
    a = c.get(k)
    # Each baseline against the C++ numbers, to 1e-9; null only matches null.
    ok = all((a is None and b is None) or (a is not None and b is not None and abs(a - b) < 1e-9)
             for b in (p.get(k), d.get(k)))
    same &= ok
    print(f"{k:28}{fmt(a):>16}{fmt(p.get(k)):>16}{fmt(d.get(k)):>16}{'' if ok else '  DIFFERENT'}")
print(f"\nspeed-up vs python stdlib {p['best'] / c['best']:.1f}x (target >= 5x), "
      f"vs pandas {d['best'] / c['best']:.1f}x (best of runs); C++ {c['best']:.3f}s (target < 2 s); "
      f"results {'identical' if same else 'DIFFER'}")
PY

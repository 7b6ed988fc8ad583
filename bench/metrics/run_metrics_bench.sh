#!/usr/bin/env bash
# Metrics benchmark: every project-level metric (rubric-studio-cli metrics) WITH its bootstrap
# intervals over the scale project (5,000 prompts x 16 responses x 15 criteria = 1.2M verdicts,
# plus 4 seeded synthetic gold pairs per prompt), in the studio's core on a worker thread, side by
# side with the same computations in pandas (baseline_metrics_pandas.py, the baseline a
# researcher would use, intervals included) and, for the point values only, in a Python-stdlib
# script (baseline_metrics.py); checks that all give the same numbers.
#
#   bench/metrics/run_metrics_bench.sh                  # full size
#   P=500 bench/metrics/run_metrics_bench.sh            # quick smoke run
#   RS_SKIP_BUILD=1 BUILD_DIR=/path/to/build bench/metrics/run_metrics_bench.sh
#
# Environment:
#   BUILD_DIR   a configured build tree with RS_BUILD_BENCH=ON (default: ./build of this checkout);
#               rs_metrics_bench and rs_scale_make are built there
#   RS_SKIP_BUILD=1  use the binaries already in BUILD_DIR (no cmake --build)
#   BENCH_DIR   generated project and results (/tmp/rs-metrics-bench)
#   P, G, C     prompts, responses per prompt, criteria (5000, 16, 15)
#   B, SEED     bootstrap replicates over prompts and their seed, both sides (1000, 1)
#   RUNS        timed repetitions of each side (3)
#   PYTHON      interpreter for the stdlib baseline (python3)
#   PANDAS_PYTHON  interpreter for the pandas baseline (/usr/bin/python3, Debian's, with the
#               python3-pandas package; installed with apt-get when missing and running as root)
#   CI_TOL      largest difference allowed between the two sides' interval bounds (1e-9: both
#               draw the same SplitMix64 replicates, so they differ by rounding only)
#
# Targets (issue 15): all metrics with intervals (B = 1,000) in < 5 s on 2 cores, and >= 5x
# faster than the same computations in pandas. A benchmark, not a test: it exits 0 whether or
# not the targets are met, and non-zero when a side fails or the numbers differ.
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC=$(cd "$HERE/../.." && pwd)
BUILD_DIR=${BUILD_DIR:-$SRC/build}
BENCH_DIR=${BENCH_DIR:-/tmp/rs-metrics-bench}
P=${P:-5000}; G=${G:-16}; C=${C:-15}; RUNS=${RUNS:-3}; PYTHON=${PYTHON:-python3}
B=${B:-1000}; SEED=${SEED:-1}; CI_TOL=${CI_TOL:-1e-9}
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

if [[ ${RS_SKIP_BUILD:-0} == 1 ]]; then
    echo "RS_SKIP_BUILD=1: using the binaries in $BUILD_DIR as they are"
else
    cmake --build "$BUILD_DIR" --target rs_metrics_bench rs_scale_make >/dev/null 2>&1 \
        || die "build failed in $BUILD_DIR (configure it with -DRS_BUILD_BENCH=ON)"
fi
BENCH=$BUILD_DIR/bench/metrics/rs_metrics_bench
MAKE=$BUILD_DIR/bench/scale/rs_scale_make
[[ -x $BENCH ]] || die "no $BENCH (build it, or unset RS_SKIP_BUILD)"
# A binary from before --bootstrap / --seed still computes intervals, with the studio's defaults
# (B = 1000, seed 1); the comparison below checks what the C++ JSON says it used.
BOOT_ARGS=()
# (The help text is read whole: `--help | grep -q` fails under pipefail when grep quits first.)
HELP=$("$BENCH" --help 2>&1 || true)
if [[ $HELP == *--bootstrap* ]]; then
    BOOT_ARGS=(--bootstrap "$B" --seed "$SEED")
elif [[ $B != 1000 || $SEED != 1 ]]; then
    die "$BENCH has no --bootstrap / --seed option (rebuild it) and B=$B SEED=$SEED are not its defaults"
fi

mkdir -p "$BENCH_DIR" || die "cannot create $BENCH_DIR"
BASE=$BENCH_DIR/scale-${P}x${G}x${C}.rsproj
if [[ ! -f $BASE ]]; then
    [[ -x $MAKE ]] || die "no $MAKE to generate $BASE"
    echo "generating $BASE ..."
    "$MAKE" "$BASE" --prompts "$P" --generators "$G" --criteria "$C" >/dev/null \
        || die "generator failed"
fi
WORK=$BENCH_DIR/work.rsproj
rm -f "$WORK" "$WORK-wal" "$WORK-shm"
cp "$BASE" "$WORK" || die "cannot copy"
# Storing the gold pairs runs the metrics once too; no intervals needed there when avoidable.
GOLD_ARGS=()
[[ ${#BOOT_ARGS[@]} -gt 0 ]] && GOLD_ARGS=(--bootstrap 0)
"$BENCH" "$WORK" --add-gold 4 --runs 1 "${GOLD_ARGS[@]}" >/dev/null 2>&1 \
    || die "adding gold failed"

echo "rubric-studio (rs_metrics_bench, worker thread, intervals B=$B) ..."
"$BENCH" "$WORK" --runs "$RUNS" "${BOOT_ARGS[@]}" --metrics-out "$BENCH_DIR/cpp-metrics.json" \
    >"$BENCH_DIR/cpp.json" || die "rs_metrics_bench failed"
echo "python pandas baseline (baseline_metrics_pandas.py, $PANDAS_PYTHON, intervals B=$B) ..."
"$PANDAS_PYTHON" "$HERE/baseline_metrics_pandas.py" "$WORK" --runs "$RUNS" --bootstrap "$B" \
    --seed "$SEED" >"$BENCH_DIR/pandas.json" || die "pandas baseline failed"
echo "python stdlib baseline (baseline_metrics.py, point values only) ..."
"$PYTHON" "$HERE/baseline_metrics.py" "$WORK" --runs "$RUNS" >"$BENCH_DIR/py.json" \
    || die "baseline failed"

"$PYTHON" - "$BENCH_DIR/cpp.json" "$BENCH_DIR/py.json" "$BENCH_DIR/pandas.json" \
    "$BENCH_DIR/cpp-metrics.json" "$B" "$SEED" "$CI_TOL" <<'PY'
import json, sys
c, p, d, full = (json.load(open(f)) for f in sys.argv[1:5])
B, seed, tol = int(sys.argv[5]), int(sys.argv[6]), float(sys.argv[7])
print(f"\n{'':28}{'rubric-studio':>16}{'python pandas':>16}{'python stdlib':>16}")
print(f"{'':28}{'(intervals)':>16}{'(intervals)':>16}{'(points only)':>16}")
print(f"{'all metrics, best of runs':28}{c['best']:>15.3f}s{d['best']:>15.3f}s{p['best']:>15.3f}s")
print(f"{'all metrics, median':28}{c['median']:>15.3f}s{d['median']:>15.3f}s{p['median']:>15.3f}s")

def close(a, b, eps):  # null only matches null
    return (a is None and b is None) or (a is not None and b is not None and abs(a - b) <= eps)

fmt = lambda v: "null" if v is None else f"{v:.6g}"
same = True
# Point values: each baseline against the C++ numbers, to 1e-9.
print(f"\n{'point values':28}{'rubric-studio':>16}{'python pandas':>16}{'python stdlib':>16}")
for k in ["tail_accuracy_high", "tail_accuracy_low", "top_tier_auc", "top_k_tie_rate",
          "dead_criteria", "reward_length_spearman", "gold_length_spearman", "best_of_16_by_rubric"]:
    a = c.get(k)
    ok = all(close(a, b, 1e-9) for b in (p.get(k), d.get(k)))
    same &= ok
    print(f"{k:28}{fmt(a):>16}{fmt(d.get(k)):>16}{fmt(p.get(k)):>16}{'' if ok else '  DIFFERENT'}")

# Intervals: pandas against the C++ `metrics --json` document, key by key.
opts = full.get("options", {})
used = (opts.get("bootstrap"), opts.get("seed"))
if used != (B, seed) or (d.get("bootstrap"), d.get("seed")) != (B, seed):
    print(f"\nbootstrap settings differ: C++ {used}, pandas {(d.get('bootstrap'), d.get('seed'))}, "
          f"asked {(B, seed)}")
    same = False
print(f"\n{'95% intervals (B=' + str(B) + ')':34}{'rubric-studio':>30}{'python pandas':>30}")
rows = []
for k, e in d["metrics"].items():
    rows.append((k, full.get(k), e))
for i, pt in enumerate(d["best_of_n"]):
    cp = full["best_of_n"][i] if i < len(full.get("best_of_n", [])) else None
    for side in ("rubric", "gold"):
        mine = {"value": pt[f"by_{side}"], "n": None,
                "ci_low": (pt[f"by_{side}_ci"] or [None])[0], "ci_high": (pt[f"by_{side}_ci"] or [None, None])[1]}
        theirs = None if cp is None else {"value": cp[f"by_{side}"], "n": None,
                                          "ci_low": (cp[f"by_{side}_ci"] or [None])[0],
                                          "ci_high": (cp[f"by_{side}_ci"] or [None, None])[1]}
        rows.append((f"best_of_{pt['n']}_by_{side}", theirs, mine))
if len(full.get("best_of_n", [])) != len(d["best_of_n"]):
    print(f"best_of_n: C++ has {len(full.get('best_of_n', []))} points, pandas {len(d['best_of_n'])}")
    same = False
ci = lambda e: "null" if e is None else f"[{fmt(e['ci_low'])}, {fmt(e['ci_high'])}]"
worst = 0.0
for k, a, b in rows:
    if a is None or b is None:
        ok = a is None and b is None
    else:
        ok = (close(a["value"], b["value"], 1e-9) and (b["n"] is None or a.get("n") == b["n"])
              and close(a["ci_low"], b["ci_low"], tol) and close(a["ci_high"], b["ci_high"], tol))
        for x in ("ci_low", "ci_high"):
            if a[x] is not None and b[x] is not None:
                worst = max(worst, abs(a[x] - b[x]))
    same &= ok
    print(f"{k:34}{ci(a):>30}{ci(b):>30}{'' if ok else '  DIFFERENT'}")

cpp, pandas = c["best"], d["best"]
print(f"\nC++ with intervals: {cpp:.3f} s (target < 5 s: {'met' if cpp < 5 else 'NOT met'}); "
      f"pandas with intervals: {pandas:.3f} s; speed-up {pandas / cpp:.1f}x "
      f"(target >= 5x: {'met' if pandas / cpp >= 5 else 'NOT met'}) (best of runs)")
print(f"vs python stdlib (points only, no intervals): {p['best'] / cpp:.1f}x")
print(f"results {'identical' if same else 'DIFFER'} (points to 1e-9; interval bounds to {tol:g}, "
      f"largest bound difference {worst:.3g})")
sys.exit(0 if same else 3)
PY

#!/usr/bin/env bash
# Reward-server benchmark (issue 14): a GRPO-shaped burst of OpenRLHF /get_reward requests —
# 512 prompts x 8 responses = 4,096 one-sample requests, 256 connections — against
# `rubric-studio-cli serve` and against an aiohttp server doing the same work
# (baseline_reward_server.py, Debian's python3-aiohttp run by /usr/bin/python3), both judging
# on rs-llm-test-server at 200 ms with 128 judge calls in flight at most.
#
#   bench/serve/run_serve_bench.sh                       # full size (a few minutes)
#   PROMPTS=64 bench/serve/run_serve_bench.sh            # quick run: 64 x 8 = 512 requests
#   RS_SKIP_BUILD=1 BUILD_DIR=/path/to/build bench/serve/run_serve_bench.sh
#
# Environment:
#   BUILD_DIR        build tree (SRC/build); rubric-studio-cli, rs-llm-test-server and
#                    rs_serve_load are built there (cmake --build --target ...) unless
#                    RS_SKIP_BUILD=1
#   WORK_DIR         data, projects, answers and logs (/tmp/rs-serve-bench)
#   PROMPTS, RESPONSES, CRITERIA   the burst: prompts x responses requests, criteria per
#                    rubric (512, 8, 5)
#   CONNECTIONS      connections of the burst (256)
#   LATENCY_CONNECTIONS  connections of the latency run (128 = the judge limit; 0 skips it)
#   LATENCY_MS       the judge's latency (200)
#   JUDGE_CONCURRENCY  judge calls in flight, both servers (128)
#   LABELS           hash: labels carry the prompt hash (as the studio's OpenRLHF export
#                    writes them); none: "" and the prompt is found in the rendered prompt
#   CLIENT           cpp (rs_serve_load, default) or python (load_client.py, aiohttp)
#   SIDES            which servers, in order ("studio baseline")
#   SERVE_ARGS       extra options for `serve` (none: its defaults, e.g. --workers 4)
#   PYTHON           interpreter of the baseline and helpers (/usr/bin/python3; needs
#                    python3-aiohttp, installed with apt-get when missing and running as root)
#
# Runs, per server, each with a new server process (start-up is outside every measure):
#   uncached  a fresh copy of the project (studio: the generated project, rubrics only; baseline:
#             an empty SQLite file): every request needs a judge call. The burst.
#   cached    the same project again, new process: every answer is stored, no judge call.
#   latency   a fresh copy again, LATENCY_CONNECTIONS connections: as many requests in flight as
#             the judge takes, so no request waits for a judge slot and latency - LATENCY_MS is
#             the server's own addition. (In the 256-connection burst, half the requests wait
#             for a slot by design: its latency is mostly that queue, ~2 x LATENCY_MS.)
# Measures:
#   req/s          requests / wall time of the load generator (first send to last answer)
#   % of limit     req/s / (JUDGE_CONCURRENCY / LATENCY_MS / judge calls per request)
#   CPU/request    utime + stime of the server process only (/proc/PID/stat, all its threads),
#                  from just before the first request to just after the last answer, / requests;
#                  the judge is another process and not counted
#   p50/p99        per-request latency at the client; "added" = latency - LATENCY_MS x judge
#                  calls per request in the latency run, the latency itself in the cached run
#   peak RSS       VmHWM of the server process at the end of the run
#   checks         every answer 200; every reward equal to the one computed from the test
#                  judge's rules by gen_serve_data.py (so the two servers agree to the last bit);
#                  `cached` 0 in uncached runs and 1 in cached ones; judge calls (/stats
#                  model_requests) = requests in uncached runs, 0 in cached ones
# Targets (issue 14, for serve): >= 90% of the judge limit, <= 200 us CPU per request, added
# p99 <= 10 ms, RSS <= 200 MB. A benchmark, not a test (never run by CTest or CI): exits 0 when
# everything ran and the checks passed, whether or not the targets are met.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC=$(cd "$HERE/../.." && pwd)
BUILD_DIR=${BUILD_DIR:-$SRC/build}
WORK_DIR=${WORK_DIR:-/tmp/rs-serve-bench}
PROMPTS=${PROMPTS:-512}
RESPONSES=${RESPONSES:-8}
CRITERIA=${CRITERIA:-5}
CONNECTIONS=${CONNECTIONS:-256}
LATENCY_CONNECTIONS=${LATENCY_CONNECTIONS:-128}
LATENCY_MS=${LATENCY_MS:-200}
JUDGE_CONCURRENCY=${JUDGE_CONCURRENCY:-128}
LABELS=${LABELS:-hash}
CLIENT=${CLIENT:-cpp}
SIDES=${SIDES:-"studio baseline"}
read -r -a SERVE_EXTRA <<<"${SERVE_ARGS:-}"
PYTHON=${PYTHON:-/usr/bin/python3}
CLI=$BUILD_DIR/app/rubric-studio-cli
JUDGE=$BUILD_DIR/tests/llmserver/rs-llm-test-server
LOAD=$BUILD_DIR/bench/serve/rs_serve_load
MODEL=rs-test-judge
CALLS_PER_REQUEST=1 # the studio's default judge mode (joint, one vote): one call per response

die() { echo "run_serve_bench: $*" >&2; exit 1; }
note() { echo "run_serve_bench: $*" >&2; }

# --- inputs ------------------------------------------------------------------------------------
if ! "$PYTHON" -c 'import aiohttp' 2>/dev/null; then
    if [[ $PYTHON == /usr/bin/python3 && $(id -u) == 0 ]]; then
        note "installing python3-aiohttp ..."
        DEBIAN_FRONTEND=noninteractive apt-get install -y python3-aiohttp >/dev/null \
            || die "apt-get install -y python3-aiohttp failed"
    else
        die "$PYTHON cannot import aiohttp (Debian: apt-get install -y python3-aiohttp)"
    fi
fi
if [[ ${RS_SKIP_BUILD:-0} != 1 ]]; then
    note "building rubric-studio-cli rs-llm-test-server rs_serve_load in $BUILD_DIR ..."
    nice cmake --build "$BUILD_DIR" --target rubric-studio-cli rs-llm-test-server rs_serve_load \
        >"${TMPDIR:-/tmp}/rs-serve-bench-build.log" 2>&1 \
        || die "build failed (see ${TMPDIR:-/tmp}/rs-serve-bench-build.log)"
fi
for exe in "$CLI" "$JUDGE" "$LOAD"; do [[ -x $exe ]] || die "no $exe (build it, or set BUILD_DIR)"; done
"$CLI" serve --help 2>&1 | grep -q -- '--max-queue' || die "$CLI has no serve command (an older build?)"
case $CLIENT in
    cpp) LOAD_CMD=("$LOAD") ;;
    python) LOAD_CMD=("$PYTHON" "$HERE/load_client.py") ;;
    *) die "CLIENT takes cpp or python" ;;
esac

# Only what this script writes is removed: WORK_DIR may be a folder of other things.
mkdir -p "$WORK_DIR" || die "cannot create $WORK_DIR"
rm -rf "$WORK_DIR/data" "$WORK_DIR/runs" "$WORK_DIR/config" "$WORK_DIR"/*.rubrics* \
    "$WORK_DIR"/*.sqlite* "$WORK_DIR"/*.out "$WORK_DIR"/*.err "$WORK_DIR/import.log"
mkdir -p "$WORK_DIR/runs" "$WORK_DIR/config" || die "cannot create $WORK_DIR"
# The studio's config folder (providers, learned capabilities) stays inside the benchmark.
export XDG_CONFIG_HOME=$WORK_DIR/config
CLK_TCK=$(getconf CLK_TCK)
LOAD_AT_START=$(uptime)

summary=$("$PYTHON" "$HERE/gen_serve_data.py" "$WORK_DIR/data" --prompts "$PROMPTS" \
    --responses "$RESPONSES" --criteria "$CRITERIA" --labels "$LABELS") || die "cannot generate the data"
REQUESTS=$((PROMPTS * RESPONSES))
TEMPLATE=$WORK_DIR/template.rubrics
{
    "$CLI" new "$TEMPLATE" && "$CLI" import "$TEMPLATE" "$WORK_DIR/data/rubrics.jsonl" --format rubrics
} >"$WORK_DIR/import.log" 2>&1 || die "cannot build the project (see $WORK_DIR/import.log)"

# --- processes ---------------------------------------------------------------------------------
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; }
trap cleanup EXIT

# start NAME CMD...: runs CMD in the background, waits for its first stdout line
# `listening on http://HOST:PORT`; sets STARTED_PID and STARTED_PORT.
start() {
    local name=$1; shift
    "$@" >"$WORK_DIR/$name.out" 2>"$WORK_DIR/$name.err" &
    STARTED_PID=$!
    PIDS+=("$STARTED_PID")
    local line=""
    for _ in $(seq 300); do
        line=$(head -n1 "$WORK_DIR/$name.out" 2>/dev/null)
        [[ $line == listening\ on\ http://* ]] && break
        kill -0 "$STARTED_PID" 2>/dev/null || die "$name exited at start (see $WORK_DIR/$name.err)"
        sleep 0.1
    done
    [[ $line == listening\ on\ http://* ]] || die "$name did not start (see $WORK_DIR/$name.err)"
    STARTED_PORT=${line##*:}
}
stop() { kill -TERM "$1" 2>/dev/null; wait "$1" 2>/dev/null; }
# utime + stime of a process, all threads, in clock ticks (fields 14 and 15 of stat; the command
# name in field 2 may hold spaces, so count from its closing parenthesis).
cpu_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'; }
hwm_kb() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status"; }
judge_calls() { curl -s "http://127.0.0.1:$JUDGE_PORT/stats" | grep -o '"model_requests":[0-9]*' | cut -d: -f2; }

start judge "$JUDGE" --port 0 --latency-ms "$LATENCY_MS"
JUDGE_PID=$STARTED_PID
JUDGE_PORT=$STARTED_PORT

# run SIDE KIND STATE CONNECTIONS: one server process, one burst; writes runs/SIDE-KIND.json.
run() {
    local side=$1 kind=$2 state=$3 conns=$4 pid port
    if [[ $side == studio ]]; then
        start "$side-$kind" "$CLI" serve "$state" --base-url "http://127.0.0.1:$JUDGE_PORT/v1" \
            --model "$MODEL" --concurrency "$JUDGE_CONCURRENCY" --port 0 "${SERVE_EXTRA[@]}"
    else
        start "$side-$kind" "$PYTHON" "$HERE/baseline_reward_server.py" "$WORK_DIR/data/rubrics.jsonl" \
            "$state" --judge-url "http://127.0.0.1:$JUDGE_PORT/v1" --model "$MODEL" \
            --concurrency "$JUDGE_CONCURRENCY" --port 0
    fi
    pid=$STARTED_PID port=$STARTED_PORT
    local calls0 cpu0 jcpu0 calls1 cpu1 jcpu1 hwm load
    calls0=$(judge_calls); cpu0=$(cpu_ticks "$pid"); jcpu0=$(cpu_ticks "$JUDGE_PID")
    load=$("${LOAD_CMD[@]}" --port "$port" --bodies "$WORK_DIR/data/requests.jsonl" \
        --connections "$conns" --out "$WORK_DIR/runs/$side-$kind.tsv")
    # The last answers are sent once their rows are committed; let anything after them settle.
    sleep 0.3
    cpu1=$(cpu_ticks "$pid"); jcpu1=$(cpu_ticks "$JUDGE_PID"); calls1=$(judge_calls)
    hwm=$(hwm_kb "$pid")
    stop "$pid"
    [[ -n $load ]] || die "$side $kind: the load generator failed (see $WORK_DIR/$side-$kind.err)"
    "$PYTHON" - "$WORK_DIR/runs/$side-$kind.tsv" "$WORK_DIR/data/expected.txt" "$kind" <<PY \
        >"$WORK_DIR/runs/$side-$kind.json" || die "$side $kind: cannot check the answers"
import json, sys
tsv, expected, kind = sys.argv[1:4]
exp = [float(l) for l in open(expected)]
bad_status = wrong = wrong_cached = 0
first = None
for line in open(tsv):
    i, status, us, body = line.rstrip("\n").split("\t", 3)
    i = int(i)
    if status != "200":
        bad_status += 1
        first = first or f"request {i}: HTTP {status} {body[:200]}"
        continue
    b = json.loads(body)
    if b["rewards"][0] != exp[i]:
        wrong += 1
        first = first or f"request {i}: reward {b['rewards'][0]!r}, expected {exp[i]!r}"
    if b["extra_logs"]["cached"][0] != (1 if kind == "cached" else 0):
        wrong_cached += 1
# Latency after the first wave: the first CONNECTIONS requests meet a cold server (new
# connections to the judge, statements not yet prepared, pages not yet cached), and in a
# 4,096-request run they alone are 3% of the requests, i.e. all of p99. Reported beside p99,
# never instead of it.
conns_run = int("$conns")
warm = sorted(int(l.split("\t", 3)[2]) for l in open(tsv) if int(l.split("\t", 1)[0]) >= conns_run)
out = json.loads('''$load''')
if warm:
    out["p99_warm_ms"] = warm[min(len(warm) - 1, int(0.99 * len(warm)))] / 1000.0
out.update({"side": "$side", "kind": kind, "server_cpu_s": ($cpu1 - $cpu0) / $CLK_TCK,
            "judge_cpu_s": ($jcpu1 - $jcpu0) / $CLK_TCK, "judge_calls": $calls1 - $calls0,
            "hwm_kb": $hwm, "non_200": bad_status, "wrong_rewards": wrong,
            "wrong_cached": wrong_cached, "first_problem": first})
print(json.dumps(out))
PY
    note "$side $kind: $(cat "$WORK_DIR/runs/$side-$kind.json")"
}

for side in $SIDES; do
    case $side in
        studio)
            cp "$TEMPLATE" "$WORK_DIR/studio.rubrics" || die "cannot copy the project"
            run studio uncached "$WORK_DIR/studio.rubrics" "$CONNECTIONS"
            run studio cached "$WORK_DIR/studio.rubrics" "$CONNECTIONS"
            served=$("$CLI" stats "$WORK_DIR/studio.rubrics" --json | "$PYTHON" -c \
                'import json,sys; print(json.load(sys.stdin).get("served_rewards", -1))')
            if [[ $LATENCY_CONNECTIONS -gt 0 ]]; then
                cp "$TEMPLATE" "$WORK_DIR/studio-latency.rubrics" || die "cannot copy the project"
                run studio latency "$WORK_DIR/studio-latency.rubrics" "$LATENCY_CONNECTIONS"
            fi
            ;;
        baseline)
            rm -f "$WORK_DIR/baseline.sqlite"*
            run baseline uncached "$WORK_DIR/baseline.sqlite" "$CONNECTIONS"
            run baseline cached "$WORK_DIR/baseline.sqlite" "$CONNECTIONS"
            served=$("$PYTHON" -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(
                "SELECT count(*) FROM served_rewards").fetchone()[0])' "$WORK_DIR/baseline.sqlite")
            if [[ $LATENCY_CONNECTIONS -gt 0 ]]; then
                rm -f "$WORK_DIR/baseline-latency.sqlite"*
                run baseline latency "$WORK_DIR/baseline-latency.sqlite" "$LATENCY_CONNECTIONS"
            fi
            ;;
        *) die "SIDES takes studio and baseline" ;;
    esac
    echo "{\"side\": \"$side\", \"served_rewards\": $served}" >"$WORK_DIR/runs/$side-served.json"
done
stop "$JUDGE_PID"
LOAD_AT_END=$(uptime)

# --- table -------------------------------------------------------------------------------------
"$PYTHON" - "$WORK_DIR/runs" "$REQUESTS" "$CONNECTIONS" "$LATENCY_CONNECTIONS" "$LATENCY_MS" \
    "$JUDGE_CONCURRENCY" "$CALLS_PER_REQUEST" "$CLIENT" "$summary" "$LOAD_AT_START" "$LOAD_AT_END" <<'PY'
import json, os, sys
runs_dir, requests, conns, lconns, latency_ms, judge_conc, calls_per, client, summary, up0, up1 = sys.argv[1:]
requests, conns, lconns = int(requests), int(conns), int(lconns)
latency_ms, judge_conc, calls_per = float(latency_ms), int(judge_conc), int(calls_per)
limit = judge_conc / (latency_ms / 1000) / calls_per
R, served = {}, {}
for f in os.listdir(runs_dir):
    if f.endswith("-served.json"):
        j = json.load(open(os.path.join(runs_dir, f)))
        served[j["side"]] = j["served_rewards"]
    elif f.endswith(".json"):
        j = json.load(open(os.path.join(runs_dir, f)))
        R[(j["side"], j["kind"])] = j
sides = [s for s in ("studio", "baseline") if any(k[0] == s for k in R)]
names = {"studio": "rubric-studio serve", "baseline": "aiohttp baseline"}

def get(side, kind, f):
    r = R.get((side, kind))
    return None if r is None else f(r)

rows = []  # (label, run kind, value of a run, format, (target, met?) or None)
judge = calls_per * latency_ms
rows += [
    (f"burst, uncached ({conns} conn.): req/s", "uncached", lambda r: r["rps"], "{:.0f}", None),
    (f"  % of the judge limit ({limit:.0f} req/s)", "uncached", lambda r: 100 * r["rps"] / limit, "{:.1f}%", ("≥ 90%", lambda v: v >= 90)),
    ("  server CPU per request", "uncached", lambda r: 1e6 * r["server_cpu_s"] / r["requests"], "{:.0f} µs", ("≤ 200 µs", lambda v: v <= 200)),
    ("  latency p50 / p99 (ms)", "uncached", lambda r: (r["p50_ms"], r["p99_ms"]), "{:.1f} / {:.1f}", None),
    ("  peak RSS", "uncached", lambda r: r["hwm_kb"] / 1024, "{:.0f} MB", ("≤ 200 MB", lambda v: v <= 200)),
]
if lconns > 0:
    rows += [
        (f"latency run ({lconns} conn.): added p50 over {judge:.0f} ms", "latency", lambda r: r["p50_ms"] - judge, "{:.1f} ms", None),
        (f"  added p99 over {judge:.0f} ms", "latency", lambda r: r["p99_ms"] - judge, "{:.1f} ms", ("≤ 10 ms", lambda v: v <= 10)),
        ("  added p99 after the first wave (requests ≥ connections)", "latency", lambda r: r["p99_warm_ms"] - judge if "p99_warm_ms" in r else None, "{:.1f} ms", None),
        ("  req/s (% of the judge limit)", "latency", lambda r: (r["rps"], 100 * r["rps"] / (lconns / (latency_ms / 1000) / calls_per)), "{:.0f} ({:.1f}% of {lim:.0f})", None),
        ("  server CPU per request", "latency", lambda r: 1e6 * r["server_cpu_s"] / r["requests"], "{:.0f} µs", None),
    ]
rows += [
    (f"burst, all cached ({conns} conn.): req/s", "cached", lambda r: r["rps"], "{:.0f}", None),
    ("  server CPU per request", "cached", lambda r: 1e6 * r["server_cpu_s"] / r["requests"], "{:.0f} µs", None),
    ("  latency p50 / p99 (ms)", "cached", lambda r: (r["p50_ms"], r["p99_ms"]), "{:.2f} / {:.2f}", None),
    ("  peak RSS", "cached", lambda r: r["hwm_kb"] / 1024, "{:.0f} MB", None),
]

def fmt(v, f):
    if v is None:
        return "—"
    if isinstance(v, tuple):
        return f.format(*v, lim=lconns / (latency_ms / 1000) / calls_per)
    return f.format(v)

s = json.loads(summary)
print()
print(f"{s['requests']:,} requests ({s['prompts']} prompts × {s['responses_per_prompt']} responses, "
      f"{s['criteria']} criteria, ~{s['request_bytes_mean']} bytes each, labels: {s['labels']}), "
      f"OpenRLHF /get_reward, one sample per request; judge: rs-llm-test-server at {latency_ms:.0f} ms, "
      f"{judge_conc} calls in flight, {calls_per} call per response (joint); load generator: {client}")
print()
head = "| | " + " | ".join(names[s] for s in sides) + (" | studio / baseline" if len(sides) == 2 else "") + " | target (serve) |"
print(head)
print("|" + "---|" * (head.count("|") - 1))
for label, kind, fn, f, target in rows:
    vals = [get(side, kind, fn) for side in sides]
    cells = [fmt(v, f) for v in vals]
    ratio = ""
    if len(sides) == 2 and all(v is not None for v in vals):
        a, b = (v[0] if isinstance(v, tuple) else v for v in vals)
        if isinstance(vals[0], tuple) and len(vals[0]) == 2 and "/" in f:
            a2, b2 = vals[0][1], vals[1][1]
            ratio = f"{a / b:.2f} / {a2 / b2:.2f}" if b and b2 else "—"
        else:
            ratio = f"{a / b:.2f}" if b else "—"
    tgt = ""
    if target and vals[0] is not None and sides[0] == "studio":
        v = vals[0][0] if isinstance(vals[0], tuple) else vals[0]
        tgt = f"{target[0]}: {'met' if target[1](v) else 'NOT met'}"
    elif target:
        tgt = target[0]
    print(f"| {label} | " + " | ".join(cells) + (f" | {ratio}" if len(sides) == 2 else "") + f" | {tgt} |")

print()
ok = True
order = {"uncached": 0, "cached": 1, "latency": 2}
for (side, kind), r in sorted(R.items(), key=lambda x: (sides.index(x[0][0]), order[x[0][1]])):
    expect_calls = requests * calls_per if kind != "cached" else 0
    problems = []
    if r["non_200"]:
        problems.append(f"{r['non_200']} non-200 answers")
    if r["wrong_rewards"]:
        problems.append(f"{r['wrong_rewards']} rewards differ from the judge's rules")
    if r["wrong_cached"]:
        problems.append(f"{r['wrong_cached']} answers with the wrong `cached` flag")
    if r["judge_calls"] != expect_calls:
        problems.append(f"{r['judge_calls']} judge calls, expected {expect_calls}")
    ok &= not problems
    print(f"- {names[side]}, {kind}: {r['requests']} answers in {r['seconds']:.2f} s, "
          f"{r['judge_calls']} judge calls, judge CPU {1e6 * r['judge_cpu_s'] / r['requests']:.0f} µs/request, "
          f"load generator CPU {1e6 * r['client_cpu_s'] / r['requests']:.0f} µs/request "
          f"({100 * r['client_cpu_s'] / r['seconds']:.0f}% of a core); "
          + ("checks passed" if not problems else "PROBLEMS: " + "; ".join(problems)
             + (f" (first: {r['first_problem']})" if r["first_problem"] else "")))
for side in sides:
    expect = 2 * requests
    good = served.get(side) == expect
    ok &= good
    print(f"- {names[side]}: {served.get(side)} served rewards logged after the uncached and cached "
          f"runs (expected {expect}){'' if good else ' — WRONG'}")
print(f"- machine load: at start `{up0.strip()}`; at end `{up1.strip()}` (2 cores, shared)")
print()
print("checks: " + ("all passed" if ok else "FAILED"))
sys.exit(0 if ok else 3)
PY

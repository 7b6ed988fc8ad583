#!/usr/bin/env bash
# LLM engine throughput benchmark: N judge-shaped calls through rs::llm::LlmScheduler against
# rs-llm-test-server at concurrency C, once per server latency (200 ms and 20 ms), and, side by
# side in the same run against the same server, promptfoo 0.118.0 grading the same N items with
# `llm-rubric` (an `echo` provider passes each response through; the grader is the same server).
#
#   bench/llm/run_llm_bench.sh [BUILD_DIR]          # full size: 5,000 calls, concurrency 64
#   CALLS=500 bench/llm/run_llm_bench.sh            # quick smoke run
#   WITH_PROMPTFOO=0 bench/llm/run_llm_bench.sh     # the engine only
#
# Environment:
#   CALLS, CONCURRENCY, SEED  calls per run, concurrency for both clients, item seed (5000, 64, 1)
#   LATENCIES                 server latencies in ms, run in this order ("200 20")
#   BUILD_DIR                 build tree (or the first argument); configured Release with the GUI
#                             off when it does not exist yet (/tmp/llmbench-build). When that tree
#                             has no rs_llm_throughput_bench target (bench/CMakeLists.txt does not
#                             add llm/ yet, or the configure fails), a small wrapper project in
#                             BUILD_DIR-llmwrap builds it from this checkout instead.
#   BENCH_EXE, SERVER_EXE     use these executables and skip the build
#   WORK_DIR                  generated tests file, promptfoo config and logs (/tmp/rs-llm-bench)
#   WITH_PROMPTFOO            0 skips promptfoo (1)
#   PROMPTFOO_DIR             npm prefix of the promptfoo install, outside the repository
#                             (${XDG_CACHE_HOME:-$HOME/.cache}/rubric-studio-bench/promptfoo)
#
# promptfoo 0.118.0 is the last release that runs on Debian 12's Node 20 (0.123 needs Node 22).
# It is installed with --ignore-scripts (a full install tries to download a browser and fails
# offline), then better-sqlite3 is rebuilt on its own.
#
# What is measured:
#   engine     calls/s = calls / wall time of LlmScheduler::runBlocking (submit to last answer);
#              CPU µs/call = getrusage(RUSAGE_SELF) user+sys delta over that run / calls: the
#              worker thread, libcurl, request building and answer decoding. Every answer is
#              checked: it must parse and hold a yes/no verdict per criterion.
#   promptfoo  calls/s = grader calls / the window from its first request to the test server to
#              the end of its last response (bench/llm/promptfoo/timing-hook.cjs, preloaded; it
#              leaves out Node startup and config loading, so it is promptfoo's best case); the
#              process wall time is shown too. Peak RSS of both from /usr/bin/time (or getrusage
#              of the child). The server's /stats confirms both clients made exactly one judge call
#              per item and sent the same number of prompt tokens.
#   limit      concurrency / latency: what a client that always keeps C calls in flight gets.
#
# Targets: engine >= 90% of the limit at 200 ms; engine <= 150 µs CPU per call; engine >= 10x
# promptfoo's calls/s at 20 ms. A benchmark, not a test: it always exits 0 unless it cannot run
# at all; read the table.
set -uo pipefail

CALLS=${CALLS:-5000}
CONCURRENCY=${CONCURRENCY:-64}
SEED=${SEED:-1}
LATENCIES=${LATENCIES:-"200 20"}
BUILD_DIR=${BUILD_DIR:-${1:-/tmp/llmbench-build}}
WORK_DIR=${WORK_DIR:-/tmp/rs-llm-bench}
WITH_PROMPTFOO=${WITH_PROMPTFOO:-1}
PROMPTFOO_VERSION=0.118.0
PROMPTFOO_DIR=${PROMPTFOO_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/rubric-studio-bench/promptfoo}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC=$(cd "$HERE/../.." && pwd)
MODEL=rs-test-judge # contains "judge": the server answers as a judge even without the marker

die() { echo "run_llm_bench: $*" >&2; exit 1; }
note() { echo "run_llm_bench: $*" >&2; }

# A number from a flat JSON text: jnum TEXT KEY (first match; keys here are unique).
jnum() { sed -n "s/.*\"$2\":\(-\{0,1\}[0-9][0-9.eE+-]*\).*/\1/p" <<<"$1" | head -n1; }
# Floating-point arithmetic and formatting without Python: calc EXPR [FORMAT].
calc() { awk "BEGIN { v = $1; printf \"${2:-%.6g}\", v }" 2>/dev/null; }

mkdir -p "$WORK_DIR" || die "cannot create $WORK_DIR"

# --- build ----------------------------------------------------------------------------------
has_target() { cmake --build "$1" --target help 2>/dev/null | grep -q "rs_llm_throughput_bench"; }

build_wrapper() {
    # A throwaway project that adds this checkout's core, the test server and bench/llm only,
    # so a half-edited bench/CMakeLists.txt, tests/CMakeLists.txt or ui/ cannot break the build.
    local wsrc=$BUILD_DIR-llmwrap-src wbin=$BUILD_DIR-llmwrap
    mkdir -p "$wsrc" || return 1
    cat >"$wsrc/CMakeLists.txt" <<EOF
cmake_minimum_required(VERSION 3.25)
project(RsLlmBenchWrapper LANGUAGES CXX)
set(RS_BUILD_GUI OFF)
set(RS_BUILD_TESTS OFF)
set(RS_BUILD_BENCH OFF)
set(CMAKE_AUTOMOC ON)
find_package(Qt6 6.4 REQUIRED COMPONENTS Core Sql Concurrent Network Test)
find_package(SQLite3 REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(CURL REQUIRED)
find_package(Threads REQUIRED)
add_subdirectory("$SRC" main)
add_subdirectory("$SRC/tests/llmserver" llmserver)
add_subdirectory("$SRC/bench/llm" llm)
EOF
    if [[ ! -f $wbin/CMakeCache.txt ]]; then
        cmake -S "$wsrc" -B "$wbin" "${gen[@]}" -DCMAKE_BUILD_TYPE=Release >"$WORK_DIR/configure-wrapper.log" 2>&1 \
            || { note "wrapper configure failed, see $WORK_DIR/configure-wrapper.log"; return 1; }
    fi
    cmake --build "$wbin" --target rs_llm_throughput_bench rs-llm-test-server >"$WORK_DIR/build.log" 2>&1 \
        || { note "wrapper build failed, see $WORK_DIR/build.log"; return 1; }
    EXE_ROOT=$wbin
}

find_exe() { find "$1" -name "$2" -type f -perm -u+x 2>/dev/null | head -n1; }

gen=()
command -v ninja >/dev/null && gen=(-G Ninja)
if [[ -z ${BENCH_EXE:-} || -z ${SERVER_EXE:-} ]]; then
    EXE_ROOT=""
    if [[ ! -f $BUILD_DIR/CMakeCache.txt ]]; then
        cmake -S "$SRC" -B "$BUILD_DIR" "${gen[@]}" -DCMAKE_BUILD_TYPE=Release \
            -DRS_BUILD_GUI=OFF -DRS_BUILD_TESTS=ON -DRS_BUILD_BENCH=ON >"$WORK_DIR/configure.log" 2>&1 \
            || note "configuring $BUILD_DIR failed (see $WORK_DIR/configure.log); trying the wrapper"
    fi
    if [[ -f $BUILD_DIR/CMakeCache.txt ]] && has_target "$BUILD_DIR"; then
        if cmake --build "$BUILD_DIR" --target rs_llm_throughput_bench rs-llm-test-server >"$WORK_DIR/build.log" 2>&1; then
            EXE_ROOT=$BUILD_DIR
        else
            note "build in $BUILD_DIR failed (see $WORK_DIR/build.log); trying the wrapper"
        fi
    fi
    if [[ -z $EXE_ROOT ]]; then
        build_wrapper || die "cannot build rs_llm_throughput_bench and rs-llm-test-server"
    fi
    BENCH_EXE=${BENCH_EXE:-$(find_exe "$EXE_ROOT" rs_llm_throughput_bench)}
    SERVER_EXE=${SERVER_EXE:-$(find_exe "$EXE_ROOT" rs-llm-test-server)}
fi
[[ -x ${BENCH_EXE:-} && -x ${SERVER_EXE:-} ]] || die "missing rs_llm_throughput_bench or rs-llm-test-server"
BUILD_TYPE=""
[[ -n ${EXE_ROOT:-} ]] && BUILD_TYPE=$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$EXE_ROOT/CMakeCache.txt" 2>/dev/null)

# --- measuring a child process ----------------------------------------------------------------
# measure OUTFILE CMD...: runs CMD and writes "peak_rss_kb wall_s user_s sys_s exit" to OUTFILE.
measure() {
    local out=$1; shift
    if [[ -x /usr/bin/time ]]; then
        /usr/bin/time -o "$out.time" -f "%M %e %U %S %x" "$@"
        local rc=$?
        tail -n1 "$out.time" >"$out"
        return $rc
    elif command -v python3 >/dev/null; then
        python3 - "$out" "$@" <<'EOF'
import resource, subprocess, sys, time
t0 = time.monotonic()
rc = subprocess.call(sys.argv[2:])
wall = time.monotonic() - t0
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
open(sys.argv[1], "w").write(f"{ru.ru_maxrss} {wall:.2f} {ru.ru_utime:.2f} {ru.ru_stime:.2f} {rc}\n")
sys.exit(rc)
EOF
    else
        "$@"
        local rc=$?
        echo "0 0 0 0 $rc" >"$out"
        return $rc
    fi
}

# --- the test server --------------------------------------------------------------------------
SERVER_PID=""
ORIGIN=""
stop_server() {
    if [[ -n $SERVER_PID ]]; then
        kill "$SERVER_PID" 2>/dev/null
        wait "$SERVER_PID" 2>/dev/null
        SERVER_PID=""
    fi
}
trap stop_server EXIT

start_server() { # start_server LATENCY_MS
    local log=$WORK_DIR/server-$1ms
    "$SERVER_EXE" --port 0 --latency-ms "$1" >"$log.out" 2>"$log.err" &
    SERVER_PID=$!
    local port=""
    for _ in $(seq 1 100); do
        port=$(sed -n 's#^listening on http://127\.0\.0\.1:\([0-9][0-9]*\).*#\1#p' "$log.out" 2>/dev/null)
        [[ -n $port ]] && break
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.1
    done
    [[ -n $port ]] || die "the test server did not start (see $log.err)"
    ORIGIN=http://127.0.0.1:$port
}

# CPU seconds the server has used so far (utime + stime from /proc; empty when unavailable).
CLK_TCK=$(getconf CLK_TCK 2>/dev/null || echo 100)
server_cpu() { awk -v hz="$CLK_TCK" '{ printf "%.3f", ($14 + $15) / hz }' "/proc/$SERVER_PID/stat" 2>/dev/null; }
server_stats() { curl -s --max-time 10 "$ORIGIN/stats" 2>/dev/null || echo '{}'; }
# by_role's "judge" (jnum takes the last match, and structured_by_role has one too).
judge_calls() { local v; v=$(jnum "$(sed -n 's/.*,"by_role":\({[^}]*}\).*/\1/p' <<<"$1")" judge); echo "${v:-0}"; }
connections() { local v; v=$(jnum "$1" connections_total); echo "${v:-0}"; }
tokens_in() { local v; v=$(jnum "$(sed -n 's/.*"tokens":\({[^}]*}\).*/\1/p' <<<"$1")" input); echo "${v:-0}"; }

# --- promptfoo --------------------------------------------------------------------------------
PF_BIN=$PROMPTFOO_DIR/node_modules/.bin/promptfoo
PF_STATUS=""
install_promptfoo() {
    if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
        PF_STATUS="node/npm not found"
        return 1
    fi
    local major
    major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null)
    if [[ -z $major || $major -lt 20 ]]; then
        PF_STATUS="promptfoo $PROMPTFOO_VERSION needs Node >= 20 (found $(node --version 2>/dev/null))"
        return 1
    fi
    local have=""
    [[ -f $PROMPTFOO_DIR/node_modules/promptfoo/package.json ]] \
        && have=$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$PROMPTFOO_DIR/node_modules/promptfoo/package.json" | head -n1)
    if [[ $have != "$PROMPTFOO_VERSION" || ! -x $PF_BIN ]]; then
        note "installing promptfoo $PROMPTFOO_VERSION into $PROMPTFOO_DIR (outside the repository)"
        mkdir -p "$PROMPTFOO_DIR" || { PF_STATUS="cannot create $PROMPTFOO_DIR"; return 1; }
        [[ -f $PROMPTFOO_DIR/package.json ]] \
            || echo '{"name": "rubric-studio-bench-promptfoo", "private": true}' >"$PROMPTFOO_DIR/package.json"
        if ! (cd "$PROMPTFOO_DIR" && npm i -E "promptfoo@$PROMPTFOO_VERSION" --ignore-scripts \
                --no-audit --no-fund --loglevel=error) >"$WORK_DIR/npm-install.log" 2>&1; then
            PF_STATUS="npm install of promptfoo@$PROMPTFOO_VERSION failed (offline? see $WORK_DIR/npm-install.log)"
            return 1
        fi
    fi
    if ! (cd "$PROMPTFOO_DIR" && node -e 'new (require("better-sqlite3"))(":memory:")') >/dev/null 2>&1; then
        note "rebuilding better-sqlite3 (native module; takes a minute or two)"
        if ! (cd "$PROMPTFOO_DIR" && npm rebuild better-sqlite3 --loglevel=error) >"$WORK_DIR/npm-rebuild.log" 2>&1 \
            || ! (cd "$PROMPTFOO_DIR" && node -e 'new (require("better-sqlite3"))(":memory:")') >/dev/null 2>&1; then
            PF_STATUS="npm rebuild better-sqlite3 failed (needs a C++ toolchain and, without a cached"
            PF_STATUS+=" prebuilt binary, node-gyp headers; see $WORK_DIR/npm-rebuild.log)"
            return 1
        fi
    fi
    [[ -x $PF_BIN ]] || { PF_STATUS="$PF_BIN is missing after the install"; return 1; }
    return 0
}

TESTS_FILE=$WORK_DIR/tests-$CALLS-$SEED.jsonl
if [[ $WITH_PROMPTFOO == 1 ]]; then
    if install_promptfoo; then
        PF_STATUS=ok
        "$BENCH_EXE" --calls "$CALLS" --seed "$SEED" --write-promptfoo-tests "$TESTS_FILE" --items-only \
            || { PF_STATUS="cannot write $TESTS_FILE"; }
    fi
else
    PF_STATUS="skipped (WITH_PROMPTFOO=0)"
fi

run_promptfoo() { # run_promptfoo LATENCY_MS; sets PF_* figures
    local lat=$1 dir=$WORK_DIR/promptfoo-$1ms
    rm -rf "$dir" && mkdir -p "$dir/home"
    sed -e "s#@MODEL@#$MODEL#" -e "s#@BASE_URL@#$ORIGIN/v1#" \
        -e "s#@RUBRIC_PROMPT@#$HERE/promptfoo/judge-rubric-prompt.json#" -e "s#@TESTS@#$TESTS_FILE#" \
        "$HERE/promptfoo/promptfooconfig.template.yaml" >"$dir/promptfooconfig.yaml"
    PF_CMD=("$PF_BIN" eval -c "$dir/promptfooconfig.yaml" -j "$CONCURRENCY" --no-cache --no-write
            --no-table --no-progress-bar)
    # Offline and quiet: no telemetry, update check or sharing; the database goes to the work
    # directory (promptfoo creates it even with --no-write); the hook times the HTTP phase and
    # refuses requests to anything but the test server.
    (
        cd "$dir" || exit 1
        export OPENAI_API_KEY=rs-bench-dummy-key \
            PROMPTFOO_DISABLE_TELEMETRY=1 PROMPTFOO_DISABLE_UPDATE=1 PROMPTFOO_DISABLE_SHARING=1 \
            PROMPTFOO_DISABLE_REDTEAM_REMOTE_GENERATION=1 PROMPTFOO_CONFIG_DIR="$dir/home" \
            NO_PROXY="127.0.0.1,localhost${NO_PROXY:+,$NO_PROXY}" no_proxy="127.0.0.1,localhost${no_proxy:+,$no_proxy}" \
            RS_BENCH_PF_TIMING="$dir/timing.json" RS_BENCH_PF_ORIGIN="$ORIGIN" RS_BENCH_PF_OFFLINE=1 \
            NODE_OPTIONS="--require $HERE/promptfoo/timing-hook.cjs${NODE_OPTIONS:+ $NODE_OPTIONS}"
        measure "$dir/measure" "${PF_CMD[@]}" >"$dir/stdout.log" 2>"$dir/stderr.log"
    )
    local rc=$?
    local m timing summary
    m=$(cat "$dir/measure" 2>/dev/null || echo "0 0 0 0 $rc")
    timing=$(cat "$dir/timing.json" 2>/dev/null || echo '{}')
    summary=$(sed 's/\x1b\[[0-9;]*m//g' "$dir/stdout.log" "$dir/stderr.log" 2>/dev/null)
    PF_RC=$rc
    PF_RSS_MB=$(calc "$(awk '{print $1}' <<<"$m") / 1024" "%.1f")
    PF_WALL=$(awk '{print $2}' <<<"$m")
    PF_CPU_S=$(calc "$(awk '{print $3 + $4}' <<<"$m")" "%.2f")
    PF_WINDOW=$(jnum "$timing" http_window_s)
    PF_DONE=$(jnum "$timing" completed)
    PF_ERRORS=$(jnum "$timing" errors)
    PF_BLOCKED=$(sed -n 's/.*"blocked_origins":\({[^}]*}\).*/\1/p' <<<"$timing")
    PF_PASS=$(sed -n 's/^.*Successes: *\([0-9][0-9]*\).*$/\1/p' <<<"$summary" | tail -n1)
    PF_FAIL=$(sed -n 's/^.*Failures: *\([0-9][0-9]*\).*$/\1/p' <<<"$summary" | tail -n1)
    PF_ERR=$(sed -n 's/^.*Errors: *\([0-9][0-9]*\).*$/\1/p' <<<"$summary" | tail -n1)
    if [[ -n $PF_WINDOW && -n $PF_DONE && $PF_WINDOW != 0 ]]; then
        PF_CPS=$(calc "$PF_DONE / $PF_WINDOW" "%.1f")
    else
        PF_CPS=""
    fi
    if [[ -n $PF_WALL && $PF_WALL != 0 ]]; then
        PF_CPS_WALL=$(calc "$CALLS / $PF_WALL" "%.1f")
    else
        PF_CPS_WALL=""
    fi
}

# --- runs -------------------------------------------------------------------------------------
echo "LLM throughput bench: $CALLS judge-shaped calls, concurrency $CONCURRENCY, latencies ${LATENCIES// / and } ms"
echo "engine:    $BENCH_EXE (${BUILD_TYPE:-unknown build type})"
echo "server:    $SERVER_EXE"
echo "promptfoo: $([[ $PF_STATUS == ok ]] && echo "$PROMPTFOO_VERSION ($PF_BIN), node $(node --version)" || echo "not run: $PF_STATUS")"
echo "host:      $(nproc) CPUs; server, engine and promptfoo share them; load average at start: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
echo

declare -A R
for lat in $LATENCIES; do
    start_server "$lat"
    s0=$(server_stats)
    c0=$(server_cpu)
    ours=$(measure "$WORK_DIR/engine-${lat}ms.measure" "$BENCH_EXE" --base-url "$ORIGIN/v1" \
        --calls "$CALLS" --concurrency "$CONCURRENCY" --seed "$SEED" --model "$MODEL" \
        2>"$WORK_DIR/engine-${lat}ms.err")
    rc=$?
    c1=$(server_cpu)
    s1=$(server_stats)
    echo "$ours" >"$WORK_DIR/engine-${lat}ms.json"
    [[ -n $ours ]] || die "rs_llm_throughput_bench printed nothing at ${lat} ms (see $WORK_DIR/engine-${lat}ms.err)"
    [[ $rc == 0 ]] || note "engine at ${lat} ms: exit $rc: $(cat "$WORK_DIR/engine-${lat}ms.err")"
    echo "engine    @${lat} ms: $ours"
    R[$lat,cps]=$(jnum "$ours" calls_per_s)
    R[$lat,secs]=$(jnum "$ours" seconds)
    R[$lat,cpu]=$(jnum "$ours" cpu_us_per_call)
    R[$lat,rss]=$(jnum "$ours" peak_rss_mb)
    R[$lat,ok]=$(jnum "$ours" succeeded)
    R[$lat,parsed]=$(jnum "$ours" parsed)
    R[$lat,verdicts]=$(jnum "$ours" verdicts)
    R[$lat,yes]=$(jnum "$ours" verdicts_yes)
    R[$lat,mism]=$(jnum "$ours" verdict_mismatches)
    R[$lat,srv_calls]=$(( $(judge_calls "$s1") - $(judge_calls "$s0") ))
    R[$lat,srv_tokens]=$(( $(tokens_in "$s1") - $(tokens_in "$s0") ))
    R[$lat,srv_conns]=$(( $(connections "$s1") - $(connections "$s0") - 1 )) # less the /stats call
    R[$lat,limit]=$(calc "$CONCURRENCY / ($lat / 1000)" "%.1f")
    [[ -n $c0 && -n $c1 ]] && R[$lat,srv_cpu]=$(calc "($c1 - $c0) * 1e6 / $CALLS" "%.1f")

    if [[ $PF_STATUS == ok ]]; then
        s0=$(server_stats)
        c0=$(server_cpu)
        run_promptfoo "$lat"
        c1=$(server_cpu)
        s1=$(server_stats)
        [[ -n $c0 && -n $c1 ]] && R[$lat,pf_srv_cpu]=$(calc "($c1 - $c0) * 1e6 / $CALLS" "%.1f")
        R[$lat,pf_srv_calls]=$(( $(judge_calls "$s1") - $(judge_calls "$s0") ))
        R[$lat,pf_srv_tokens]=$(( $(tokens_in "$s1") - $(tokens_in "$s0") ))
        R[$lat,pf_srv_conns]=$(( $(connections "$s1") - $(connections "$s0") - 1 ))
        R[$lat,pf_cps]=$PF_CPS
        R[$lat,pf_cps_wall]=$PF_CPS_WALL
        R[$lat,pf_wall]=$PF_WALL
        R[$lat,pf_window]=$PF_WINDOW
        R[$lat,pf_rss]=$PF_RSS_MB
        R[$lat,pf_cpu]=$(calc "$PF_CPU_S * 1e6 / $CALLS" "%.0f")
        [[ -n ${PF_SHOWN:-} ]] || { PF_SHOWN=1; echo "promptfoo command: $(printf '%q ' "${PF_CMD[@]}")"; \
            echo "  (env: OPENAI_API_KEY=dummy PROMPTFOO_DISABLE_TELEMETRY=1 PROMPTFOO_DISABLE_UPDATE=1 PROMPTFOO_DISABLE_SHARING=1 PROMPTFOO_CONFIG_DIR=<work dir> NODE_OPTIONS=--require timing-hook.cjs)"; }
        echo "promptfoo @${lat} ms: exit $PF_RC; grader calls answered $PF_DONE, transport errors ${PF_ERRORS:-?};" \
             "HTTP window ${PF_WINDOW:-?} s, process wall $PF_WALL s, CPU $PF_CPU_S s, peak RSS $PF_RSS_MB MB;" \
             "assertions: ${PF_PASS:-?} passed, ${PF_FAIL:-?} failed, ${PF_ERR:-?} errors;" \
             "refused off-box requests: ${PF_BLOCKED:-none}"
        [[ $PF_RC == 0 || -n $PF_PASS ]] \
            || note "promptfoo at ${lat} ms failed; see $WORK_DIR/promptfoo-${lat}ms/stderr.log"
    fi
    stop_server
done

# --- table ------------------------------------------------------------------------------------
echo
printf '%-34s' "latency"
for lat in $LATENCIES; do printf '%16s' "${lat} ms"; done
echo
row() { # row LABEL KEY FORMAT
    printf '%-34s' "$1"
    for lat in $LATENCIES; do
        local v=${R[$lat,$2]:-}
        if [[ -n $v ]]; then printf "%16s" "$(calc "$v" "$3")"; else printf '%16s' "-"; fi
    done
    echo
}
for lat in $LATENCIES; do
    R[$lat,pct]=$(calc "${R[$lat,cps]} / ${R[$lat,limit]} * 100" "%.1f")
    if [[ -n ${R[$lat,pf_cps]:-} ]]; then
        R[$lat,pf_pct]=$(calc "${R[$lat,pf_cps]} / ${R[$lat,limit]} * 100" "%.1f")
        R[$lat,ratio]=$(calc "${R[$lat,cps]} / ${R[$lat,pf_cps]}" "%.1f")
        R[$lat,ratio_wall]=$(calc "${R[$lat,cps]} / ${R[$lat,pf_cps_wall]}" "%.1f")
        R[$lat,rss_ratio]=$(calc "${R[$lat,pf_rss]} / ${R[$lat,rss]}" "%.1f")
    fi
done
row "limit = concurrency/latency (/s)" limit "%.1f"
row "engine calls/s" cps "%.1f"
row "engine % of limit" pct "%.1f%%"
row "engine CPU per call (us)" cpu "%.1f"
row "engine peak RSS (MB)" rss "%.1f"
row "promptfoo calls/s (HTTP window)" pf_cps "%.1f"
row "promptfoo calls/s (process wall)" pf_cps_wall "%.1f"
row "promptfoo % of limit" pf_pct "%.1f%%"
row "promptfoo CPU per call (us)" pf_cpu "%.0f"
row "promptfoo peak RSS (MB)" pf_rss "%.1f"
row "ratio engine/promptfoo calls/s" ratio "%.1fx"
row "  (vs promptfoo process wall)" ratio_wall "%.1fx"
row "ratio promptfoo/engine peak RSS" rss_ratio "%.1fx"
row "server CPU per call, engine (us)" srv_cpu "%.1f"
row "server CPU per call, promptfoo (us)" pf_srv_cpu "%.1f"
echo
echo "work check (server /stats: judge calls, prompt tokens and TCP connections per client):"
for lat in $LATENCIES; do
    printf '  %4s ms  engine %s calls, %s tokens in, %s connections; %s/%s answers parsed, %s verdicts (%s yes), %s differ from the server rules' \
        "$lat" "${R[$lat,srv_calls]}" "${R[$lat,srv_tokens]}" "${R[$lat,srv_conns]}" "${R[$lat,parsed]}" "$CALLS" \
        "${R[$lat,verdicts]}" "${R[$lat,yes]}" "${R[$lat,mism]}"
    if [[ -n ${R[$lat,pf_srv_calls]:-} ]]; then
        printf '; promptfoo %s calls, %s tokens in, %s connections' "${R[$lat,pf_srv_calls]}" \
            "${R[$lat,pf_srv_tokens]}" "${R[$lat,pf_srv_conns]}"
    fi
    echo
done
echo
echo "targets:"
verdict() { if [[ $(calc "($1)" "%d") == 1 ]]; then echo "met"; else echo "MISSED"; fi; }
first_lat=200; last_lat=20
[[ " $LATENCIES " == *" 200 "* ]] || first_lat=$(awk '{print $1}' <<<"$LATENCIES")
[[ " $LATENCIES " == *" 20 "* ]] || last_lat=$(awk '{print $NF}' <<<"$LATENCIES")
echo "  engine >= 90% of the limit at ${first_lat} ms: ${R[$first_lat,pct]}% -> $(verdict "${R[$first_lat,pct]} >= 90")"
worst_cpu=0
for lat in $LATENCIES; do worst_cpu=$(calc "(${R[$lat,cpu]} > $worst_cpu) ? ${R[$lat,cpu]} : $worst_cpu" "%.1f"); done
echo "  engine <= 150 us CPU per call (worst run): $worst_cpu us -> $(verdict "$worst_cpu <= 150")"
if [[ -n ${R[$last_lat,ratio]:-} ]]; then
    echo "  engine >= 10x promptfoo at ${last_lat} ms: ${R[$last_lat,ratio]}x -> $(verdict "${R[$last_lat,ratio]} >= 10")"
else
    echo "  engine >= 10x promptfoo at ${last_lat} ms: not measured (promptfoo: $PF_STATUS)"
fi
echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null) (figures from a loaded host vary; CPU figures less than calls/s)"
echo "logs and generated files: $WORK_DIR"
exit 0

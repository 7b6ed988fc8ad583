#!/usr/bin/env bash
# Judge pipeline benchmark (issue 13): `rubric-studio-cli judge` — request building, the LLM
# engine, answer parsing and the project store — against promptfoo 0.118.0 `llm-rubric`, both
# grading the same AlpacaEval responses with the same rubrics and the same judge prompt, one
# grading call per response, against rs-llm-test-server at 200 ms and at 20 ms.
#
#   bench/judge/run_judge_bench.sh [BUILD_DIR]          # full size: 2 × 805 responses, 3 runs
#   N=100 RUNS=1 bench/judge/run_judge_bench.sh         # quick smoke run
#   BUILD_DIR=/work/main/build bench/judge/run_judge_bench.sh
#
# Nothing is built: the script uses BUILD_DIR's rubric-studio-cli and rs-llm-test-server (build
# them first; `judge --help` must offer --json).
#
# Environment:
#   N                 AlpacaEval instructions (805, all); items = N × the number of MODELS
#   MODELS            model-output files in DATA_DIR, comma-separated
#                     (gpt4_1106_preview.json,claude-3-opus-20240229.json)
#   DATA_DIR          the AlpacaEval outputs (SRC/../shared/data/alpacaeval); read, never copied
#                     into the repository: joined on the instruction text, cut to N and written
#                     with the rubrics and the promptfoo tests to WORK_DIR (make_judge_data.mjs)
#   RUNS              runs per tool and latency, interleaved studio / promptfoo / promptfoo
#                     --no-write; medians are tabulated (3)
#   CONCURRENCY       calls in flight for both tools (64)
#   LATENCIES         server latencies in ms, in this order ("200 20")
#   STRUCTURED        the studio's --structured (off: plain text, as promptfoo asks; auto would
#                     add a json_schema response_format to every request)
#   WITH_PROMPTFOO    0 skips promptfoo (1)
#   SOFT              1 also runs the soft-verdict cost check below once (1)
#   SOFT_LATENCY      server latency of that check (20)
#   BUILD_DIR         build tree (first argument; SRC/build); or CLI_EXE and SERVER_EXE
#   WORK_DIR          data, projects, promptfoo configs and logs (/tmp/rs-judge-bench)
#   PROMPTFOO_DIR     npm prefix of the promptfoo install, shared with bench/llm
#                     (${XDG_CACHE_HOME:-$HOME/.cache}/rubric-studio-bench/promptfoo)
#
# What is measured, per run (each run starts from a fresh project or a fresh promptfoo home, so
# nothing is cached; promptfoo gets --no-cache and the studio --bypass-cache — it reads no cached
# answer but stores every answer as usual: two pairs of the data's responses repeat each other's
# text for the same prompt, and a run that reads its cache may answer the second of a pair from
# the first's stored answer, which promptfoo sends):
#   studio     one `judge PROJECT --base-url … --mode joint --structured off --concurrency 64
#              --bypass-cache --json` process: every response of the project against its prompt's rubric in one
#              call. Project creation and import are set-up, outside the timing.
#   promptfoo  one `promptfoo eval -j 64 --no-cache` process: an `echo` provider passes each
#              response through and one llm-rubric assertion grades it on the test server with
#              the studio's joint judge prompt (bench/judge/promptfoo/judge-rubric-prompt.json:
#              the same system text, the same user-message layout and fence tags, so the server
#              gets byte-identical messages). By default promptfoo stores every result in its
#              SQLite database, as the studio stores its verdicts: that is the like-for-like row;
#              `--no-write` is a reference row.
#   wall, CPU, peak RSS  /usr/bin/time -f of the whole process (start-up included), CPU = user +
#              sys seconds.
#   % of the limit  calls ÷ (concurrency ÷ latency) ÷ wall: 100% is a client that keeps all its
#              calls in flight from its first instant to its last.
#   checks     the server's /stats before and after each run: judge calls must equal the items
#              (one call per item, no retries, no probes) and both tools must send the same
#              number of prompt tokens (the same prompts). Every grade must be read: the studio's
#              `judge --json` must report calls = items, cached = 0, failed = 0 and every
#              verdict stored; promptfoo must count every assertion a success (its llm-rubric
#              fails an answer it cannot parse) with no errors.
#   soft mode  (SOFT=1) once each on fresh projects: `judge --mode per-criterion` and `--mode
#              probability`, input tokens per verdict from `judge --json`: the cost of a soft
#              verdict against a hard per-criterion one.
#
# The promptfoo side reuses bench/llm/run_llm_bench.sh: its install (promptfoo 0.118.0 with
# --ignore-scripts, better-sqlite3 rebuilt), its config template, its timing hook and its run
# function, and that script's helpers for timing processes and reading the test server.
#
# Targets (issue 13): studio >= 97% of the limit at 200 ms and >= 85% at 20 ms; promptfoo's wall
# time >= 20x the studio's at 20 ms (like-for-like row); soft mode's input tokens per verdict
# <= 1.2x per-criterion mode's. A benchmark, not a test (never registered with CTest): it exits 0
# unless it cannot run at all; read the table.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC=$(cd "$HERE/../.." && pwd)
N=${N:-805}
MODELS=${MODELS:-gpt4_1106_preview.json,claude-3-opus-20240229.json}
DATA_DIR=${DATA_DIR:-$SRC/../shared/data/alpacaeval}
RUNS=${RUNS:-3}
CONCURRENCY=${CONCURRENCY:-64}
LATENCIES=${LATENCIES:-"200 20"}
STRUCTURED=${STRUCTURED:-off}
WITH_PROMPTFOO=${WITH_PROMPTFOO:-1}
SOFT=${SOFT:-1}
SOFT_LATENCY=${SOFT_LATENCY:-20}
BUILD_DIR=${BUILD_DIR:-${1:-$SRC/build}}
CLI_EXE=${CLI_EXE:-$BUILD_DIR/app/rubric-studio-cli}
SERVER_EXE=${SERVER_EXE:-$BUILD_DIR/tests/llmserver/rs-llm-test-server}
WORK_DIR=${WORK_DIR:-/tmp/rs-judge-bench}
PROMPTFOO_VERSION=0.118.0
PROMPTFOO_DIR=${PROMPTFOO_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/rubric-studio-bench/promptfoo}
PF_BIN=$PROMPTFOO_DIR/node_modules/.bin/promptfoo
MODEL=rs-test-judge
LLM_BENCH=$SRC/bench/llm/run_llm_bench.sh

die() { echo "run_judge_bench: $*" >&2; exit 1; }
note() { echo "run_judge_bench: $*" >&2; }

# --- helpers from bench/llm/run_llm_bench.sh -------------------------------------------------
# That script runs its benchmark at top level, so it cannot be sourced whole: its functions are
# taken by name (a one-line definition, or from `NAME() {` to the next `}` in column 0).
llm_bench_functions() {
    awk -v names=" $* " '
        !body && match($0, /^[A-Za-z_][A-Za-z0-9_]*\(\) \{/) {
            name = substr($0, 1, index($0, "(") - 1)
            if (index(names, " " name " ")) {
                if ($0 ~ /\}[[:space:]]*$/ && $0 !~ /^[A-Za-z_0-9]+\(\) \{[[:space:]]*$/) { print; next }
                body = 1
            }
        }
        body { print; if ($0 ~ /^\}/) body = 0 }' "$LLM_BENCH"
}
LLM_FUNCTIONS=(jnum calc measure start_server stop_server server_stats judge_calls tokens_in connections
               install_promptfoo run_promptfoo)
[[ -f $LLM_BENCH ]] || die "$LLM_BENCH is missing"
eval "$(llm_bench_functions "${LLM_FUNCTIONS[@]}")"
for f in "${LLM_FUNCTIONS[@]}"; do
    declare -F "$f" >/dev/null || die "function $f not found in $LLM_BENCH"
done
model_requests() { local v; v=$(jnum "$1" model_requests); echo "${v:-0}"; }
median() { printf '%s\n' "$@" | sort -g | awk 'NF { a[++n] = $1 } END { if (n) print (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }'; }
trap stop_server EXIT

# --- inputs -----------------------------------------------------------------------------------
[[ -x $CLI_EXE ]] || die "no rubric-studio-cli at $CLI_EXE (set BUILD_DIR or CLI_EXE)"
[[ -x $SERVER_EXE ]] || die "no rs-llm-test-server at $SERVER_EXE (set BUILD_DIR or SERVER_EXE)"
"$CLI_EXE" judge --help 2>&1 | grep -q -- '--json' || die "$CLI_EXE judge has no --json (an older build?)"
command -v node >/dev/null || die "node is needed to prepare the data (and to run promptfoo)"
[[ -d $DATA_DIR ]] || die "no AlpacaEval data at $DATA_DIR (set DATA_DIR)"
[[ $RUNS -ge 1 ]] || die "RUNS must be at least 1"
mkdir -p "$WORK_DIR" || die "cannot create $WORK_DIR"
rm -rf "$WORK_DIR/data" "$WORK_DIR/runs" && mkdir -p "$WORK_DIR/runs"

summary=$(node "$HERE/make_judge_data.mjs" "$DATA_DIR" "$MODELS" "$N" "$WORK_DIR/data") \
    || die "cannot prepare the data from $DATA_DIR"
PROMPTS=$(jnum "$summary" prompts)
ITEMS=$(jnum "$summary" items)
CRITERIA=$(jnum "$summary" criteria)
VERDICTS=$(jnum "$summary" verdicts)
TESTS_FILE=$WORK_DIR/data/promptfoo-tests.jsonl
CALLS=$ITEMS # run_promptfoo's name for it

# One project with the responses and rubrics and nothing judged; every run judges a copy.
TEMPLATE=$WORK_DIR/template.rubrics
rm -f "$TEMPLATE"
model_files=()
IFS=, read -r -a model_names <<<"$MODELS"
for m in "${model_names[@]}"; do model_files+=("$WORK_DIR/data/$(basename "$m")"); done
{
    "$CLI_EXE" new "$TEMPLATE" &&
        "$CLI_EXE" import "$TEMPLATE" "${model_files[@]}" --format alpacaeval &&
        "$CLI_EXE" import "$TEMPLATE" "$WORK_DIR/data/rubrics.jsonl" --format rubrics
} >"$WORK_DIR/import.log" 2>&1 || die "cannot build the project (see $WORK_DIR/import.log)"
stats=$("$CLI_EXE" stats "$TEMPLATE" --json 2>/dev/null)
[[ $(jnum "$stats" responses) == "$ITEMS" && $(jnum "$stats" criteria) == "$CRITERIA" ]] \
    || die "the project holds $stats, expected $ITEMS responses and $CRITERIA criteria"

PF_STATUS="skipped (WITH_PROMPTFOO=0)"
if [[ $WITH_PROMPTFOO == 1 ]]; then
    PF_STATUS=""
    install_promptfoo && PF_STATUS=ok
    # run_promptfoo reads its config template, rubric prompt and timing hook under
    # $HERE/promptfoo/: a directory of links gives it bench/llm's template and hook with this
    # benchmark's judge prompt. The like-for-like row runs promptfoo through a shim that drops the
    # --no-write run_promptfoo always passes.
    PF_HERE=$WORK_DIR/promptfoo-files
    mkdir -p "$PF_HERE/promptfoo"
    ln -sf "$SRC/bench/llm/promptfoo/promptfooconfig.template.yaml" "$SRC/bench/llm/promptfoo/timing-hook.cjs" \
        "$HERE/promptfoo/judge-rubric-prompt.json" "$PF_HERE/promptfoo/"
    PF_REAL=$PF_BIN
    PF_WRITE=$PF_HERE/promptfoo-storing
    printf '#!/usr/bin/env bash\n# promptfoo eval without --no-write: results go to its database.\nargs=()\nfor a in "$@"; do [[ $a == --no-write ]] || args+=("$a"); done\nexec %q "${args[@]}"\n' \
        "$PF_REAL" >"$PF_WRITE" && chmod +x "$PF_WRITE"
fi

# --- runs -------------------------------------------------------------------------------------
declare -A R    # R[tool,latency,metric] = space-separated values of the runs
declare -A BAD  # BAD[tool,latency] = what a check found
add() { R[$1,$2,$3]+="${R[$1,$2,$3]:+ }$4"; }
flag() { BAD[$1,$2]+="${BAD[$1,$2]:+; }$3"; }

# around RUN_FN: the server's counters before and after; adds calls, tokens, other requests.
with_counters() { # with_counters TOOL LATENCY FN ARGS...
    local tool=$1 lat=$2 s0 s1
    shift 2
    s0=$(server_stats)
    "$@"
    s1=$(server_stats)
    SRV_CALLS=$(($(judge_calls "$s1") - $(judge_calls "$s0")))
    SRV_OTHER=$(($(model_requests "$s1") - $(model_requests "$s0") - SRV_CALLS))
    SRV_TOKENS=$(($(tokens_in "$s1") - $(tokens_in "$s0")))
    add "$tool" "$lat" srv_calls "$SRV_CALLS"
    add "$tool" "$lat" srv_tokens "$SRV_TOKENS"
    [[ $SRV_OTHER == 0 ]] || flag "$tool" "$lat" "$SRV_OTHER model requests that were not judge calls"
}

add_measure() { # add_measure TOOL LATENCY "rss_kb wall user sys exit"
    local m=($3)
    add "$1" "$2" rss "$(calc "${m[0]:-0} / 1024" "%.1f")"
    add "$1" "$2" wall "${m[1]:-0}"
    add "$1" "$2" cpu "$(calc "${m[2]:-0} + ${m[3]:-0}" "%.2f")"
}

studio_judge() { # studio_judge TAG MODE: a fresh copy of the project, judged; sets J (its --json)
    local tag=$1 mode=$2 p=$WORK_DIR/runs/$1.rubrics
    cp "$TEMPLATE" "$p" || die "cannot copy $TEMPLATE"
    STUDIO_CMD=("$CLI_EXE" judge "$p" --base-url "$ORIGIN/v1" --model "$MODEL" --kind openai --mode "$mode"
                --structured "$STRUCTURED" --concurrency "$CONCURRENCY" --bypass-cache --json)
    measure "$WORK_DIR/runs/$tag.measure" "${STUDIO_CMD[@]}" >"$WORK_DIR/runs/$tag.json" 2>"$WORK_DIR/runs/$tag.err"
    STUDIO_RC=$?
    J=$(cat "$WORK_DIR/runs/$tag.json")
}

run_studio() { # run_studio LATENCY RUN
    local lat=$1 tag=studio-$1ms-$2 calls cached failed verdicts
    with_counters studio "$lat" studio_judge "$tag" joint
    JOINT_CMD=("${STUDIO_CMD[@]}")
    add_measure studio "$lat" "$(cat "$WORK_DIR/runs/$tag.measure" 2>/dev/null)"
    calls=$(jnum "$J" calls) cached=$(jnum "$J" cached) failed=$(jnum "$J" failed) verdicts=$(jnum "$J" verdicts)
    add studio "$lat" tokens_json "$(jnum "$J" input_tokens)"
    add studio "$lat" read "$verdicts"
    [[ $STUDIO_RC == 0 ]] || flag studio "$lat" "run $2 exit $STUDIO_RC ($(tail -n1 "$WORK_DIR/runs/$tag.err"))"
    [[ $calls == "$ITEMS" && $cached == 0 && $failed == 0 ]] \
        || flag studio "$lat" "run $2: judge --json calls ${calls:-?}, cached ${cached:-?}, failed ${failed:-?}"
    [[ $verdicts == "$VERDICTS" ]] || flag studio "$lat" "run $2: ${verdicts:-?} of $VERDICTS verdicts stored"
    [[ $SRV_CALLS == "$ITEMS" ]] || flag studio "$lat" "run $2: the server saw $SRV_CALLS judge calls for $ITEMS items"
}

run_pf() { # run_pf LATENCY RUN write|no-write
    local lat=$1 tool=pf-$3 dir=$WORK_DIR/promptfoo-$1ms bin=$PF_REAL
    [[ $3 == write ]] && bin=$PF_WRITE
    PF_BIN=$bin HERE=$PF_HERE with_counters "$tool" "$lat" run_promptfoo "$lat"
    rm -rf "$WORK_DIR/runs/$tool-${lat}ms-$2" && mv "$dir" "$WORK_DIR/runs/$tool-${lat}ms-$2"
    add_measure "$tool" "$lat" "$(cat "$WORK_DIR/runs/$tool-${lat}ms-$2/measure" 2>/dev/null)"
    add "$tool" "$lat" read "${PF_PASS:-0}"
    [[ $PF_RC == 0 ]] || flag "$tool" "$lat" "run $2 exit $PF_RC (see $WORK_DIR/runs/$tool-${lat}ms-$2/stderr.log)"
    [[ ${PF_PASS:-} == "$ITEMS" && ${PF_FAIL:-} == 0 && ${PF_ERR:-} == 0 ]] \
        || flag "$tool" "$lat" "run $2: ${PF_PASS:-?} graded, ${PF_FAIL:-?} unread, ${PF_ERR:-?} errors"
    [[ $SRV_CALLS == "$ITEMS" ]] || flag "$tool" "$lat" "run $2: the server saw $SRV_CALLS judge calls for $ITEMS items"
    [[ -z ${PF_BLOCKED:-} || $PF_BLOCKED == "{}" ]] || add "$tool" "$lat" blocked "$PF_BLOCKED"
}

run_soft() { # run_soft LATENCY: per-criterion and probability once each
    local mode s
    for mode in per-criterion probability; do
        with_counters "$mode" "$1" studio_judge "soft-$mode-$1ms" "$mode"
        s=$(cat "$WORK_DIR/runs/soft-$mode-$1ms.measure" 2>/dev/null)
        SOFT_J[$mode]=$J
        SOFT_SRV[$mode]="$SRV_CALLS $SRV_TOKENS"
        SOFT_WALL[$mode]=$(awk '{print $2}' <<<"$s")
        [[ $STUDIO_RC == 0 ]] || flag "$mode" "$1" "exit $STUDIO_RC ($(tail -n1 "$WORK_DIR/runs/soft-$mode-$1ms.err"))"
    done
}
declare -A SOFT_J SOFT_SRV SOFT_WALL

BUILD_TYPE=$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$BUILD_DIR/CMakeCache.txt" 2>/dev/null)
echo "Judge pipeline bench: $ITEMS items ($PROMPTS AlpacaEval prompts × ${#model_names[@]} models: ${MODELS//,/, }; joined on the prompt text)"
echo "  $CRITERIA rubric criteria, $VERDICTS verdicts per run; concurrency $CONCURRENCY; latencies ${LATENCIES// / and } ms; medians of $RUNS run(s)"
[[ $(jnum "$summary" dropped) == 0 ]] || echo "  ($(jnum "$summary" dropped) instructions passed over: a model has no output for them)"
echo "studio:    $CLI_EXE (${BUILD_TYPE:-unknown build type}), judge --mode joint --structured $STRUCTURED"
echo "server:    $SERVER_EXE"
echo "promptfoo: $([[ $PF_STATUS == ok ]] && echo "$PROMPTFOO_VERSION ($PF_REAL), node $(node --version)" || echo "not run: $PF_STATUS")"
echo "host:      $(nproc) CPUs, shared by server and client; load average at start: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
echo

for lat in $LATENCIES; do
    start_server "$lat"
    for run in $(seq 1 "$RUNS"); do
        run_studio "$lat" "$run"
        if [[ $PF_STATUS == ok ]]; then
            run_pf "$lat" "$run" write
            run_pf "$lat" "$run" no-write
        fi
        progress="  ${lat} ms run $run: wall"
        for t in studio pf-write pf-no-write; do
            [[ -n ${R[$t,$lat,wall]:-} ]] && progress+=" $t $(awk '{print $NF}' <<<"${R[$t,$lat,wall]}") s"
        done
        echo "$progress" >&2
    done
    [[ $SOFT == 1 && $lat == "$SOFT_LATENCY" ]] && run_soft "$lat"
    stop_server
done
if [[ $SOFT == 1 && " $LATENCIES " != *" $SOFT_LATENCY "* ]]; then
    start_server "$SOFT_LATENCY"
    run_soft "$SOFT_LATENCY"
    stop_server
fi

# --- table ------------------------------------------------------------------------------------
med() { median ${R[$1,$2,$3]:-}; }
distinct() { tr ' ' '\n' <<<"${R[$1,$2,$3]:-}" | sort -u | paste -sd/ -; }
label() {
    case $1 in
        studio) echo "studio judge" ;;
        pf-write) echo "promptfoo (stores results)" ;;
        pf-no-write) echo "promptfoo --no-write (ref.)" ;;
    esac
}
tools=(studio)
[[ $PF_STATUS == ok ]] && tools+=(pf-write pf-no-write)
echo "| latency | tool | wall s | CPU s | peak RSS MB | % of limit | wall vs studio | judge calls/run | grades read/run |"
echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
declare -A M
for lat in $LATENCIES; do
    limit=$(calc "$CONCURRENCY / ($lat / 1000)")
    for t in "${tools[@]}"; do
        M[$t,$lat,wall]=$(med "$t" "$lat" wall)
        M[$t,$lat,pct]=$(calc "$ITEMS / $limit / ${M[$t,$lat,wall]} * 100" "%.1f")
        M[$t,$lat,ratio]=$(calc "${M[$t,$lat,wall]} / ${M[studio,$lat,wall]}" "%.1f")
        printf '| %s ms | %s | %.2f | %.2f | %.0f | %s%% | %s× | %s | %s |\n' "$lat" "$(label "$t")" \
            "${M[$t,$lat,wall]}" "$(med "$t" "$lat" cpu)" "$(med "$t" "$lat" rss)" "${M[$t,$lat,pct]}" \
            "${M[$t,$lat,ratio]}" "$(distinct "$t" "$lat" srv_calls)" "$(distinct "$t" "$lat" read)"
    done
done
echo
echo "limit = concurrency ÷ latency: $(for lat in $LATENCIES; do printf '%s/s at %s ms\n' "$(calc "$CONCURRENCY / ($lat / 1000)" "%.0f")" "$lat"; done | paste -sd, - | sed 's/,/, /g')"
echo "% of limit = $ITEMS calls ÷ limit ÷ median wall (whole process, start-up included)."
echo "grades read: the studio's verdicts stored (of $VERDICTS); promptfoo's assertions graded (of $ITEMS)."
echo
echo "checks (server /stats per run: judge calls = items, same prompt tokens for both tools):"
for lat in $LATENCIES; do
    for t in "${tools[@]}"; do
        printf '  %4s ms %-28s prompt tokens %s; %s\n' "$lat" "$(label "$t"):" "$(distinct "$t" "$lat" srv_tokens)" \
            "${BAD[$t,$lat]:-ok: $ITEMS calls, every grade read, in every run}"
        [[ -n ${R[$t,$lat,blocked]:-} ]] && echo "           refused off-box requests (telemetry): $(distinct "$t" "$lat" blocked)"
    done
    if [[ $PF_STATUS == ok ]]; then
        st=$(distinct studio "$lat" srv_tokens) pt=$(distinct pf-write "$lat" srv_tokens)
        [[ $st == "$pt" && $st == $(distinct pf-no-write "$lat" srv_tokens) ]] \
            && echo "           same prompt tokens from both tools: the same prompts" \
            || echo "           PROMPT TOKENS DIFFER: the tools did not send the same prompts"
    fi
done
echo "commands (PROJECT: a fresh copy of $TEMPLATE; PORT: the server's):"
echo "  $(printf '%q ' "${JOINT_CMD[@]}" | sed -e "s#$WORK_DIR/runs/[^ ]*#PROJECT#" -e 's#127.0.0.1:[0-9]*#127.0.0.1:PORT#')"
[[ -n ${PF_CMD:-} ]] && echo "  $(printf '%q ' "${PF_CMD[@]}" | sed -e "s#$PF_REAL#promptfoo#" -e 's# --no-write##')(like-for-like; the reference row adds --no-write)"

if [[ $SOFT == 1 ]]; then
    echo
    echo "soft verdicts (once each at ${SOFT_LATENCY} ms, fresh projects; figures from judge --json):"
    echo "| mode | calls | cached | verdicts | failed | input tokens/verdict | cached input/verdict | output tokens/verdict | wall s |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    for mode in per-criterion probability; do
        j=${SOFT_J[$mode]:-}
        v=$(jnum "$j" verdicts)
        [[ -n $v && $v != 0 ]] || { echo "| $mode | no summary: ${BAD[$mode,$SOFT_LATENCY]:-see $WORK_DIR/runs} | | | | | | | |"; continue; }
        M[$mode,in]=$(calc "$(jnum "$j" input_tokens) / $v" "%.1f")
        printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$mode" "$(jnum "$j" calls)" "$(jnum "$j" cached)" "$v" "$(jnum "$j" failed)" \
            "${M[$mode,in]}" "$(calc "$(jnum "$j" cached_input_tokens) / $v" "%.1f")" \
            "$(calc "$(jnum "$j" output_tokens) / $v" "%.2f")" "${SOFT_WALL[$mode]}"
        [[ $(($(jnum "$j" calls) + $(jnum "$j" cached))) == "$VERDICTS" && $(jnum "$j" failed) == 0 && $v == "$VERDICTS" ]] \
            || flag "$mode" "$SOFT_LATENCY" "calls + cached differ from the $VERDICTS verdicts wanted, or calls failed"
        [[ $(jnum "$j" cached) == 0 ]] \
            || SOFT_NOTE+="  $mode: $(jnum "$j" cached) cached on a fresh project: requests byte-identical to earlier ones of the run (responses with the same text for one prompt)"$'\n'
        read -r sc stok <<<"${SOFT_SRV[$mode]}"
        SOFT_NOTE+="  $mode: the server saw $sc judge calls and $stok prompt tokens; ${BAD[$mode,$SOFT_LATENCY]:-no other requests}"$'\n'
    done
    printf '%s' "${SOFT_NOTE:-}"
fi

echo
echo "targets:"
verdict() { if [[ $(calc "($1) ? 1 : 0" "%d") == 1 ]]; then echo "met"; else echo "MISSED"; fi; }
target_pct() { # target_pct LATENCY PERCENT
    [[ -n ${M[studio,$1,pct]:-} ]] || { echo "  studio >= $2% of the limit at $1 ms: not measured"; return; }
    echo "  studio >= $2% of the limit at $1 ms: ${M[studio,$1,pct]}% -> $(verdict "${M[studio,$1,pct]} >= $2")"
}
target_pct 200 97
target_pct 20 85
if [[ -n ${M[pf-write,20,ratio]:-} ]]; then
    echo "  studio >= 20x promptfoo's wall time at 20 ms: ${M[pf-write,20,ratio]}x (--no-write: ${M[pf-no-write,20,ratio]}x) -> $(verdict "${M[pf-write,20,ratio]} >= 20")"
else
    echo "  studio >= 20x promptfoo's wall time at 20 ms: not measured (promptfoo: $PF_STATUS)"
fi
if [[ -n ${M[probability,in]:-} && -n ${M[per-criterion,in]:-} ]]; then
    soft_ratio=$(calc "${M[probability,in]} / ${M[per-criterion,in]}" "%.2f")
    echo "  soft cost per verdict <= 1.2x per-criterion (input tokens): ${soft_ratio}x -> $(verdict "$soft_ratio <= 1.2")"
fi
echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null) (a loaded host lowers every figure; CPU seconds vary less than wall time)"
echo "logs, projects and generated files: $WORK_DIR"
exit 0

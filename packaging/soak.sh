#!/usr/bin/env bash
# Crash-safety soak: import + judge run against the local LLM test server with 10% injected
# faults, SIGKILLed at random moments KILLS times (default 50) and resumed each time. At the end
# the verdict table must equal that of an uninterrupted run, and PRAGMA integrity_check is ok.
#   packaging/soak.sh [KILLS]       RS_BUILD=build dir (default build/), RS_SHARED_DATA=data
#   SOAK_FILES=N  AlpacaEval model files to import (default all ten: 8,049 responses x 3 criteria)
# Prints the figures (kills landing in import / judging, verdicts, resumes, wall time).
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
kills=${1:-50}
B=${RS_BUILD:-$here/build}
data=${RS_SHARED_DATA:-$here/../shared/data}
CLI=$B/app/rubric-studio-cli
SERVER=$(find "$B/tests/llmserver" -name rs-llm-test-server -type f | head -1)
[ -x "$CLI" ] && [ -x "$SERVER" ] || { echo "build rubric-studio-cli and rs-llm-test-server first"; exit 1; }
T=$(mktemp -d /tmp/rs-soak.XXXXXX)
SRV=
trap 'kill $SRV 2>/dev/null; rm -rf "$T"' EXIT
# Faults: every kind but stall (a stall costs a whole request timeout and proves nothing new here).
"$SERVER" --port 0 --fault-rate 0.1 --faults 429,500,503,reset,malformed,truncated,fenced \
  --retry-after 0 --seed 7 --latency-ms 50 >$T/srv.out 2>/dev/null & SRV=$!
for i in $(seq 50); do
  PORT=$(sed -n 's#.*listening on http://127.0.0.1:\([0-9]*\).*#\1#p' $T/srv.out | head -1)
  [ -n "$PORT" ] && break; sleep 0.1
done
[ -n "${PORT:-}" ] || { echo "test server did not start"; exit 1; }

files=$(ls "$data"/alpacaeval/*.json | grep -v annotations | head -n "${SOAK_FILES:-99}")
python3 - "$T/rubrics.jsonl" $files <<'PY'
import json, sys
prompts = sorted({r['instruction'] for f in sys.argv[2:] for r in json.load(open(f))})
crit = [{"criterion": "The response directly answers the question asked.", "weight": 3},
        {"criterion": "The response gives at least one concrete example.", "weight": 2},
        {"criterion": "The response is free of factual errors.", "weight": 1}]
with open(sys.argv[1], 'w') as out:
    for p in prompts:
        out.write(json.dumps({"prompt": p, "rubrics": crit}) + "\n")
PY
J=(--base-url "http://127.0.0.1:$PORT/v1" --model test-judge --retries 8 --timeout-ms 5000
   --concurrency 4)
count() { "$CLI" stats "$1" --json 2>/dev/null | python3 -c "import json,sys; print(json.load(sys.stdin)['$2'])" 2>/dev/null || echo -1; }

# One pass of the whole job; each step is skipped when an earlier pass finished it, so a
# killed pass is resumed by running the next one. Import is one transaction: all or nothing.
pass() {
  local p=$1
  [ -f "$p" ] || "$CLI" new "$p" >/dev/null 2>&1 || return 1
  [ "$(count "$p" responses)" -gt 0 ] || "$CLI" import "$p" $files >/dev/null 2>&1 || return 1
  [ "$(count "$p" rubrics)" -gt 0 ] || "$CLI" import "$p" "$T/rubrics.jsonl" --format rubrics >/dev/null 2>&1 || return 1
  "$CLI" judge "$p" "${J[@]}" >/dev/null 2>&1
}

start=$(date +%s)
pass "$T/full.rubrics"; rc=$?
while [ $rc -eq 3 ]; do pass "$T/full.rubrics"; rc=$?; done  # provider failures left: resume
[ $rc -eq 0 ] || { echo "uninterrupted run failed ($rc)"; exit 1; }
full_s=$(( $(date +%s) - start ))

P=$T/killed.rubrics
in_import=0; in_judge=0; done_early=0
for k in $(seq "$kills"); do
  pass "$P" & pid=$!
  # A random moment within the first ~2 s of a pass: early kills land in create/import.
  sleep "$(python3 -c "import random; print(round(random.uniform(0.05, 2.0), 3))")"
  if kill -0 $pid 2>/dev/null; then
    if [ "$(count "$P" responses)" -le 0 ] 2>/dev/null; then in_import=$((in_import + 1)); else in_judge=$((in_judge + 1)); fi
    pkill -9 -P $pid 2>/dev/null; kill -9 $pid 2>/dev/null
  else
    done_early=$((done_early + 1))
  fi
  wait $pid 2>/dev/null
done
resumes=0
while :; do pass "$P"; rc=$?; resumes=$((resumes + 1)); [ $rc -eq 3 ] || break; done
[ $rc -eq 0 ] || { echo "final resume failed ($rc)"; exit 1; }

q="SELECT r.text, v.stable_id, v.grading, v.verdict FROM verdicts v JOIN responses r ON r.id = v.response_id ORDER BY 1,2,3"
python3 - "$T/full.rubrics" "$P" "$q" <<'PY' || exit 1
import sqlite3, sys
a, b, q = sys.argv[1], sys.argv[2], sys.argv[3]
def table(p):
    c = sqlite3.connect(f"file:{p}?mode=ro", uri=True)
    ok = c.execute("PRAGMA integrity_check").fetchone()[0]
    rows = c.execute(q).fetchall()
    err = sum(1 for r in rows if r[3] == 'error')
    return ok, rows, err
oka, ra, ea = table(a)
okb, rb, eb = table(b)
print(f"integrity_check: uninterrupted={oka} killed={okb}")
print(f"verdicts: uninterrupted={len(ra)} killed+resumed={len(rb)} (error verdicts {ea}/{eb})")
if oka != 'ok' or okb != 'ok': sys.exit("integrity check failed")
if ra != rb: sys.exit("verdict tables differ")
print("verdict tables identical")
PY
"$CLI" scores "$T/full.rubrics" --json >$T/s1.json && "$CLI" scores "$P" --json >$T/s2.json
cmp -s $T/s1.json $T/s2.json || { echo "scores differ"; exit 1; }
echo "soak: $kills SIGKILLs ($in_import during create/import, $in_judge during judging, $done_early passes finished before the kill), $resumes final resume pass(es); uninterrupted run ${full_s}s, total $(( $(date +%s) - start ))s; scores identical"

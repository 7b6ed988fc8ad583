#!/usr/bin/env bash
# Builds the libFuzzer targets (preset "fuzz": clang, ASan + UBSan) and runs each for a fixed time.
#   packaging/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     (default 60 s, every target)
# Seeds: tests/fuzz/seeds plus small slices of /work/shared/data (RS_SHARED_DATA), cut at run
# time into build-fuzz/corpus, never copied into the repository. Crashes land in
# build-fuzz/artifacts/TARGET/; copy a reproducer into tests/fuzz/regressions/TARGET/ once fixed
# so ctest replays it. Prints one line per target: executions, corpus size, crashes.
# RS_FUZZ_JOBS=N runs N targets at once (default 1). Exit status 1 when any target crashed.
# RS_FUZZ_BUILD=DIR uses a build folder configured with RS_FUZZ=ON already (CI reuses its
# sanitizer build, preset asan, instead of compiling everything a second time).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-60}; shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(fuzz_import fuzz_fieldscanner fuzz_jsonextract fuzz_judgeanswer fuzz_wireprotocol fuzz_packdecode fuzz_batchoutput fuzz_httprequest)
data=${RS_SHARED_DATA:-$here/../shared/data}
build=${RS_FUZZ_BUILD:-$here/build-fuzz}
jobs=${RS_FUZZ_JOBS:-1}

cd "$here"
[ -f "$build/build.ninja" ] || [ -n "${RS_FUZZ_BUILD:-}" ] || cmake --preset fuzz >/dev/null
cmake --build "$build" --target "${targets[@]}" -- -j"${RS_FUZZ_BUILD_JOBS:-$(nproc)}" >/dev/null

corpus=$build/corpus
mkdir -p "$corpus"
for t in "${targets[@]}"; do
  mkdir -p "$corpus/$t" "$build/artifacts/$t"
  cp -n "$here/tests/fuzz/seeds/$t/"* "$corpus/$t/" 2>/dev/null || true
done
# Slices of the real data: a few records each, with the target's selector byte in front.
python3 - "$data" "$corpus" <<'PY'
import json, os, sys, glob
data, corpus = sys.argv[1], sys.argv[2]
def put(target, name, payload):
    d = os.path.join(corpus, target)
    if os.path.isdir(d):
        with open(os.path.join(d, 'data-' + name), 'wb') as f:
            f.write(payload)
for path in sorted(glob.glob(os.path.join(data, 'alpacaeval', '*.json')))[:4]:
    try:
        records = json.load(open(path))[:3]
    except Exception:
        continue
    body = json.dumps(records, indent=1).encode()
    base = os.path.basename(path)
    put('fuzz_import', base + '.auto', b'\x00' + body)
    put('fuzz_import', base + '.alpaca', b'\x01' + body)
    for i, r in enumerate(records):
        for key in ('raw_completion', 'output'):
            if isinstance(r.get(key), str):
                put('fuzz_jsonextract', f'{base}.{i}.{key}', r[key].encode()[:4096])
                put('fuzz_judgeanswer', f'{base}.{i}.{key}', r[key].encode()[:4096])
for path in sorted(glob.glob(os.path.join(data, 'healthbench', '*.jsonl'))):
    with open(path, 'rb') as f:
        lines = [f.readline() for _ in range(2)]
    put('fuzz_import', os.path.basename(path) + '.hb', b'\x04' + b''.join(lines))
    put('fuzz_fieldscanner', os.path.basename(path), lines[0].strip())
for path in sorted(glob.glob(os.path.join(data, 'healthbench', '*.json'))):
    put('fuzz_import', os.path.basename(path) + '.hb', b'\x04' + open(path, 'rb').read())
PY
demo=$here/resources/demo
[ -f "$demo/demo_rollouts.json" ] && { printf '\x02'; cat "$demo/demo_rollouts.json"; } > "$corpus/fuzz_import/demo-rollouts" || true
[ -f "$demo/demo_rubrics.jsonl" ] && { printf '\x05'; cat "$demo/demo_rubrics.jsonl"; } > "$corpus/fuzz_import/demo-rubrics" || true

run_one() {
  local t=$1 log=$build/artifacts/$1.log
  "$build/tests/fuzz/$t" "$corpus/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len=65536 -print_final_stats=1 -artifact_prefix="$build/artifacts/$t/" >"$log" 2>&1 || true
  local execs crashes
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  crashes=$(find "$build/artifacts/$t" -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' | wc -l)
  echo "$t: ${seconds}s, ${execs:-0} executions, corpus $(ls "$corpus/$t" | wc -l) inputs, $crashes crashes"
}
export -f run_one; export build corpus seconds
printf '%s\n' "${targets[@]}" | xargs -P "$jobs" -I{} bash -c 'run_one {}' | tee "$build/artifacts/summary.txt"
! grep -q ', [1-9][0-9]* crashes' "$build/artifacts/summary.txt"

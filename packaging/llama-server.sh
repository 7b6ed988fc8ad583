#!/usr/bin/env bash
# Builds llama.cpp's llama-server from the source that npm node-llama-cpp@3.21.1 bundles, caches
# it outside the repository, writes a tiny random-weight model, and optionally starts the server.
#
#   packaging/llama-server.sh            build once (about 9 min on 2 idle cores; 76 min niced on a
#                                        busy 2-core machine, 22 CPU-minutes), print the binary path
#   packaging/llama-server.sh --start [--port N] [--model FILE]
#                                        start it on 127.0.0.1; the first stdout line is
#                                        `listening on http://127.0.0.1:PORT`; Ctrl-C stops it
#
# Environment:
#   RS_LLAMA_CACHE     cache folder (default ${XDG_CACHE_HOME:-$HOME/.cache}/rubric-studio/llama.cpp)
#   RS_LLAMA_JOBS      parallel compile jobs (default 2; the build always runs under nice -n 19)
#   RS_TINY_GGUF_TOOL  make-tiny-gguf.mjs (default: ../shared/tools/ next to the project root)
#
# Why a git bundle from npm: no registry here serves llama.cpp's source or model weights, but
# node-llama-cpp ships a pinned llama.cpp release as llama/gitRelease.bundle. `npm pack` fetches
# the package tarball without running its install scripts (which would try to download
# prebuilt binaries).
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
cache=${RS_LLAMA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rubric-studio/llama.cpp}
jobs=${RS_LLAMA_JOBS:-2}
tool=${RS_TINY_GGUF_TOOL:-$here/../shared/tools/make-tiny-gguf.mjs}
package=node-llama-cpp@3.21.1
bin=$cache/bin/llama-server
model=$cache/models/tiny-random-llama.gguf

start=0
port=0
while [ $# -gt 0 ]; do
  case $1 in
    --start) start=1 ;;
    --port) port=${2:?--port needs a value}; shift ;;
    --model) model=${2:?--model needs a file}; shift ;;
    -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "llama-server.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

# Missing Debian packages, installed the way packaging/install-deps.sh does (idempotent).
install_missing() {
  local missing=() p
  for p in build-essential cmake git nodejs npm curl python3; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' && continue
    # node and npm may come from elsewhere than Debian (nodesource, nvm): a working command is enough.
    case $p in nodejs) command -v node >/dev/null && continue ;; npm | curl | python3) command -v "$p" >/dev/null && continue ;; esac
    missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "installing: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

build_server() {
  local npmdir=$cache/npm src=$cache/src t0 t1
  mkdir -p "$npmdir" "$cache/bin"
  t0=$(date +%s)
  if [ ! -f "$npmdir/package/llama/gitRelease.bundle" ]; then
    echo "fetching $package" >&2
    (cd "$npmdir" && npm pack --silent "$package" >/dev/null &&
      tar -xzf node-llama-cpp-3.21.1.tgz package/llama/gitRelease.bundle)
  fi
  # A half-finished clone from an interrupted run is started again rather than trusted.
  if [ ! -f "$src/.rs-cloned" ]; then
    rm -rf "$src"
    git -c advice.detachedHead=false clone --quiet "$npmdir/package/llama/gitRelease.bundle" "$src"
    touch "$src/.rs-cloned"
  fi
  # Static libraries, so the one cached binary runs without the build tree next to it.
  # CURL off: the server never downloads models here.
  nice -n 19 cmake -S "$src" -B "$src/build" -DCMAKE_BUILD_TYPE=Release -DLLAMA_CURL=OFF \
    -DBUILD_SHARED_LIBS=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF \
    -DLLAMA_BUILD_SERVER=ON >"$cache/cmake.log" 2>&1 ||
    { tail -20 "$cache/cmake.log" >&2; exit 1; }
  nice -n 19 cmake --build "$src/build" --target llama-server -j "$jobs" >"$cache/build.log" 2>&1 ||
    { tail -30 "$cache/build.log" >&2; exit 1; }
  # Copied, then renamed: a concurrent run never sees a half-written binary.
  cp "$src/build/bin/llama-server" "$bin.tmp"
  mv "$bin.tmp" "$bin"
  t1=$(date +%s)
  echo "built in $((t1 - t0)) s" | tee "$cache/build-time.txt" >&2
}

make_model() {
  [ -s "$model" ] && return 0
  [ -f "$tool" ] || { echo "llama-server.sh: $tool not found (set RS_TINY_GGUF_TOOL)" >&2; exit 1; }
  mkdir -p "$(dirname "$model")"
  node "$tool" "$model.tmp" >&2
  mv "$model.tmp" "$model"
}

if [ ! -x "$bin" ]; then
  install_missing
  build_server
fi
make_model

if [ $start -eq 0 ]; then
  echo "$bin"
  echo "model: $model" >&2
  exit 0
fi

if [ "$port" = 0 ]; then
  # llama-server cannot report an OS-chosen port, so a free one is picked first; the short race
  # with another process taking it in between is accepted for a test fixture.
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
fi
mkdir -p "$cache/logs"
log=$cache/logs/llama-server-$port.log
"$bin" -m "$model" --host 127.0.0.1 --port "$port" -c 8192 >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null' EXIT INT TERM
# /health answers 503 while the model loads and 200 once requests can be served.
healthy=0
for _ in $(seq 1 600); do
  if ! kill -0 $pid 2>/dev/null; then
    echo "llama-server.sh: the server exited, see $log" >&2
    tail -5 "$log" >&2
    exit 1
  fi
  if curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1; then
    healthy=1
    break
  fi
  sleep 0.1
done
if [ $healthy -eq 0 ]; then
  echo "llama-server.sh: no healthy server after 60 s, see $log" >&2
  exit 1
fi
echo "listening on http://127.0.0.1:$port"
echo "log: $log" >&2
wait $pid

// Preloaded into promptfoo's Node process by run_llm_bench.sh (NODE_OPTIONS=--require ...).
// promptfoo itself is not modified.
//
// 1. Timing: listens on undici's diagnostics channels (Node's built-in fetch and the undici
//    package both publish there) and, at exit, writes to $RS_BENCH_PF_TIMING one JSON line:
//    the time of the first request to the test server ($RS_BENCH_PF_ORIGIN), the end of the
//    last response from it, and counts. Startup (module loading, config and test parsing) and
//    the report afterwards fall outside that window, so calls/s computed from it is
//    promptfoo's best case.
// 2. Offline guard: with RS_BENCH_PF_OFFLINE=1, a fetch() to any other origin is refused
//    before it leaves the process and counted under blocked_origins. promptfoo 0.118 posts a
//    "telemetry disabled" event to ka.promptfoo.app and r.promptfoo.app even with
//    PROMPTFOO_DISABLE_TELEMETRY=1; it ignores the failure.
'use strict';
const dc = require('node:diagnostics_channel');
const fs = require('node:fs');
const { performance } = require('node:perf_hooks');

const out = process.env.RS_BENCH_PF_TIMING;
const origin = (process.env.RS_BENCH_PF_ORIGIN || '').replace(/\/+$/, '');
const offline = process.env.RS_BENCH_PF_OFFLINE === '1';

const t = {
  created: 0,
  completed: 0,
  errors: 0,
  first_request_ms: null,
  last_done_ms: null,
  other_origins: {},
  blocked_origins: {},
};
const ours = (o) => String(o).replace(/\/+$/, '') === origin;

if (offline && typeof globalThis.fetch === 'function') {
  const realFetch = globalThis.fetch;
  globalThis.fetch = function guardedFetch(input, init) {
    let target = '';
    try {
      target = new URL(typeof input === 'string' || input instanceof URL ? input : input.url).origin;
    } catch {
      target = '';
    }
    if (target && !ours(target)) {
      t.blocked_origins[target] = (t.blocked_origins[target] || 0) + 1;
      return Promise.reject(new TypeError(`offline benchmark: request to ${target} refused`));
    }
    return realFetch.call(this, input, init);
  };
}

if (out) {
  dc.subscribe('undici:request:create', ({ request }) => {
    if (!ours(request.origin)) {
      const o = String(request.origin);
      t.other_origins[o] = (t.other_origins[o] || 0) + 1;
      return;
    }
    if (t.first_request_ms === null) t.first_request_ms = performance.now();
    t.created++;
  });
  dc.subscribe('undici:request:trailers', ({ request }) => {
    if (!ours(request.origin)) return;
    t.last_done_ms = performance.now();
    t.completed++;
  });
  dc.subscribe('undici:request:error', ({ request }) => {
    if (!ours(request.origin)) return;
    t.last_done_ms = performance.now();
    t.errors++;
  });
  process.on('exit', () => {
    t.exit_ms = performance.now();
    t.http_window_s =
      t.first_request_ms !== null && t.last_done_ms !== null
        ? (t.last_done_ms - t.first_request_ms) / 1000
        : null;
    try {
      fs.writeFileSync(out, JSON.stringify(t) + '\n');
    } catch (e) {
      process.stderr.write(`timing-hook: cannot write ${out}: ${e}\n`);
    }
  });
}

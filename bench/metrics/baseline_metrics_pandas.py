#!/usr/bin/python3
"""The project-level metrics of rubric-studio-cli metrics, written with pandas.

The second baseline for bench/metrics/run_metrics_bench.sh, next to baseline_metrics.py: the same
definitions as core/analytics (docs/analytics.md) the way a researcher would write them with
pandas -- tables read with pandas.read_sql, then merge / groupby / vectorised columns -- over
the same project file. Run it with Debian's interpreter and python3-pandas (/usr/bin/python3).
Prints one JSON line with the same keys as baseline_metrics.py, plus "metrics": every estimate
that `metrics --json` bootstraps, under the same key and with the same fields (value, n, ci_low,
ci_high), and "best_of_n" with by_rubric_ci / by_gold_ci, as the C++ JSON has them.

Intervals (issue 15) as core/analytics/clusterbootstrap.cpp computes them: a bootstrap over
prompts, B replicates (--bootstrap, 1000; 0 = none) seeded by --seed (1). Replicate b draws P
prompts with replacement from the same SplitMix64 sequence as the C++, so the intervals match
the studio's to rounding. Every statistic is computed on the same replicates from per-prompt
sums (ratio statistics: Σ w·num / Σ w·den), pooled Spearman and AUC exactly on the resample (a
prompt drawn w times contributes its items w times: weighted average ranks, which equal the
ranks of the repeated rows), 95% interval = 2.5% / 97.5% quantiles (linear, numpy's default) of
the replicates where the statistic is defined, none when fewer than half define it. Not here:
run-vs-run agreement and kappa, and judge-vs-human kappa (the bench project has one run with
one grading and no labels).

Like baseline_metrics.py, verdicts and overrides are joined to criteria by stable id (the
studio joins by content hash; in a project judged once with unchanged rubrics the two agree).
Where baseline_metrics.py simplifies, this script follows the C++: the first rubric of a prompt,
'points' scoring, preferences clamped to [0, 1], tiers compared case-insensitively.

    baseline_metrics_pandas.py PROJECT [--runs N] [--bootstrap B] [--seed S]
"""
import argparse
import json
import sqlite3
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
        curve.append(per_prompt)  # per prompt with >= N responses; the point is its mean
    return curve


def spearman_within(frame, x, y):
    """Spearman(x, y) within each prompt of `frame`, where defined (>= 3 responses, neither side
    constant): average ranks per prompt, then Pearson from centred sums."""
    by = frame["prompt"]
    rx, ry = frame.groupby("prompt")[x].rank(), frame.groupby("prompt")[y].rank()
    dx, dy = rx - rx.groupby(by).transform("mean"), ry - ry.groupby(by).transform("mean")
    s = pd.DataFrame({"n": 1, "sxy": dx * dy, "sxx": dx * dx, "syy": dy * dy}).groupby(by).sum()
    s = s[(s["n"] >= 3) & (s["sxx"] > 0) & (s["syy"] > 0)]
    return s["sxy"] / np.sqrt(s["sxx"] * s["syy"])


# --- the cluster bootstrap over prompts ---------------------------------------------------------

MASK64 = (1 << 64) - 1
GOLDEN = 0x9E3779B97F4A7C15


def splitmix_next(state):
    """One SplitMix64 step on Python ints: (new state, output), as core/common/splitmix.h."""
    state = (state + GOLDEN) & MASK64
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
    return state, z ^ (z >> 31)


def replicate_draws(clusters, seed, replicate):
    """The clusters drawn by replicate `replicate`: generatorFor(seed, b) of clusterbootstrap.cpp
    (SplitMix64 seeded with the first output of SplitMix64(seed ^ K·(b+1))), then `clusters`
    draws below(clusters) = multiply-high of next() by clusters. Vectorised with uint64 arrays,
    which wrap modulo 2^64 as the C++ does; the 128-bit product is split in 32-bit halves."""
    _, start = splitmix_next((seed ^ (0xD1B54A32D192ED03 * (replicate + 1))) & MASK64)
    u64 = np.uint64
    z = u64(start) + np.arange(1, clusters + 1, dtype=np.uint64) * u64(GOLDEN)
    z = (z ^ (z >> u64(30))) * u64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> u64(27))) * u64(0x94D049BB133111EB)
    z = z ^ (z >> u64(31))
    n = u64(clusters)
    t = (z >> u64(32)) * n + (((z & u64(0xFFFFFFFF)) * n) >> u64(32))
    return (t >> u64(32)).astype(np.int64)


class TieGroups:
    """Items grouped by equal value, groups in ascending order: weighted average ranks (an item
    of weight w stands for w tied copies) without re-sorting in every replicate."""

    def __init__(self, values):
        values = np.asarray(values, dtype=float)
        order = np.argsort(values, kind="stable")
        s = values[order]
        sorted_group = np.cumsum(np.r_[True, s[1:] != s[:-1]]) - 1 if len(s) else s.astype(int)
        self.group = np.empty(len(values), dtype=np.int64)
        self.group[order] = sorted_group
        self.groups = int(sorted_group[-1]) + 1 if len(s) else 0

    def ranks(self, weight):
        tied = np.bincount(self.group, weights=weight, minlength=self.groups)
        return (np.cumsum(tied) - tied + (tied + 1) / 2)[self.group]


def weighted_spearman(w, rx, ry):
    total = w.sum()
    if total < 3:
        return np.nan
    dx, dy = rx - (w @ rx) / total, ry - (w @ ry) / total
    sxx, syy = w @ (dx * dx), w @ (dy * dy)
    if sxx <= 0 or syy <= 0:
        return np.nan
    return (w @ (dx * dy)) / np.sqrt(sxx * syy)


def percentile_interval(values, level=0.95):
    """2.5% / 97.5% quantiles (linear interpolation, numpy's default and stats::quantile's) of
    the defined replicates; None when fewer than half of them are defined."""
    v = np.sort(values[np.isfinite(values)])
    if len(v) == 0 or 2 * len(v) < len(values):
        return None
    tail = (1 - level) / 2

    def quantile(q):
        h = (len(v) - 1) * min(max(q, 0.0), 1.0)
        lo = int(np.floor(h))
        hi = min(lo + 1, len(v) - 1)
        return float(v[lo] + (h - lo) * (v[hi] - v[lo]))
    return quantile(tail), quantile(1 - tail)


class ClusterBootstrap:
    """The statistics registered with per-prompt data, then computed on every replicate."""

    def __init__(self, prompts):
        self.cluster_of = pd.Series(np.arange(len(prompts)), index=prompts)
        self.P = len(prompts)
        self.ratios = []   # (num, den) per cluster
        self.items = []    # (cluster of each item, {values id: TieGroups})
        self.ranked = []   # ("spearman", items, x, y) or ("auc", items, x, is_a)

    def _clusters(self, prompts):
        return self.cluster_of.reindex(np.asarray(prompts)).to_numpy()

    def ratio(self, num, den):
        """Σ w·num / Σ w·den over prompts; num and den are Series indexed by prompt."""
        c, d = self._clusters(num.index), self._clusters(den.index)
        keep_c, keep_d = ~np.isnan(c), ~np.isnan(d)
        self.ratios.append((
            np.bincount(c[keep_c].astype(np.int64), weights=num.to_numpy(float)[keep_c], minlength=self.P),
            np.bincount(d[keep_d].astype(np.int64), weights=den.to_numpy(float)[keep_d], minlength=self.P)))
        return ("ratio", len(self.ratios) - 1)

    def item_set(self, prompts):
        c = self._clusters(prompts)  # a prompt without responses weighs nothing (column P)
        self.items.append((np.where(np.isnan(c), self.P, c).astype(np.int64), {}))
        return len(self.items) - 1

    def _groups(self, items, name, values):
        groups = self.items[items][1]
        if name not in groups:  # one sort per column, shared by the statistics that rank it
            groups[name] = TieGroups(values)
        return name

    def spearman(self, items, x_name, x, y_name, y):
        self.ranked.append(("spearman", items, self._groups(items, x_name, x), self._groups(items, y_name, y)))
        return ("ranked", len(self.ranked) - 1)

    def auc(self, items, x_name, x, is_a):
        self.ranked.append(("auc", items, self._groups(items, x_name, x), np.asarray(is_a, dtype=bool)))
        return ("ranked", len(self.ranked) - 1)

    def run(self, replicates, seed):
        B, P = replicates, self.P
        counts = np.zeros((B, P + 1))
        for b in range(B):
            counts[b, :P] = np.bincount(replicate_draws(P, seed, b), minlength=P)
        self.values = {}
        if self.ratios:
            num = counts[:, :P] @ np.column_stack([n for n, _ in self.ratios])
            den = counts[:, :P] @ np.column_stack([d for _, d in self.ratios])
            with np.errstate(divide="ignore", invalid="ignore"):
                ratio = np.where(den > 0, num / den, np.nan)
            for s in range(len(self.ratios)):
                self.values[("ratio", s)] = ratio[:, s]
        ranked = np.full((B, len(self.ranked)), np.nan)
        ranked_columns = {(items, c) for kind, items, x, y in self.ranked if kind == "spearman"
                          for c in (x, y)}
        for b in range(B):
            # An item weighs as often as its prompt was drawn.
            weights = [counts[b][cl] for cl, _ in self.items]
            ranks = [{name: g.ranks(weights[i]) for name, g in groups.items() if (i, name) in ranked_columns}
                     for i, (_, groups) in enumerate(self.items)]
            for s, (kind, items, x, y) in enumerate(self.ranked):
                w, r = weights[items], ranks[items]
                if kind == "spearman":
                    ranked[b, s] = weighted_spearman(w, r[x], r[y])
                else:  # P(an A exceeds a B), ties 1/2, from tie groups in ascending order
                    g = self.items[items][1][x]
                    wa = np.bincount(g.group, weights=np.where(y, w, 0.0), minlength=g.groups)
                    wb = np.bincount(g.group, weights=np.where(y, 0.0, w), minlength=g.groups)
                    ta, tb = wa.sum(), wb.sum()
                    if ta > 0 and tb > 0:
                        ranked[b, s] = wa @ (np.cumsum(wb) - wb + wb / 2) / (ta * tb)
        for s in range(len(self.ranked)):
            self.values[("ranked", s)] = ranked[:, s]

    def interval(self, statistic):
        return percentile_interval(self.values[statistic]) if hasattr(self, "values") else None


def compute(path, replicates=1000, seed=1):
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
    cells["flipped"] = (cells["yes"] > 0) & (cells["no"] > 0)
    cells["repeated"] = cells["yes"] + cells["no"] >= 2
    flips, repeated = int(cells["flipped"].sum()), int(cells["repeated"].sum())

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
    gold = read("SELECT prompt_id AS prompt, response_a AS a, response_b AS b, preference AS p"
                " FROM preferences WHERE preference IS NOT NULL ORDER BY id")
    gold = gold[gold["a"].isin(resp.index) & gold["b"].isin(resp.index)].reset_index(drop=True)
    gold["p"] = gold["p"].clip(0.0, 1.0)
    shares = pd.DataFrame({"id": np.column_stack([gold["a"], gold["b"]]).ravel(),
                           "share": np.column_stack([1 - gold["p"], gold["p"]]).ravel()})
    resp["gold"] = shares.groupby("id")["share"].mean()

    # Every statistic the studio gives an interval, as (value, n, bootstrap statistic), built from
    # per-prompt sums; clusters are the prompts in response-id order, the C++ cluster order.
    boot = ClusterBootstrap(pd.unique(resp["prompt"]))
    est = {}

    def ratio(key, num, den):
        """Σ num / Σ den over prompts (num, den: Series by prompt); undefined without a den."""
        total = float(den.sum())
        est[key] = (float(num.sum()) / total, total, boot.ratio(num, den)) if total > 0 else None

    def ones(index):
        return pd.Series(1.0, index=index)

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
    for name, tiers in (("high", HIGH), ("low", LOW), ("all", None)):
        both = ta["tier"].isin(tiers) & ta["tier_b"].isin(tiers) if tiers else ta["p"].notna()
        if name != "all":
            out[f"tail_accuracy_{name}"] = float(credit[both].mean()) if both.any() else None
        by = credit[both].groupby(ta.loc[both, "prompt"])
        ratio(f"tail_accuracy_{name}", by.sum(), by.size())

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
    ratio("top_tier_auc", u["rank_sum"] - u["na"] * (u["na"] + 1) / 2, (u["na"] * u["nb"]).astype(float))
    # The same AUC pooled over prompts: the studio's top_tier_auc_pooled.
    na, nb = int(ab["is_a"].sum()), int(ab["is_b"].sum())
    est["top_tier_auc_pooled"] = None
    if na and nb:
        rank = ab["reward"].rank(method="average")
        est["top_tier_auc_pooled"] = (
            float((rank[ab["is_a"]].sum() - na * (na + 1) / 2) / (na * nb)), na * nb,
            boot.auc(boot.item_set(ab["prompt"]), "reward", ab["reward"], ab["is_a"]))

    # The top-k of each prompt with >= 2 scored responses, best first, equal rewards by id.
    ranked = scored.reset_index().sort_values(["prompt", "reward", "id"], ascending=[True, False, True])
    ranked["pos"] = ranked.groupby("prompt").cumcount()
    ranked = ranked[ranked.groupby("prompt")["id"].transform("size") >= 2]
    best = ranked.pivot(index="prompt", columns="pos", values="reward")
    out["top_k_tie_rate"] = float((best[0] == best[1]).mean()) if len(best) else None
    top = ranked[ranked["pos"] < max(2, TOP_K)]
    # Tie rate, and the spread: the best reward minus the k-th (the last when fewer).
    tied = (best[0] == best[1]).astype(float) if len(best) else pd.Series(dtype=float)
    ratio("top_k_tie_rate", tied, ones(tied.index))
    ends = top.groupby("prompt")["reward"].agg(["first", "last"])
    ratio("top_k_spread", ends["first"] - ends["last"], ones(ends.index))
    # Dead criteria: among a prompt's top-k with a verdict (>= 2), all pass or all fail.
    top_cells = cells.merge(top[["id"]], left_on="response_id", right_on="id")
    dead = (top_cells.assign(yes=top_cells["met"] == 1, no=top_cells["met"] == 0)
            .groupby(["prompt", "stable_id"])[["yes", "no"]].sum())
    dead = dead[dead["yes"] + dead["no"] >= 2]
    out["dead_criteria"] = int(((dead["yes"] == 0) | (dead["no"] == 0)).sum()) if len(dead) else None

    # Per-criterion yes-rate by tier and the mean gap (discrimination) over criteria with both tiers.
    judged = cells[cells["met"].notna()].join(resp["tier"], on="response_id")
    rates = judged.groupby(["prompt", "stable_id", "tier"])["met"].mean().unstack("tier")
    est["discrimination_gap"] = None
    if {TIER_A, TIER_B} <= set(rates):
        gap = (rates[TIER_A] - rates[TIER_B]).dropna()
        by = gap.groupby(level="prompt")
        ratio("discrimination_gap", by.sum(), by.size())

    # Style: pooled Spearman over scored responses (reward side) and gold pairs (gold side), and
    # within prompt (the mean over prompts of each prompt's own rho).
    out["reward_length_spearman"] = spearman(scored["reward"], scored["length"])
    responses_items = boot.item_set(scored["prompt"])
    gold_items = boot.item_set(gold["prompt"])
    length = resp["length"]
    out["gold_length_spearman"] = spearman(
        gold["p"], length.loc[gold["b"]].to_numpy() - length.loc[gold["a"]].to_numpy())
    for feature in ("length", "bullets", "headers"):
        rho = spearman(scored["reward"], scored[feature])
        est[f"reward_{feature}_spearman"] = None if rho is None else (
            rho, len(scored), boot.spearman(responses_items, "reward", scored["reward"], feature, scored[feature]))
        diff = resp[feature].loc[gold["b"]].to_numpy() - resp[feature].loc[gold["a"]].to_numpy()
        rho = spearman(gold["p"], diff)
        est[f"gold_{feature}_spearman"] = None if rho is None else (
            rho, len(gold), boot.spearman(gold_items, "p", gold["p"], feature, diff))
        within = spearman_within(scored, "reward", feature)
        ratio(f"reward_{feature}_spearman_within", within, ones(within.index))

    out["flip_rate"] = flips / repeated if repeated else None
    by = cells.groupby("prompt")[["flipped", "repeated"]].sum()
    ratio("flip_rate", by["flipped"].astype(float), by["repeated"].astype(float))

    items = scored.loc[scored["gold"].notna(), ["prompt", "reward", "gold"]]
    by_rubric = best_of_n(items, "reward", MAX_N)
    by_gold = best_of_n(items.assign(key=items["gold"]), "key", MAX_N)  # the ceiling
    out["best_of_16_by_rubric"] = float(by_rubric[-1].mean()) if by_rubric else None
    curve = [(n, r, boot.ratio(r, ones(r.index)), g, boot.ratio(g, ones(g.index)))
             for n, (r, g) in enumerate(zip(by_rubric, by_gold), start=1)]
    db.close()

    if replicates > 0 and boot.P > 0:
        boot.run(replicates, seed)

    def interval(statistic):
        return boot.interval(statistic) if replicates > 0 and boot.P > 0 else None

    def entry(e):
        if e is None:
            return None
        ci = interval(e[2])
        return {"value": float(e[0]), "n": int(e[1]),
                "ci_low": ci[0] if ci else None, "ci_high": ci[1] if ci else None}
    out["metrics"] = {key: entry(e) for key, e in est.items()}
    out["best_of_n"] = [{"n": n, "by_rubric": float(r.mean()), "by_rubric_ci": interval(rs),
                         "by_gold": float(g.mean()), "by_gold_ci": interval(gs)}
                        for n, r, rs, g, gs in curve]
    return out


def main():
    cli = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    cli.add_argument("project")
    cli.add_argument("--runs", type=int, default=1)
    cli.add_argument("--bootstrap", type=int, default=1000, help="replicates over prompts (0: none)")
    cli.add_argument("--seed", type=int, default=1)
    args = cli.parse_args()
    seconds, out = [], None
    for _ in range(max(1, args.runs)):
        t0 = time.perf_counter()
        out = compute(args.project, args.bootstrap, args.seed)
        seconds.append(time.perf_counter() - t0)
    out.update({"bootstrap": args.bootstrap, "seed": args.seed, "seconds": seconds,
                "best": min(seconds), "median": sorted(seconds)[len(seconds) // 2]})
    print(json.dumps(out))


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Data for the reward-server benchmark: a GRPO-shaped burst, generated offline.

    gen_serve_data.py OUT_DIR [--prompts 512] [--responses 8] [--criteria 5] [--seed 1]
                      [--labels hash|none]

Writes, into OUT_DIR:
  rubrics.jsonl    one line per prompt, {"prompt", "rubrics": [{"criterion", "weight"}]}: the
                   studio imports it (`import --format rubrics`, which also creates the prompts)
                   and the baseline server loads it. No responses, no verdicts: the policy's
                   responses reach the servers only through the requests.
  requests.jsonl   one OpenRLHF /get_reward body per line, one sample each, as current
                   OpenRLHF posts them: {"query": [rendered prompt + response + <|im_end|>],
                   "prompts": [rendered prompt], "labels": [prompt hash, or "" with
                   --labels none]}. Prompt-major order (a group's 8 responses are adjacent), as a
                   trainer sends a step's rollouts.
  expected.txt     the reward each request must get, one per line, computed here from the
                   test judge's rules (tests/llmserver/README.md, "Judge"), independently of
                   both servers.
  summary.json     counts.

Criteria are written so the test judge decides them by its rules: 'mentions "TERM"'
(case-insensitive substring), 'at least N words' (len(text.split()) >= N), and one criterion
with neither (yes iff the word count is even). Seeded: the same options give the same files.
"""
import argparse
import hashlib
import json
import os
import random
import sys

SYSTEM = "You are a helpful assistant."
# Qwen2.5's chat template, the most common in GRPO recipes.
RENDER = "<|im_start|>system\n{system}<|im_end|>\n<|im_start|>user\n{prompt}<|im_end|>\n<|im_start|>assistant\n"
END_OF_TURN = "<|im_end|>"


def make_vocabulary(rng, n):
    """Pronounceable pseudo-words of 2-4 syllables, unique, at least 5 letters."""
    onsets = ["b", "c", "d", "f", "g", "l", "m", "n", "p", "r", "s", "t", "v", "br", "st", "tr"]
    vowels = ["a", "e", "i", "o", "u", "ai", "ou"]
    words, seen = [], set()
    while len(words) < n:
        w = "".join(rng.choice(onsets) + rng.choice(vowels) for _ in range(rng.randint(2, 4)))
        if len(w) >= 5 and w not in seen:
            seen.add(w)
            words.append(w)
    return words


def judge_verdict(criterion, response):
    """The test judge's rule for one criterion (first rule that applies)."""
    words = len(response.split())
    if '"' in criterion:
        term = criterion.split('"')[1]
        return term.lower() in response.lower()
    low = criterion.lower()
    if "at least " in low:
        n = int(low.split("at least ")[1].split()[0])
        return words >= n
    return words % 2 == 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--prompts", type=int, default=512)
    ap.add_argument("--responses", type=int, default=8)
    ap.add_argument("--criteria", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--labels", choices=["hash", "none"], default="hash")
    a = ap.parse_args()
    if a.criteria < 3:
        sys.exit("gen_serve_data: --criteria must be at least 3")
    rng = random.Random(a.seed)
    vocab = make_vocabulary(rng, 4000)
    filler = ["the", "a", "of", "and", "to", "in", "is", "that", "for", "with", "as", "on"]
    os.makedirs(a.out, exist_ok=True)
    terms_per_rubric = a.criteria - 2
    total_bytes = 0
    with open(os.path.join(a.out, "rubrics.jsonl"), "w") as rub, \
            open(os.path.join(a.out, "requests.jsonl"), "w") as req, \
            open(os.path.join(a.out, "expected.txt"), "w") as exp:
        for p in range(a.prompts):
            topic = rng.sample(vocab, 12)
            body = " ".join(rng.choice(topic + filler) for _ in range(rng.randint(25, 70)))
            prompt = f"Question {p + 1}. Explain {topic[0]} and {topic[1]}: {body}."
            terms = topic[:terms_per_rubric]
            criteria = [(f'The response mentions "{t}".', rng.randint(1, 3)) for t in terms]
            criteria.append((f"The response is at least {rng.randint(8, 36) * 10} words long.", 2))
            criteria.append(("The response is well organised.", 1))
            rub.write(json.dumps({"prompt": prompt,
                                  "rubrics": [{"criterion": c, "weight": w} for c, w in criteria]},
                                 ensure_ascii=False) + "\n")
            rendered = RENDER.format(system=SYSTEM, prompt=prompt)
            label = hashlib.sha256(prompt.encode()).hexdigest() if a.labels == "hash" else ""
            seen = set()
            for _ in range(a.responses):
                # A policy's answers to one prompt: different lengths, some terms used or not.
                while True:
                    n = rng.randint(60, 380)
                    pool = topic + filler * 3 + rng.sample(vocab, 20)
                    words = [rng.choice(pool) for _ in range(n)]
                    for t in terms:
                        if rng.random() < 0.5:
                            words = [w for w in words if w != t]
                    response = " ".join(words)
                    if response not in seen:
                        seen.add(response)
                        break
                verdicts = [judge_verdict(c, response) for c, _ in criteria]
                reward = sum(w * v for (_, w), v in zip(criteria, verdicts)) / sum(w for _, w in criteria)
                line = json.dumps({"query": [rendered + response + END_OF_TURN],
                                   "prompts": [rendered], "labels": [label]},
                                  ensure_ascii=False, separators=(",", ":"))
                total_bytes += len(line) + 1
                req.write(line + "\n")
                exp.write(repr(reward) + "\n")
    summary = {"prompts": a.prompts, "responses_per_prompt": a.responses,
               "requests": a.prompts * a.responses, "criteria": a.criteria,
               "labels": a.labels, "request_bytes_mean": round(total_bytes / max(1, a.prompts * a.responses))}
    with open(os.path.join(a.out, "summary.json"), "w") as f:
        json.dump(summary, f)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()

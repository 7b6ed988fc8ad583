#!/usr/bin/env python3
"""Writes a deterministic JSONL file of N responses over P prompts for the import benchmark.

Each line is {"prompt", "response", "generator", "tier"}. Responses are ~1.4 KB of
Markdown-ish text with non-ASCII words, quotes, backslashes and newlines, so JSON parsing and
UTF-8 handling do real work. Records of one prompt are spread over the file (record i belongs
to prompt i % P), and generators rotate per prompt, as in a file concatenated from several
generation runs. Every 7th record is written with ensure_ascii=True, so \\uXXXX escapes
(including surrogate pairs) appear too.

A sidecar FILE.meta.json records what an import must produce (prompts, responses, empty
responses, generators), so the benchmark can check the counts.

Python standard library only.
"""

import argparse
import json
import os
import random
import sys

GENERATORS = [
    "gpt-4o-2024-08-06", "claude-3-5-sonnet", "llama-3.1-70b-instruct", "mistral-large-2407",
    "qwen2.5-72b-instruct", "gemma-2-27b-it", "deepseek-v2.5", "command-r-plus",
    "phi-3.5-moe", "yi-1.5-34b-chat", "mixtral-8x22b", "llama-3.1-8b-instruct",
    "policy-sft-step-1200", "policy-dpo-step-800", "policy-rl-step-400", "reference-human",
]
TIERS = ["great", "good", "ok", "bad"]

BASE_WORDS = (
    "the of and to in is that for it as with was on be by this are or from at an which "
    "model answer response question should would could however therefore because example "
    "first second finally consider important note result value function data system user "
    "approach method step process analysis evidence source claim reason context detail "
    "patient dose treatment symptom risk benefit study trial guideline recommend avoid "
    "code compile error memory thread lock queue buffer parse token string integer vector "
    "market price cost revenue growth policy law contract clause party obligation notice "
    "history century empire trade route river mountain climate rainfall harvest village "
    "quantum energy particle field wave measure observe theory experiment constant matrix"
).split()
UNICODE_WORDS = [
    "naïve", "café", "Größe", "façade", "über", "déjà-vu", "jalapeño", "smörgåsbord",
    "Zürich", "São Paulo", "Łódź", "Ελλάδα", "Москва", "東京", "北京", "서울", "हिन्दी",
    "العربية", "שלום", "→", "≤", "≥", "±", "µg", "°C", "€", "£", "—", "…", "✓", "😀", "🚀",
    "𝔸𝕝𝕘𝕖𝕓𝕣𝕒",
]
QUOTY_WORDS = [
    '"quoted"', "'single'", "“curly”", "C:\\Users\\bench", "a\\b", "x\tTab", "`code`",
    "**bold**", "_em_", "[link](https://example.org/a?b=1&c=2)", "{json: true}", "<tag/>",
]


def build_vocab(rng):
    vocab = list(BASE_WORDS)
    # Synthetic words widen the vocabulary so texts do not compress into a few patterns.
    letters = "abcdefghijklmnopqrstuvwxyz"
    for _ in range(1500):
        vocab.append("".join(rng.choice(letters) for _ in range(rng.randint(3, 11))))
    vocab += UNICODE_WORDS * 3
    vocab += QUOTY_WORDS * 2
    return vocab


def sentence(rng, vocab, nwords):
    words = rng.choices(vocab, k=nwords)
    words[0] = words[0].capitalize()
    return " ".join(words) + rng.choice((".", ".", ".", "?", "!", ":"))


def response_text(rng, vocab, target_bytes):
    parts = []
    size = 0
    while size < target_bytes:
        kind = rng.random()
        if kind < 0.12:
            block = "## " + sentence(rng, vocab, rng.randint(3, 7))
        elif kind < 0.35:
            block = "\n".join("- " + sentence(rng, vocab, rng.randint(4, 12))
                              for _ in range(rng.randint(2, 5)))
        elif kind < 0.42:
            block = ("```python\ndef f(x):\n    return x * " + str(rng.randint(2, 99))
                     + '  # "doubled"\n```')
        else:
            block = " ".join(sentence(rng, vocab, rng.randint(6, 20))
                             for _ in range(rng.randint(2, 5)))
        parts.append(block)
        size += len(block.encode("utf-8")) + 2
    return "\n\n".join(parts)


def prompt_text(rng, vocab, index):
    body = " ".join(sentence(rng, vocab, rng.randint(6, 14)) for _ in range(rng.randint(1, 3)))
    # The index keeps prompt texts distinct whatever the random draw.
    return f"[P{index:06d}] {body}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("output")
    ap.add_argument("--responses", "-n", type=int, default=200_000)
    ap.add_argument("--prompts", "-p", type=int, default=5_000)
    ap.add_argument("--seed", type=int, default=20240611)
    # The last Markdown block is kept whole, so responses come out ~190 bytes above the target:
    # 1100 gives a mean of ~1.3 KB and a ~300 MiB file at 200,000 records.
    ap.add_argument("--response-bytes", type=int, default=1100,
                    help="target response size in UTF-8 bytes (see above)")
    ap.add_argument("--empty-every", type=int, default=9973,
                    help="every K-th record has a whitespace-only response (0: none)")
    args = ap.parse_args()
    if args.responses < 1 or args.prompts < 1:
        ap.error("need at least one response and one prompt")

    rng = random.Random(args.seed)
    vocab = build_vocab(rng)
    prompts = [prompt_text(rng, vocab, i) for i in range(min(args.prompts, args.responses))]
    nprompts = len(prompts)

    empty = 0
    duplicates = 0
    seen_empty = set()  # only empty texts can repeat for a prompt and generator
    generators = set()
    tmp = args.output + ".part"
    lo, hi = int(args.response_bytes * 0.4), int(args.response_bytes * 1.6)
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        for i in range(args.responses):
            p = i % nprompts
            rnd = i // nprompts
            gen = GENERATORS[(p + rnd) % len(GENERATORS)]
            generators.add(gen)
            if args.empty_every and i % args.empty_every == args.empty_every - 1:
                text = " \n\t " if i % 2 else ""
                if (p, gen, text) in seen_empty:
                    duplicates += 1
                else:
                    seen_empty.add((p, gen, text))
                    empty += 1
            else:
                text = response_text(rng, vocab, rng.randint(lo, hi))
            rec = {"prompt": prompts[p], "response": text, "generator": gen,
                   "tier": TIERS[(p * 7 + rnd) % len(TIERS)]}
            f.write(json.dumps(rec, ensure_ascii=(i % 7 == 3)))
            f.write("\n")
    os.replace(tmp, args.output)

    meta = {
        "file": os.path.abspath(args.output),
        "bytes": os.path.getsize(args.output),
        "records": args.responses,
        "prompts": nprompts,
        "responses": args.responses - duplicates,
        "duplicates": duplicates,
        "empty_responses": empty,
        "generators": len(generators),
        "seed": args.seed,
        "response_bytes": args.response_bytes,
    }
    with open(args.output + ".meta.json", "w", encoding="utf-8") as f:
        json.dump(meta, f)
        f.write("\n")
    json.dump(meta, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Reference reward function of a Rubric Studio pack (standard library only).

Given a prompt, a response and the judge's answers, it returns the reward the studio
computes: each criterion's verdict is the majority of the judge's gradings (a tie counts as
"no"), and the rubric's scoring turns verdicts into a number:
  weights: r = sum(w_i * V_i) / sum(w_i)                      (the paper's formula)
  points:  r = clip(sum(p_i * V_i) / sum(p_i > 0), 0, 1)      (HealthBench's formula)
A criterion the judge left out counts as "no". A criterion with a "check" is decided by code
on the response text (never by the judge), exactly as the studio decides it. When the record
has "shaping", the score is clamped to [0, 1] and bent (power: s**k, exponential:
expm1(k*s)/expm1(k)); when a criterion marked "veto" fails, the reward is capped at
"veto_cap". A record whose "aggregation" is "implicit" takes its score from the judge's
holistic 1-10 scores instead (one per grading, the manifest's judge.holistic question with
the criteria that are neither checks nor vetoes as guidance, weights shown):
  implicit: r = (mean(S_g) - 1) / 9, 0 without a score (then shaping and the veto cap);
its veto criteria are still judged as criteria and its checks still run on the text.

Modes
  recorded answers (no network):
    python3 reward.py PACK_DIR --answers ANSWERS.jsonl [--out REWARDS.jsonl]
  live, calling an OpenAI-compatible chat-completions judge:
    python3 reward.py PACK_DIR --responses RESPONSES.jsonl --base-url URL --model M
                      [--key-env VAR] [--timeout S] [--out REWARDS.jsonl]
  as a library:
    from reward import Pack
    pack = Pack("PACK_DIR")
    r = pack.reward(prompt, response, judge=pack.openai_judge(base_url, model, key))

ANSWERS lines (the studio's `export-verdicts --format jsonl` writes them):
  {"prompt_hash" | "prompt", "response_id",
   "calls": [{"raw": TEXT, "criterion": ID (one-criterion call) | "criteria": [ID, ...]
              | "holistic": true (an implicit rubric's score)}],
   "overrides": {ID: "yes" | "no"}, "response"?: TEXT,
   "criteria"?: [{"id", "verdict", "source": "check" | "judge"}]}
  Checks run on "response" when the line has it; otherwise the line's check verdicts are used.
RESPONSES lines: {"prompt_hash" | "prompt", "response", "response_id"}
Output lines: {"response_id", "prompt_hash", "reward"}
"""
import argparse
import hashlib
import json
import math
import os
import re
import sys
import urllib.request

TRUE_WORDS = {"yes", "true", "met", "y", "pass"}
FALSE_WORDS = {"no", "false", "not met", "n", "fail"}


def prompt_hash(prompt):
    return hashlib.sha256(prompt.encode("utf-8")).hexdigest()


def truth(value):
    """A judge's yes/no in any of the spellings the studio accepts; None when unclear."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value != 0
    if not isinstance(value, str):
        return None
    s = value.strip().lower().replace(".", "")
    if s in TRUE_WORDS:
        return True
    if s in FALSE_WORDS:
        return False
    return None


def _balanced_end(text, start):
    depth, in_string, escape = 0, False, False
    for i in range(start, len(text)):
        c = text[i]
        if in_string:
            if escape:
                escape = False
            elif c == "\\":
                escape = True
            elif c == '"':
                in_string = False
            continue
        if c == '"':
            in_string = True
        elif c in "{[":
            depth += 1
        elif c in "}]":
            depth -= 1
            if depth == 0:
                return i + 1
    return -1


def _try_object(text):
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def extract_object(text):
    """The JSON object in a judge's answer, also inside code fences or chatter."""
    value = _try_object(text)
    if value is not None:
        return value
    pos = text.find("```")
    while pos != -1:
        body = text.find("\n", pos)
        if body == -1:
            break
        close = text.find("```", body)
        if close == -1:
            break
        value = _try_object(text[body + 1:close])
        if value is not None:
            return value
        pos = text.find("```", close + 3)
    for i, c in enumerate(text):
        if c != "{":
            continue
        end = _balanced_end(text, i)
        if end == -1:
            continue
        value = _try_object(text[i:end])
        if value is not None:
            return value
    return None


def parse_joint(raw, ids):
    """{id: True/False} from an all-criteria answer; ids left out or unclear are absent."""
    obj = extract_object(raw)
    if obj is None:
        return {}
    out = {}
    for cid in ids:
        if cid not in obj:
            continue
        v = obj[cid]
        met = None
        if isinstance(v, dict):
            for key in ("verdict", "answer", "met", "criteria_met", "value"):
                if key in v and met is None:
                    met = truth(v[key])
        else:
            met = truth(v)
        if met is not None:
            out[cid] = met
    return out


BARE_SCORE = re.compile(r"[ \t\r\n]*([0-9]+)[ \t\r\n]*(?:/[ \t\r\n]*10)?[ \t\r\n]*")


def parse_holistic(raw):
    """The score 1..10 of a holistic answer {"score", "explanation"}, or of a bare "7" or
    "7/10" when the answer holds no JSON object; None otherwise. Strict, as the studio: 11, 0,
    7.5, "7" and "seven" are not scores."""
    obj = extract_object(raw)
    if obj is None:
        m = BARE_SCORE.fullmatch(raw)
        v = int(m.group(1)) if m else None
    else:
        v = obj.get("score")
        if not isinstance(v, int) or isinstance(v, bool):
            return None
    return v if v is not None and 1 <= v <= 10 else None


def holistic_base(scores):
    """(mean - 1) / 9 over the usable holistic scores; 0 without one."""
    if not scores:
        return 0.0
    return (sum(scores) / len(scores) - 1.0) / 9.0


def parse_single(raw):
    """True/False from a one-criterion answer {"explanation", "criteria_met"}; None if unclear."""
    obj = extract_object(raw)
    if obj is None or "criteria_met" not in obj:
        return None
    return truth(obj["criteria_met"])


def base_score(criteria, scoring, met):
    """The formula alone for verdicts met[id] in {True, False, None} (None counts as no)."""
    if scoring == "points":
        possible = sum(c["value"] for c in criteria if c["value"] > 0)
        earned = sum(c["value"] for c in criteria if met.get(c["id"]))
        if possible <= 0:
            return 0.0
        return min(max(earned / possible, 0.0), 1.0)
    total = sum(c["value"] for c in criteria)
    earned = sum(c["value"] for c in criteria if met.get(c["id"]))
    return 0.0 if total == 0 else earned / total


def score(criteria, scoring, met, rec=None, holistic=None):
    """The reward: the formula (or, for an implicit record, the holistic scores' base), then
    the record's shaping, then its veto cap."""
    rec = rec or {}
    if rec.get("aggregation") == "implicit":
        s = holistic_base(holistic or [])
    else:
        s = base_score(criteria, scoring, met)
    shaping = rec.get("shaping")
    if shaping:
        s = min(max(s, 0.0), 1.0)
        k = float(shaping["exponent"])
        if shaping["type"] == "power":
            s = s ** k
        elif k != 0:
            s = math.expm1(k * s) / math.expm1(k)
    if any(c.get("veto") and not met.get(c["id"]) for c in criteria):
        s = min(s, float(rec.get("veto_cap", 0)))
    return s


# Checks: the same rules as the studio's core/rubric/checkcriterion.cpp.
def count_words(text):
    return len(text.split())


def count_markdown(text):
    fence = re.compile(r"^ {0,3}```")
    header = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)")
    bullet = re.compile(r"^[ \t]*(?:[-*+]|[0-9]{1,9}[.)])[ \t]+[^ \t]")
    headers = bullets = blocks = 0
    in_code = False
    for line in text.split("\n"):
        if line.endswith("\r"):
            line = line[:-1]
        if fence.match(line):
            if in_code:
                blocks += 1
            in_code = not in_code
            continue
        if in_code:
            continue
        if header.match(line):
            headers += 1
        elif bullet.match(line):
            bullets += 1
    return headers, bullets, blocks


def _reject_constant(name):
    raise ValueError(name)


def _schema_type(v, t):
    if t == "object":
        return isinstance(v, dict)
    if t == "array":
        return isinstance(v, list)
    if t == "string":
        return isinstance(v, str)
    if t == "integer":
        return isinstance(v, int) and not isinstance(v, bool)
    if t == "number":
        return isinstance(v, (int, float)) and not isinstance(v, bool)
    if t == "boolean":
        return isinstance(v, bool)
    if t == "null":
        return v is None
    return False


def _json_equal(a, b):
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    return a == b


def matches_schema(v, schema):
    """The JSON Schema subset the studio checks: type, enum, required, properties, items."""
    if not isinstance(schema, dict):
        return True
    if "type" in schema:
        t = schema["type"]
        types = t if isinstance(t, list) else [t]
        if not any(isinstance(x, str) and _schema_type(v, x) for x in types):
            return False
    if isinstance(schema.get("enum"), list) and not any(_json_equal(o, v) for o in schema["enum"]):
        return False
    if isinstance(v, dict):
        for key in schema.get("required", []) if isinstance(schema.get("required"), list) else []:
            if isinstance(key, str) and key not in v:
                return False
        props = schema.get("properties")
        if isinstance(props, dict):
            for key, sub in props.items():
                if key in v and not matches_schema(v[key], sub):
                    return False
    if isinstance(v, list) and "items" in schema:
        if not all(matches_schema(item, schema["items"]) for item in v):
            return False
    return True


def _parses(candidate, schema):
    try:
        v = json.loads(candidate, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        return False
    return schema is None or matches_schema(v, schema)


def json_check(text, schema):
    if _parses(text.strip(), schema):
        return True
    return any(_parses(body, schema) for body in re.findall(r"```[^\n]*\n(.*?)```", text, re.S))


def check_passes(check, text):
    """The verdict of a criterion checked by code on a response's text."""
    t = check["type"]
    if t == "regex":
        return bool(re.search(check["pattern"], text)) == check.get("must_match", True)
    if t == "min_words":
        return count_words(text) >= check["value"]
    if t == "max_words":
        return count_words(text) <= check["value"]
    if t == "min_chars":
        return len(text) >= check["value"]
    if t == "max_chars":
        return len(text) <= check["value"]
    if t == "json":
        return json_check(text, check.get("schema"))
    if t in ("contains", "not_contains"):
        cs = check.get("case_sensitive", False)
        hay = text if cs else text.lower()
        found = [(p if cs else p.lower()) in hay for p in check["phrases"]]
        return all(found) if t == "contains" else not any(found)
    if t == "markdown":
        h, b, c = count_markdown(text)
        return (h >= check.get("min_headers", 0) and b >= check.get("min_bullets", 0)
                and c >= check.get("min_code_blocks", 0))
    raise ValueError("unknown check type %r" % t)


def fence_safe(text):
    return re.sub(r"^(\s*)(<<<[A-Z]+|[A-Z]+>>>)", "\\1\u200b\\2", text, flags=re.M)


def number_text(v):
    return str(int(v)) if float(v).is_integer() else repr(float(v))


class Pack:
    def __init__(self, folder):
        with open(os.path.join(folder, "manifest.json"), encoding="utf-8") as f:
            self.manifest = json.load(f)
        self.judge = self.manifest.get("judge", {})
        self.rubrics = {}
        with open(os.path.join(folder, "rubrics.jsonl"), encoding="utf-8") as f:
            for line in f:
                if not line.strip():
                    continue
                rec = json.loads(line)
                key = "points" if rec.get("scoring") == "points" else "weight"
                rec["_criteria"] = [{"id": c["id"], "text": c["criterion"], "value": float(c[key]),
                                     "check": c.get("check"), "veto": bool(c.get("veto"))}
                                    for c in rec["criteria"]]
                self.rubrics[rec["prompt_hash"]] = rec

    def rubric_for(self, prompt=None, phash=None):
        rec = self.rubrics.get(phash or prompt_hash(prompt))
        if rec is None:
            raise KeyError("no rubric in the pack for this prompt")
        return rec

    def verdicts(self, rec, calls, overrides=None, response=None, checked=None):
        """Majority verdict per criterion from the judge's raw answers; checks from the
        response text (or, without it, from `checked`: {id: True/False} as exported)."""
        ids = [c["id"] for c in rec["_criteria"] if not c["check"]]
        yes = {cid: 0 for cid in ids}
        no = {cid: 0 for cid in ids}
        for call in calls:
            if call.get("holistic"):
                continue  # a score, not verdicts
            crit = call.get("criterion")
            if crit:
                met = parse_single(call.get("raw", ""))
                parsed = {} if met is None else {crit: met}
            else:
                # A call counts only for the criteria it was asked about (after an edit, only
                # the changed criteria are judged again).
                parsed = parse_joint(call.get("raw", ""), call.get("criteria") or ids)
            for cid, met in parsed.items():
                if cid in yes:
                    (yes if met else no)[cid] += 1
        met = {}
        for cid in ids:
            met[cid] = True if yes[cid] > no[cid] else (False if no[cid] > yes[cid] else None)
        for c in rec["_criteria"]:
            if c["check"]:
                if response is not None:
                    met[c["id"]] = check_passes(c["check"], response)
                else:
                    met[c["id"]] = (checked or {}).get(c["id"])
        for cid, v in (overrides or {}).items():
            if cid in met:
                met[cid] = v == "yes"
        return met

    def reward_from_answers(self, rec, calls, overrides=None, response=None, checked=None):
        met = self.verdicts(rec, calls, overrides, response, checked)
        scores = [parse_holistic(c.get("raw", "")) for c in calls if c.get("holistic")]
        return score(rec["_criteria"], rec["scoring"], met, rec,
                     [v for v in scores if v is not None])

    def render(self, rec, response, criteria, template=None):
        """The judge's system and user text; `template` is the manifest's judge (criteria) or
        judge.holistic (an implicit rubric's score)."""
        template = template or self.judge
        lines = []
        for c in criteria:
            line = c["id"] + ": " + c["text"].replace("\n", " ")
            if template.get("show_weights"):
                line += " (weight %s)" % number_text(c["value"])
            lines.append(line)
        values = {"{prompt}": fence_safe(rec["prompt"]), "{response}": fence_safe(response),
                  "{criteria}": "\n".join(lines)}
        user = re.sub(r"\{prompt\}|\{response\}|\{criteria\}", lambda m: values[m.group(0)],
                      template.get("user", ""))
        return template.get("system", ""), user

    def openai_judge(self, base_url, model, key=None, timeout=120):
        """A judge calling an OpenAI-compatible /chat/completions endpoint."""
        def ask(system, user, temperature=None):
            if temperature is None:
                temperature = self.judge.get("temperature", 0.0)
            body = {"model": model, "temperature": temperature,
                    "max_tokens": 1024,
                    "messages": [{"role": "system", "content": system},
                                 {"role": "user", "content": user}]}
            req = urllib.request.Request(base_url.rstrip("/") + "/chat/completions",
                                         data=json.dumps(body).encode("utf-8"), method="POST")
            req.add_header("Content-Type", "application/json")
            if key:
                req.add_header("Authorization", "Bearer " + key)
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                answer = json.load(resp)
            return answer["choices"][0]["message"]["content"]
        return ask

    def reward(self, prompt, response, judge, phash=None):
        """Asks `judge(system, user[, temperature]) -> text` as the studio would: the manifest's
        number of gradings (the first at its temperature, the others at repeat_temperature),
        majority per criterion. An answer that does not parse raises ValueError naming the
        prompt: a silent 0.0 would train the policy on a judge failure."""
        rec = self.rubric_for(prompt, phash)
        gradings = max(1, int(self.judge.get("gradings", 1) or 1))
        calls = []

        def ask(g, criteria, template=None):
            system, user = self.render(rec, response, criteria, template)
            if g == 0:
                return judge(system, user)
            try:
                return judge(system, user, self.judge.get("repeat_temperature", 0.7))
            except TypeError:  # a judge(system, user) without a temperature parameter
                return judge(system, user)

        judged = [c for c in rec["_criteria"] if not c["check"]]  # checks never reach the judge
        if rec.get("aggregation") == "implicit":
            # One holistic score per grading with the guidance; vetoes are judged as criteria.
            guidance = [c for c in judged if not c["veto"]]
            judged = [c for c in judged if c["veto"]]
            for g in range(gradings):
                raw = ask(g, guidance, self.judge.get("holistic", {}))
                if parse_holistic(raw) is None:
                    raise ValueError("prompt %s: the judge's holistic score does not parse: %r"
                                     % (rec["prompt_hash"], raw[:200]))
                calls.append({"holistic": True, "raw": raw})
        for g in range(gradings if judged else 0):
            if self.judge.get("mode") == "per_criterion":
                for c in judged:
                    raw = ask(g, [c])
                    if parse_single(raw) is None:
                        raise ValueError("prompt %s, criterion %s: the judge's answer does not parse: %r"
                                         % (rec["prompt_hash"], c["id"], raw[:200]))
                    calls.append({"criterion": c["id"], "raw": raw})
            else:
                raw = ask(g, judged)
                if not parse_joint(raw, [c["id"] for c in judged]):
                    raise ValueError("prompt %s: the judge's answer does not parse: %r"
                                     % (rec["prompt_hash"], raw[:200]))
                calls.append({"criterion": None, "raw": raw})
        return self.reward_from_answers(rec, calls, response=response)


def main():
    ap = argparse.ArgumentParser(description="Rubric Studio reference reward function")
    ap.add_argument("pack", help="the pack folder (manifest.json, rubrics.jsonl)")
    ap.add_argument("--answers", help="JSONL of recorded judge answers")
    ap.add_argument("--responses", help="JSONL of responses to judge live")
    ap.add_argument("--base-url", help="OpenAI-compatible base URL, e.g. http://127.0.0.1:8000/v1")
    ap.add_argument("--model")
    ap.add_argument("--key-env", help="environment variable holding the API key")
    ap.add_argument("--timeout", type=float, default=120)
    ap.add_argument("--out", help="write rewards here instead of stdout")
    a = ap.parse_args()
    pack = Pack(a.pack)
    if bool(a.answers) == bool(a.responses):
        ap.error("give exactly one of --answers and --responses")
    out = open(a.out, "w", encoding="utf-8") if a.out else sys.stdout
    judge = None
    if a.responses:
        if not a.base_url or not a.model:
            ap.error("--responses needs --base-url and --model")
        key = os.environ.get(a.key_env) if a.key_env else None
        judge = pack.openai_judge(a.base_url, a.model, key, a.timeout)
    with open(a.answers or a.responses, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            rec = json.loads(line)
            phash = rec.get("prompt_hash") or prompt_hash(rec["prompt"])
            try:
                rubric = pack.rubric_for(phash=phash)
            except KeyError:
                print("%s:%d: no rubric in the pack for this prompt" % (f.name, n), file=sys.stderr)
                continue
            if judge:
                r = pack.reward(rubric["prompt"], rec["response"], judge, phash)
            else:
                checked = {c.get("id"): c.get("verdict") == "yes" for c in rec.get("criteria", [])
                           if c.get("source") == "check" and c.get("verdict") in ("yes", "no")}
                r = pack.reward_from_answers(rubric, rec.get("calls", []), rec.get("overrides"),
                                             rec.get("response"), checked)
            out.write(json.dumps({"response_id": rec.get("response_id"), "prompt_hash": phash,
                                  "reward": r}) + "\n")
    if a.out:
        out.close()


if __name__ == "__main__":
    main()

# Rubric Studio reward client: standard library only. It calls `rubric-studio-cli serve`:
#   RS_REWARD_URL    the server's base URL (default http://127.0.0.1:8000)
#   RS_REWARD_TOKEN  the token the server was started with (--token-env), if any
#   RS_REWARD_TIMEOUT seconds per request (default 300)
# A reward that cannot be had raises RewardError naming the item: a failed judge call must
# never train as a reward of 0.
import asyncio
import json
import os
import time
import urllib.error
import urllib.request


class RewardError(RuntimeError):
    """The reward server could not reward an item (the message names it)."""


def _base_url():
    return os.environ.get("RS_REWARD_URL", "http://127.0.0.1:8000").rstrip("/")


def _post(path, payload, what):
    data = json.dumps(payload).encode("utf-8")
    headers = {"Content-Type": "application/json"}
    token = os.environ.get("RS_REWARD_TOKEN")
    if token:
        headers["Authorization"] = "Bearer " + token
    timeout = float(os.environ.get("RS_REWARD_TIMEOUT", "300"))
    last = None
    for attempt in range(5):
        req = urllib.request.Request(_base_url() + path, data=data, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                return json.loads(resp.read())
        except urllib.error.HTTPError as e:
            body = e.read()
            try:
                message = json.loads(body).get("error", body.decode("utf-8", "replace"))
            except (ValueError, AttributeError):
                message = body.decode("utf-8", "replace")
            last = "HTTP %d: %s" % (e.code, message)
            if e.code != 503:  # only a full queue is worth waiting for
                break
            time.sleep(float(e.headers.get("Retry-After") or 1))
        except (urllib.error.URLError, OSError) as e:
            last = "cannot reach %s: %s" % (_base_url(), e)
            time.sleep(min(2 ** attempt, 8))
    raise RewardError("rubric reward for %s failed: %s" % (what, last))


def _text(value):
    """A prompt or completion as text: a string, or the contents of a list of chat messages."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) or hasattr(value, "get"):
        content = value.get("content")
        return _text(content)
    if isinstance(value, (list, tuple)):
        return "\n".join(_text(m) for m in value)
    return str(value)


def rubric_rewards(items, what="items", step=None):
    """Rewards [{"prompt" | "prompt_hash" | "prompt_id": ..., "response": ...}] via /v1/rewards,
    logged under the trainer's step when it gives one (else the server infers it)."""
    if not items:
        return []
    payload = {"items": items}
    if isinstance(step, int) and not isinstance(step, bool):
        payload["step"] = step
    body = _post("/v1/rewards", payload, what)
    out = body.get("items") if isinstance(body, dict) else None
    if not isinstance(out, list) or len(out) != len(items):
        raise RewardError("rubric reward for %s: the server answered %r" % (what, str(body)[:200]))
    for i, r in enumerate(out):
        if not isinstance(r.get("reward"), (int, float)):
            raise RewardError("rubric reward for %s: item %d has no reward" % (what, i))
    return out


# The numeric keys logged for every sample: one fixed set, whatever the rubric (trainers batch
# logs by the first sample's keys).
LOG_KEYS = ("reward_soft", "pass_fraction", "cached")


def log_values(result):
    return {k: float(result.get(k) or 0) for k in LOG_KEYS}


_LIMIT = None


async def rubric_rewards_async(items, what="items", step=None):
    """rubric_rewards off the event loop, at most RS_REWARD_CONCURRENCY (64) at once."""
    global _LIMIT
    if _LIMIT is None:
        _LIMIT = asyncio.Semaphore(int(os.environ.get("RS_REWARD_CONCURRENCY", "64")))
    async with _LIMIT:
        return await asyncio.to_thread(rubric_rewards, items, what, step)



# verifiers v1: a plugged taskset reward (see taskset.toml), async, with the pass fraction and
# soft reward recorded as metrics. rubric_reward_legacy: for the legacy vf.Rubric(funcs=[...]).
def _field(obj, name):
    if obj is None:
        return None
    if hasattr(obj, name):
        return getattr(obj, name)
    if hasattr(obj, "get"):
        return obj.get(name)
    return None


async def rubric_reward(task, trace):
    prompt = _field(task, "prompt_text") or _text(_field(task, "prompt"))
    reply = _text(_field(trace, "last_reply"))
    r = (await rubric_rewards_async([{"prompt": prompt, "response": reply}],
                                    "prompt %r" % prompt[:60]))[0]
    record = _field(trace, "record_metric")
    if record is not None:
        for key, value in log_values(r).items():
            record("rubric_" + key, value)
    return float(r["reward"])


def rubric_reward_legacy(prompt=None, completion=None, **kwargs):
    p = _text(prompt)
    r = rubric_rewards([{"prompt": p, "response": _text(completion)}], "prompt %r" % p[:60])[0]
    return float(r["reward"])

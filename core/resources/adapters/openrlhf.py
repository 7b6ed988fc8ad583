

# OpenRLHF: --reward.remote_url rubric_reward_openrlhf.py (older: --remote_rm_url). Called
# positionally with lists (one sample each in current releases); forwards them to /get_reward,
# which cuts the response out of the query and finds the prompt.
def reward_func(queries, prompts, labels):
    payload = {"query": list(queries), "prompts": list(prompts),
               "labels": [None if l is None else l for l in labels]}
    body = _post("/get_reward", payload, "%d sample(s), first prompt %r" % (
        len(payload["query"]), (payload["prompts"][0] if payload["prompts"] else "")[:60]))
    if not isinstance(body, dict) or len(body.get("rewards", [])) != len(payload["query"]):
        raise RewardError("rubric reward: the server answered %r" % str(body)[:200])
    return body

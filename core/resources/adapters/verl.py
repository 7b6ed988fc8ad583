

# verl: custom_reward_function.path=<this file>, custom_reward_function.name=compute_score
# (or compute_score_async on the reward loop). Rows carry the prompt hash in
# reward_model.ground_truth and the prompt text in extra_info.
def _verl_item(ground_truth, extra_info, solution_str):
    item = {"response": solution_str if isinstance(solution_str, str) else _text(solution_str)}
    info = extra_info if isinstance(extra_info, dict) else {}
    if ground_truth:
        item["prompt_hash"] = str(ground_truth)
    if info.get("prompt"):
        item["prompt"] = info["prompt"]
    elif info.get("raw_prompt"):
        item["prompt"] = _text(info["raw_prompt"])
    return item


def _verl_result(r):
    out = {"score": float(r["reward"])}
    out.update(log_values(r))
    return out


def compute_score(data_source=None, solution_str=None, ground_truth=None, extra_info=None, **kwargs):
    item = _verl_item(ground_truth, extra_info, solution_str)
    what = "prompt %s" % (ground_truth or str(item.get("prompt", ""))[:60])
    return _verl_result(rubric_rewards([item], what)[0])


async def compute_score_async(data_source=None, solution_str=None, ground_truth=None, extra_info=None,
                              **kwargs):
    item = _verl_item(ground_truth, extra_info, solution_str)
    what = "prompt %s" % (ground_truth or str(item.get("prompt", ""))[:60])
    return _verl_result((await rubric_rewards_async([item], what))[0])

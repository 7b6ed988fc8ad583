

# TRL: GRPOTrainer(reward_funcs=[rubric_reward]) or `trl grpo --reward_funcs
# rubric_reward_trl.rubric_reward`; AsyncGRPOTrainer: rubric_reward_async. Plain and
# conversational datasets (message lists, system message included).
def _trl_items(prompts, completions):
    return [{"prompt": _text(p), "response": _text(c)} for p, c in zip(prompts, completions)]


def _trl_log(results, log_extra, log_metric):
    if log_extra is not None:
        for key in LOG_KEYS:
            log_extra("rubric_" + key, [log_values(r)[key] for r in results])
    if log_metric is not None and results:
        for key in LOG_KEYS:
            log_metric("rubric/" + key, sum(log_values(r)[key] for r in results) / len(results))


def _trl_step(kwargs):
    # GRPOTrainer passes its TrainerState: the Training view groups rewards by its global_step.
    return getattr(kwargs.get("trainer_state"), "global_step", None)


def rubric_reward(prompts, completions, log_extra=None, log_metric=None, **kwargs):
    results = rubric_rewards(_trl_items(prompts, completions), "a batch of %d" % len(completions),
                             _trl_step(kwargs))
    _trl_log(results, log_extra, log_metric)
    return [float(r["reward"]) for r in results]


async def rubric_reward_async(prompts, completions, log_extra=None, log_metric=None, **kwargs):
    results = await rubric_rewards_async(_trl_items(prompts, completions),
                                         "a batch of %d" % len(completions), _trl_step(kwargs))
    _trl_log(results, log_extra, log_metric)
    return [float(r["reward"]) for r in results]

#include "usage.h"

#include <QStringList>

#include <array>

namespace rs::cli {
namespace {

struct CommandText {
    std::string_view name;
    const char *summary; ///< the line in the command list, after the name
    const char *usage;   ///< everything after "usage: rubric-studio-cli "
};

constexpr std::array kCommands{
    CommandText{"new", "PROJECT                 create an empty project file",
                "new PROJECT\n"
                "Creates an empty project file (SQLite)."},
    CommandText{
        "import", "PROJECT FILE...      import responses and rubrics",
        "import PROJECT FILE... [--format auto|alpacaeval|rollouts|jsonl|healthbench|rubrics]\n"
        "         [--map prompt=F,response=F,generator=F,tier=F] [--tier NAME] [--off-policy]\n"
        "         [--on-error skip|abort] [--verbose]\n"
        "Imports model outputs, rollouts, mapped JSONL, HealthBench examples, rubric JSONL and\n"
        "pairwise annotations. Responses join their prompt on its text. All files go in as one\n"
        "transaction: an error leaves the project as it was (--on-error skip skips bad records)."},
    CommandText{"stats",
                "PROJECT [--json]      counts of prompts, responses, generators, rubrics, ...",
                "stats PROJECT [--json]\n"
                "Counts of prompts, responses, generators, rubrics, criteria and verdicts."},
    CommandText{
        "judge", "PROJECT ...           run or resume a judge run",
        "judge PROJECT (--provider NAME | --base-url URL[,URL...] --model M)\n"
        "         [--kind openai|anthropic] [--key-env VAR] [--api chat|responses|auto]\n"
        "         [--mode joint|per-criterion|probability] [--votes N] [--show-weights]\n"
        "         [--structured auto|json_schema|json_object|tool|off]\n"
        "         [--reasoning-effort none|minimal|low|medium|high|xhigh|max] [--thinking-budget "
        "N]\n"
        "         [--max-tokens N] [--rubric latest] [--responses all|tier:NAME]\n"
        "         [--concurrency N] [--timeout-ms N] [--retries N] [--max-cost USD]\n"
        "         [--bypass-cache] [--preview] [--json] [--only-uncertain RUN [--margin M (0.2)]]\n"
        "Judges every response against its prompt's current rubric; a re-run resumes and sends\n"
        "only what is missing (answers are cached in the project). Each vote is its own sample\n"
        "(seed and cache key). What a model accepts is learned from its rejections and stored\n"
        "per provider and model. --mode probability stores P(yes) per verdict (token logprobs,\n"
        "or the share of yes votes); --max-cost caps the whole run; --json prints a summary\n"
        "(run_id, calls, cached, failed, refused, verdicts, tokens, cost_usd) on stdout.\n"
        "--only-uncertain RUN judges only the cells RUN is unsure of (|P(yes) - 0.5| < M, or no\n"
        "verdict): the strong judge of a cascade (see judge-cascade)."},
    CommandText{
        "scores", "PROJECT [--json]     per-response rewards from the latest judge run",
        "scores PROJECT [--run ID] [--prompt ID] [--missing no|drop] [--json]\n"
        "Rewards per response: majority of the run's gradings per criterion, overrides on top\n"
        "(reward_soft: every criterion counted by its P(yes));\n"
        "--missing drop leaves criteria without a verdict out of the reward (default: count as "
        "no)."},
    CommandText{"rubric", "SUB PROJECT ...      rubric versions, diff, lint, tag, restore",
                "rubric versions PROJECT --prompt ID [--json]\n"
                "       rubric-studio-cli rubric diff PROJECT (--from V --to V | --prompt ID) "
                "[--all] [--json]\n"
                "       rubric-studio-cli rubric lint PROJECT [--prompt ID] [--json]\n"
                "       rubric-studio-cli rubric tag PROJECT --version V TAG\n"
                "       rubric-studio-cli rubric restore PROJECT --version V\n"
                "\n"
                "  versions  a prompt's rubric versions, oldest first (id, parent, origin, time, "
                "criteria, tag)\n"
                "  diff      added/removed/rewritten/re-weighted/split/merged criteria between two "
                "versions,\n"
                "            or between the prompt's current version and its parent (--all: "
                "unchanged too)\n"
                "  lint      lint warnings of the current version of one or every rubric\n"
                "  tag       names a version (an empty TAG clears it)\n"
                "  restore   makes a copy of an old version the current one"},
    CommandText{
        "export", "PROJECT --format F --out DIR   write a rubric pack or a trainer adapter",
        "export PROJECT --format native|paper|healthbench|rar --out DIR\n"
        "         [--version latest|tag:NAME] [--prompts ID,ID,...] [--json]\n"
        "       rubric-studio-cli export PROJECT --format "
        "verl|trl|openrlhf|verifiers|promptfoo|inspect\n"
        "         --out DIR [--version latest|tag:NAME] [--prompts ID,ID,...]\n"
        "Writes a rubric pack: rubrics, a manifest with hashes and the judge template, reward.py.\n"
        "A trainer format writes an adapter for that trainer into DIR (standard-library Python "
        "that\n"
        "calls `serve` at RS_REWARD_URL with RS_REWARD_TOKEN, in the trainer's calling "
        "convention,\n"
        "and a README; verl: the training rows train.jsonl) and the native pack into DIR/pack."},
    CommandText{"import-pack", "PROJECT PATH    import a rubric pack folder or file",
                "import-pack PROJECT PATH [--format native|paper|healthbench|rar] [--json]\n"
                "Imports a rubric pack folder or file as new rubric versions."},
    CommandText{"export-verdicts", "PROJECT --out FILE    verdicts and rewards as CSV or JSONL",
                "export-verdicts PROJECT --out FILE [--format csv|jsonl] [--run ID]\n"
                "         [--prompts ID,ID,...] [--json]\n"
                "Writes a judge run's verdicts, votes, overrides and rewards (JSONL: with the raw "
                "answers)."},
    CommandText{"import-verdicts",
                "PROJECT FILE  verdicts graded elsewhere (JSONL) as a judge run of their own",
                "import-verdicts PROJECT FILE [--name RUN NAME] [--judge WHO] [--json]\n"
                "Reads verdicts graded elsewhere (or an export-verdicts JSONL) as a judge run of "
                "their own."},
    CommandText{
        "batch-export",
        "PROJECT --job judge --format openai|anthropic --out DIR   provider batch files",
        "batch-export PROJECT --job judge --format openai|anthropic --out DIR\n"
        "         (--provider NAME | --base-url URL --model M) [--kind openai|anthropic] "
        "[--key-env VAR]\n"
        "         [--mode joint|per-criterion] [--votes N] [--show-weights] [--rubric latest]\n"
        "         [--responses all|tier:NAME] [--max-requests N] [--max-bytes N] "
        "[--include-cached] [--json]\n"
        "Writes the judge calls a run still needs as OpenAI Batch or Anthropic Message Batches "
        "files."},
    CommandText{"batch-import", "PROJECT FILE...  import provider batch output files",
                "batch-import PROJECT FILE... [--json]\n"
                "Reads provider batch output files into the cache and stores the run's verdicts."},
    CommandText{"batch-status", "PROJECT [--json] batches sent and how many answers came back",
                "batch-status PROJECT [--json]\n"
                "Lists the batch files written and how many of their answers came back."},
    CommandText{
        "metrics", "PROJECT [--json]    tail accuracy, separation, style confound, ...",
        "metrics PROJECT [--run ID] [--compare-run ID] [--ties wrong|half]\n"
        "         [--regions tiers|gold-quantile|score-quantile] [--quantile Q]\n"
        "         [--high-tiers T1,T2] [--low-tiers T1,T2] [--tier-a T] [--tier-b T] [--top-k K]\n"
        "         [--sources import,human,oracle] [--max-n N] [--missing no|drop]\n"
        "         [--bootstrap B (1000)] [--seed S (1)] [--calibration-kappa K (0.6)] [--json]\n"
        "Tail accuracy, top-tier separation, criterion discrimination, style confound (pooled\n"
        "and within prompt), judge reliability, judge-vs-human agreement on blind labels,\n"
        "best-of-N over-optimisation, training curves and the RTD timeline. Every estimate\n"
        "carries a 95% bootstrap interval over prompts (B replicates, seeded; --bootstrap 0:\n"
        "none). A judge model is `calibrated` when >= 50 blind labels give a kappa interval\n"
        "whose lower bound is at least K."},
    CommandText{
        "aggregation-preview", "PROJECT [--json]  what each aggregation does to AUC, ties, GRPO",
        "aggregation-preview PROJECT [--run ID] [--prompt ID] [--candidates SPEC;SPEC...]\n"
        "         [--missing no|drop] [--json]\n"
        "Recomputes every judged response's reward under each candidate aggregation from the\n"
        "run's verdicts (veto flags and weights as stored) and prints, side by side with each\n"
        "rubric's current aggregation: top-tier AUC within prompts, the tie rate at the top,\n"
        "tail accuracy, and the group-normalised advantages a GRPO step would compute\n"
        "(A = (r - mean) / (std + 1e-6) per prompt, population std): the groups whose rewards\n"
        "are all equal (no learning signal) and the mean advantage of the top tier minus the\n"
        "rest's. --prompt ID also lists that prompt's rewards and advantages. A SPEC is rubric\n"
        "JSONL's aggregation object, e.g. '{\"type\":\"weighted_sum\",\"shaping\":{\"type\":\n"
        "\"power\",\"exponent\":2}}'. Without --candidates: weighted_sum and points, then the\n"
        "most common stored aggregation with veto cap 1 (when a criterion is a veto), power 2,\n"
        "exponential 3 (tail-widening) and power 0.5 (saturation)."},
    CommandText{
        "judge-panel", "PROJECT --runs A,B,C  a judge panel from runs of different models",
        "judge-panel PROJECT --runs A,B[,C,D,E] [--ties missing|no] [--name NAME] [--json]\n"
        "Combines 2 to 5 judge runs of different models (judge the project with each first)\n"
        "into a new run whose verdict on each cell is the members' majority. The majority is of\n"
        "the whole panel: a member that failed on a cell is never dropped (2 of 3 decide, 1 of 2\n"
        "does not: the cell has no verdict and is counted as incomplete). Even splits follow\n"
        "--ties (missing: no verdict; no: not met). Prints each member's agreement and kappa\n"
        "with the panel. Combining the same runs again replaces the panel's verdicts."},
    CommandText{
        "judge-cascade", "PROJECT --cheap-run A ...  cheap-first cascade of two judges",
        "judge-cascade PROJECT --cheap-run A --curve [--strong-run S] [--margins M1,M2,...] "
        "[--json]\n"
        "judge-cascade PROJECT --cheap-run A --strong-run S [--margin M (0.2)] [--json]\n"
        "A cheap judge decides the cells it is sure of, a stronger one the rest: a cell is\n"
        "uncertain when its P(yes) in run A (token probabilities in probability mode, else the\n"
        "share of yes votes) lies within M of 0.5, or it has no verdict. --curve prints, per\n"
        "margin, how many cells go to the strong judge (its share of calls) and, given a strong\n"
        "run, how often the cascade agrees with it. Then `judge --only-uncertain A --margin M`\n"
        "with the strong model judges just those cells, and this command with --strong-run S\n"
        "stores the cascade as a run (cheap verdict where sure, strong where not)."},
    CommandText{
        "oracle", "PROJECT ...          gold preferences from a pairwise oracle (or a panel)",
        "oracle PROJECT (--provider NAME | --base-url URL --model M) [--models M1,M2,...]\n"
        "         [--tiers A,B] [--prompts ID,...] [--max-pairs N (50)] [--one-order] [--json]\n"
        "Asks a pairwise judge which of two responses to a prompt is better, in both orders\n"
        "(--one-order: one random order), and stores the answer as a gold preference (source\n"
        "oracle). Pairs: tier A against tier B within each prompt, else every pair; pairs the\n"
        "oracle answered before are skipped. --models with 2 to 5 models makes a panel: each\n"
        "is asked and the preference is their mean; a member that fails fails the pair (asked\n"
        "again next time), never a smaller panel. Prints each model's position swaps and its\n"
        "agreement with the panel; `metrics` has oracle_position_swap_rate by model."},
    CommandText{
        "labels", "sample|import|export ...  blind human labels for judge calibration",
        "labels sample PROJECT --n N [--seed S] [--run ID] [--include-labelled] --out FILE.jsonl\n"
        "labels import PROJECT FILE.jsonl [--annotator NAME]\n"
        "labels export PROJECT --out FILE.jsonl [--annotator NAME]\n"
        "labels disagreements PROJECT [--run ID] [--json]\n"
        "labels attach PROJECT [--run ID] [--per-criterion K (2)] [--holdout F (0.5)] [--seed S]\n"
        "labels detach PROJECT\n"
        "labels compare PROJECT --before RUN --after RUN [--bootstrap B] [--seed S] [--json]\n"
        "sample: a stratified random sample of judged cells (judge verdict x tier, spread over\n"
        "criteria), one JSON line each with cell, response_id, criterion_id, prompt, response,\n"
        "criterion and tier: nothing that names the judge or its verdict. import: lines\n"
        "{\"cell\", \"label\": \"yes\"|\"no\"|\"skip\"} as NAME's labels (or each line's\n"
        "\"annotator\"), all or nothing, FILE:LINE errors. export: the labels, for merging on\n"
        "another machine. disagreements: cells where the judge and the human majority differ,\n"
        "with the judge's rationale. attach: few-shot from corrections, up to K cells per\n"
        "criterion where the humans overrule the judge become examples in the judge prompt (a\n"
        "seeded share F of them is held out); judging again makes a new run. compare: kappa of\n"
        "two runs on the held-out labels with a paired interval. Agreement is in `metrics`."},
    CommandText{
        "theory", "--beta B [--json]    win rate and KL of the tail theorem",
        "theory (--beta B | --betas B1,B2,...) [--mapping correct|reversed|top:C|worst:C|all]\n"
        "         [--sweep C1,C2,...] [--json]\n"
        "Win rate and KL of the tail theorem's test mappings (method.md)."},
    CommandText{"import-curves",
                "PROJECT CSV   import RL training curves (step, win_rate, rubric_reward, arm)",
                "import-curves PROJECT FILE.csv...\n"
                "  CSV header: step, win_rate, rubric_reward[, arm]"},
    CommandText{"version", "                    print the version", "version\nPrints the version."},
    CommandText{
        "generate", "PROJECT ...        initial rubrics from a proposer model",
        "generate PROJECT [--prompts all|ID,ID] [--with-references N]\n"
        "         (--provider NAME | --base-url URL --model M) [--kind openai|anthropic] "
        "[--key-env VAR]\n"
        "         [--repair-model M] [--temperature T] [--max-tokens N] [--retry-failed] "
        "[--replace]\n"
        "         [--concurrency N] [--timeout-ms N] [--retries N] [--max-cost USD] "
        "[--bypass-cache]\n"
        "         [--preview] [--json]\n"
        "Writes an initial rubric per prompt; prompts that already have a generated rubric are\n"
        "skipped (so a re-run resumes), and so are prompts with an imported rubric unless "
        "--replace.\n"
        "generate PROJECT --contrastive [--pairs gold|tiers|top2] [--max-pairs N] [--tiers "
        "BETTER,WORSE]\n"
        "         [--consistency MIN] [--judge-provider NAME | --judge-base-url URL] "
        "[--judge-model M]\n"
        "         [--judge-mode joint|per-criterion] [provider and run options as above]\n"
        "Writes each prompt's rubric from preferred/rejected pairs (gold preferences, the best\n"
        "tier over the next, or the current rubric's top two): hard rules and principles, "
        "tagged.\n"
        "With --consistency, the judge grades the pairs with every proposed criterion first; a\n"
        "criterion reproducing fewer than MIN of the preferences it separates is dropped, and a\n"
        "rubric ranking fewer than MIN of the pairs right is not saved. What was dropped, and "
        "why,\n"
        "is printed and stored with the version (origin contrastive)."},
    CommandText{
        "refine", "PROJECT ...          RTD rounds: judge, pick the top pair, rewrite",
        "refine PROJECT [--rounds K] [--select top2|tied|pair:A,B] [--seed S]\n"
        "         [--prompts all|ID,ID] [--restart] [--from-step N|latest [--sample K]]\n"
        "         (--provider NAME | --base-url URL --model M) [--kind openai|anthropic] "
        "[--key-env VAR]\n"
        "         [--repair-model M] [--temperature T] [--max-tokens N]\n"
        "         [--judge-provider NAME | --judge-base-url URL] [--judge-model M] [--judge-kind "
        "K]\n"
        "         [--judge-key-env VAR] [--judge-concurrency N] [--judge-timeout-ms N] "
        "[--judge-retries N]\n"
        "         [--judge-mode joint|per-criterion] [--concurrency N] [--timeout-ms N] [--retries "
        "N]\n"
        "         [--max-cost USD] [--bypass-cache] [--preview] [--json]\n"
        "         [--consistency MIN [--pairs gold|tiers] [--max-pairs N] [--tiers BETTER,WORSE]]\n"
        "Runs refinement-through-differentiation until every prompt has K rounds in its current "
        "series\n"
        "(default 4) or fewer than two unused responses; a re-run continues where the last one "
        "stopped.\n"
        "The judge defaults to the proposer's endpoint and model, asked with the judge template.\n"
        "With --consistency, each rewrite is judged on the prompt's known preferences first (see\n"
        "generate --contrastive): contradicting criteria are dropped, and a rewrite that does not\n"
        "rank MIN of the pairs right is not saved (the prompt stops for this run).\n"
        "With --from-step, the pool is the current policy's: the responses serve rewarded at\n"
        "training step N (latest: the newest step), at most K per prompt with --sample (drawn\n"
        "with --seed), and only the prompts they answer. Give the judge settings serve ran with,\n"
        "so the verdicts it stored are reused. A series belongs to its step; a running serve\n"
        "picks up the new rubric versions by itself."},
    CommandText{
        "collect", "PROJECT ...         sample candidate responses from models",
        "collect PROJECT --models A,B,C [--n N] [--temperature T]\n"
        "         [--max-tokens N] [--tier NAME] [--off-policy] [--prompts all|ID,ID] [--rewrite "
        "ID,ID]\n"
        "         (--provider NAME | --base-url URL) [--kind openai|anthropic] [--key-env VAR]\n"
        "         [--concurrency N] [--timeout-ms N] [--retries N] [--max-cost USD] "
        "[--bypass-cache]\n"
        "         [--preview] [--json]\n"
        "Samples N responses per prompt from each model (stored as generator MODEL#k), or with\n"
        "--rewrite has each model rewrite the given responses (generator MODEL#rewrite-ID).\n"
        "Responses already collected are skipped, so a re-run resumes."},
    CommandText{
        "prune",
        "PROJECT ...           criteria dead among the top responses: list, prune, rewrite",
        "prune PROJECT [--run ID] [--top K (5) | --top-tier [--high-tiers T1,T2]] [--min-prompts "
        "N]\n"
        "         [--prompts all|ID,ID] [--json]\n"
        "         [--apply remove]\n"
        "         [--apply rewrite (--provider NAME | --base-url URL --model M) [--kind "
        "openai|anthropic]\n"
        "          [--key-env VAR] [--repair-model M] [--temperature T] [--max-tokens N]\n"
        "          [--concurrency N] [--timeout-ms N] [--retries N] [--max-cost USD] "
        "[--bypass-cache] [--preview]]\n"
        "Lists, for each prompt's current rubric, the criteria whose verdicts among the prompt's "
        "top\n"
        "responses (the K best by reward, or with --top-tier those of the high tiers, default\n"
        "excellent,great) all pass or all fail, at least two judged; criteria checked by code "
        "count\n"
        "too and are marked. --min-prompts N keeps only texts dead in at least N prompts; texts "
        "dead\n"
        "in many prompts are listed after the criteria. --apply remove saves per prompt a version\n"
        "without them (origin prune; a rubric is never left empty: that prompt is refused, exit "
        "3).\n"
        "--apply rewrite has the proposer rewrite them so they separate the top responses (origin\n"
        "prune-rewrite; a failed prompt is reported, exit 3). Both are idempotent: criteria no\n"
        "longer in the current rubric are skipped, so a re-run resumes."},
    CommandText{
        "providers", "probe ...            what a provider's model accepts",
        "providers probe (PROVIDER | --base-url URL --kind openai|anthropic) --model M\n"
        "         [--key-env VAR] [--api chat|responses|auto] [--json]\n"
        "Asks the model what it accepts (Anthropic's model description where offered, then one\n"
        "small request with temperature, seed, logprobs and a JSON schema, learning from every\n"
        "rejection) and stores it in the config folder's capabilities.json, so runs send no\n"
        "probe and no rejected request."},
    CommandText{
        "serve", "PROJECT ...           reward server for RL trainers (OpenRLHF, verl, TRL, ...)",
        "serve PROJECT (--provider NAME | --base-url URL[,URL...] --model M) [--kind "
        "openai|anthropic]\n"
        "         [--key-env VAR] [--mode joint|per-criterion|probability] [--votes N] "
        "[--show-weights]\n"
        "         [--structured auto|json_schema|json_object|tool|off] [--reasoning-effort E]\n"
        "         [--concurrency N] [--timeout-ms N] [--retries N] [--max-cost USD]\n"
        "         [--host 127.0.0.1] [--port N (8000; 0: any free port)] [--token-env VAR]\n"
        "         [--unknown-prompt error|zero] [--max-queue N (8192)] [--max-body-mb N (64)]\n"
        "         [--workers N (the cores, 2 to 4)] [--missing no|drop] [--status-every S (30)]\n"
        "         [--step-gap S (10)]\n"
        "Serves rewards over HTTP until SIGTERM (which finishes the requests in flight):\n"
        "  POST /get_reward   OpenRLHF: {query, prompts, labels} -> {rewards, scores, extra_logs}\n"
        "  POST /v1/rewards   {items: [{prompt | prompt_hash | prompt_id, response}]}\n"
        "  GET  /health, GET /metrics (Prometheus)\n"
        "Several --base-url (or URL,URL): judge replicas of one model, load-balanced by calls in\n"
        "flight; a failing replica is probed (GET URL/models) until it answers; /metrics shows\n"
        "rs_judge_replica_up and rs_judge_replica_requests_total per URL.\n"
        "Each response is judged in the project's judge run with these settings (a response\n"
        "judged before is not judged again) and rewarded exactly as `scores` rewards it; a failed\n"
        "judge call is an HTTP error naming the item, never a reward of 0. Every reward is\n"
        "logged in the project (stats: served_rewards) under the request's training step (a\n"
        "`step` field or an X-Training-Step header); OpenRLHF and verl send none, so until a\n"
        "request names one, a request after S seconds with none in flight (--step-gap; 0: off)\n"
        "starts the next step, numbered on from the log's highest. With --token-env VAR every "
        "request but\n"
        "/health and /metrics needs Authorization: Bearer TOKEN, or Basic credentials with the\n"
        "token as password (OpenRLHF: --reward.remote_url http://rs:TOKEN@host:port/get_reward).\n"
        "The first line on stdout is `listening on http://HOST:PORT`. While requests come in,\n"
        "stderr gets a status line every S seconds (rewards and their rate, judge calls sent and\n"
        "from the cache, failures, latency p50/p99, queue; 0: none), and a last one at exit."},
    CommandText{
        "training", "PROJECT [--json]     served rewards by training step (reward hacking signs)",
        "training PROJECT [--top K (3)] [--json]\n"
        "       training PROJECT --criterion [PROMPT:]ID [--json]\n"
        "       training PROJECT --panel-check PROVIDER[,PROVIDER...] [--step N|latest] [--top K]\n"
        "                [--json]\n"
        "From the rewards `serve` logged, by training step: reward mean and p10/p50/p90,\n"
        "per-criterion pass rate (saturated at >= 0.95 or <= 0.05) and its change since the\n"
        "criterion was first judged (change_since_first; the text names the last step's three\n"
        "largest rises), response length (chars,\n"
        "words), the share with Markdown headers or lists, the reward-length Spearman, and the\n"
        "top K rewarded responses (id, reward, first 200 characters).\n"
        "--criterion prints one criterion's pass rate and yes/no count at every step that judged\n"
        "it, for prompt PROMPT or for every prompt whose rubric has a criterion ID (JSON:\n"
        "criteria: prompt_id, criterion, text, steps: step, pass_rate, judged). A pass rate\n"
        "racing to 1 while the reward climbs is where to read the responses first.\n"
        "--panel-check asks a pairwise oracle (one saved provider, or a panel of 2 to 5 with\n"
        "different models; both orders; it never sees the rubric) whether each of the step's\n"
        "top K responses beats a contrast of its prompt: the median-reward other response\n"
        "served at that step, else the prompt's best never-served response under the same run\n"
        "and rubric version. A top response the panel ranks below its contrast is SUSPECT:\n"
        "reward the rubric gives but the panel does not see. Prints pairs checked, suspects\n"
        "and the panel's win rate of the top responses (ties count half); answers are stored\n"
        "as oracle preferences and reused, not asked again. JSON: step, pairs (prompt_id,\n"
        "top_response_id, top_reward, contrast_response_id, contrast_reward,\n"
        "panel_preference_top, suspect, members, ...), skipped, failed, suspect, win_rate.\n"
        "Exit code 3 when the panel failed on some pair (run again to retry)."},
};

const CommandText *find(std::string_view name) {
    for (const CommandText &c : kCommands)
        if (c.name == name)
            return &c;
    return nullptr;
}

} // namespace

QString usage(std::string_view command) {
    const CommandText *c = find(command);
    if (!c)
        return QStringLiteral("usage: rubric-studio-cli COMMAND [ARGS]");
    return QStringLiteral("usage: rubric-studio-cli ") + QString::fromUtf8(c->usage);
}

QString commandList() {
    QString out =
        QStringLiteral("usage: rubric-studio-cli COMMAND [ARGS] [--verbose]\n"
                       "       rubric-studio-cli COMMAND --help   (that command's usage)\n"
                       "\ncommands:\n");
    for (const CommandText &c : kCommands)
        out += QStringLiteral("  ") + QString::fromUtf8(c.name.data(), qsizetype(c.name.size())) +
               QLatin1Char(' ') + QString::fromUtf8(c.summary) + QLatin1Char('\n');
    out +=
        QStringLiteral("\n--verbose: log what the studio does on stderr (quiet otherwise, unless a "
                       "command fails).\n");
    return out;
}

} // namespace rs::cli

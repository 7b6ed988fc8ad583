#include "schema.h"

#include "database.h"

#include <array>
#include <string_view>

namespace rs::store::schema {
namespace {

// Version 1: prompts, responses and rubric versions, as the first import-only studio had them.
constexpr std::string_view kV1 = R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE prompts(
  id INTEGER PRIMARY KEY,
  text TEXT NOT NULL UNIQUE,
  dataset TEXT,
  external_id TEXT,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')));
CREATE TABLE responses(
  id INTEGER PRIMARY KEY,
  prompt_id INTEGER NOT NULL REFERENCES prompts(id) ON DELETE CASCADE,
  generator TEXT NOT NULL,
  text TEXT NOT NULL,
  text_hash INTEGER NOT NULL,
  source_file TEXT,
  tier TEXT,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  UNIQUE(prompt_id, generator, text_hash));
CREATE TABLE rubrics(
  id INTEGER PRIMARY KEY,
  prompt_id INTEGER NOT NULL REFERENCES prompts(id) ON DELETE CASCADE,
  name TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')));
CREATE TABLE rubric_versions(
  id INTEGER PRIMARY KEY,
  rubric_id INTEGER NOT NULL REFERENCES rubrics(id) ON DELETE CASCADE,
  parent_id INTEGER REFERENCES rubric_versions(id),
  origin TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')));
CREATE TABLE criteria(
  id INTEGER PRIMARY KEY,
  version_id INTEGER NOT NULL REFERENCES rubric_versions(id) ON DELETE CASCADE,
  stable_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  text TEXT NOT NULL,
  weight REAL NOT NULL,
  UNIQUE(version_id, stable_id));
CREATE INDEX responses_prompt ON responses(prompt_id);
CREATE INDEX rubrics_prompt ON rubrics(prompt_id);
CREATE INDEX criteria_version ON criteria(version_id);
)sql";

// Version 2: response metadata (length, empty flag, on/off policy), rubric scoring formats and
// categories, and the tables judging, overrides, the LLM cache and the cost ledger fill.
constexpr std::string_view kV2 = R"sql(
ALTER TABLE prompts ADD COLUMN conversation TEXT;
ALTER TABLE prompts ADD COLUMN tags TEXT;
ALTER TABLE responses ADD COLUMN off_policy INTEGER NOT NULL DEFAULT 0;
ALTER TABLE responses ADD COLUMN length INTEGER NOT NULL DEFAULT 0;
ALTER TABLE responses ADD COLUMN is_empty INTEGER NOT NULL DEFAULT 0;
UPDATE responses SET length = length(text), is_empty = (trim(text) = '');
CREATE INDEX responses_generator ON responses(generator);

ALTER TABLE rubrics ADD COLUMN scoring TEXT NOT NULL DEFAULT 'weights';
ALTER TABLE rubrics ADD COLUMN head_version_id INTEGER REFERENCES rubric_versions(id);
UPDATE rubrics SET head_version_id =
  (SELECT max(v.id) FROM rubric_versions v WHERE v.rubric_id = rubrics.id);
ALTER TABLE rubric_versions ADD COLUMN origin_detail TEXT;
ALTER TABLE rubric_versions ADD COLUMN tag TEXT;
ALTER TABLE criteria ADD COLUMN category TEXT;
ALTER TABLE criteria ADD COLUMN tags TEXT;
ALTER TABLE criteria ADD COLUMN content_hash INTEGER NOT NULL DEFAULT 0;

CREATE TABLE imports(
  id INTEGER PRIMARY KEY,
  files TEXT NOT NULL,
  format TEXT NOT NULL,
  summary TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')));
CREATE TABLE judge_runs(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  provider TEXT NOT NULL,
  model TEXT NOT NULL,
  mode TEXT NOT NULL CHECK (mode IN ('all_in_one', 'per_criterion')),
  show_weights INTEGER NOT NULL DEFAULT 0,
  gradings INTEGER NOT NULL DEFAULT 1,
  template TEXT NOT NULL,
  template_version TEXT NOT NULL,
  params TEXT NOT NULL DEFAULT '{}',
  status TEXT NOT NULL DEFAULT 'created',
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')));
CREATE TABLE verdicts(
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES judge_runs(id) ON DELETE CASCADE,
  response_id INTEGER NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
  criterion_hash INTEGER NOT NULL,
  stable_id TEXT NOT NULL,
  grading INTEGER NOT NULL DEFAULT 0,
  verdict TEXT NOT NULL CHECK (verdict IN ('yes', 'no', 'error')),
  rationale TEXT,
  raw TEXT,
  attempts INTEGER NOT NULL DEFAULT 1,
  cached INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  UNIQUE(run_id, response_id, criterion_hash, grading));
CREATE INDEX verdicts_response ON verdicts(response_id);
CREATE TABLE overrides(
  id INTEGER PRIMARY KEY,
  response_id INTEGER NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
  rubric_id INTEGER NOT NULL REFERENCES rubrics(id) ON DELETE CASCADE,
  stable_id TEXT NOT NULL,
  criterion_hash INTEGER NOT NULL,
  verdict TEXT NOT NULL CHECK (verdict IN ('yes', 'no')),
  note TEXT,
  author TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  reverted_at TEXT);
CREATE INDEX overrides_response ON overrides(response_id);
CREATE TABLE llm_cache(
  key TEXT PRIMARY KEY,
  provider_kind TEXT NOT NULL,
  model TEXT NOT NULL,
  request TEXT NOT NULL,
  response TEXT NOT NULL,
  tokens_in INTEGER NOT NULL DEFAULT 0,
  tokens_out INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')));
CREATE TABLE ledger(
  id INTEGER PRIMARY KEY,
  job_kind TEXT NOT NULL,
  job_id INTEGER,
  provider TEXT NOT NULL,
  model TEXT NOT NULL,
  tokens_in INTEGER NOT NULL DEFAULT 0,
  tokens_out INTEGER NOT NULL DEFAULT 0,
  cost_usd REAL NOT NULL DEFAULT 0,
  cached INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')));
CREATE INDEX ledger_job ON ledger(job_kind, job_id);
)sql";

// Version 3: one row per judge call (raw answer, attempts, cache state, tokens) shared by the
// verdicts it produced, so a joint call's raw text is stored once, not once per criterion;
// and gold preferences between two responses (imported, human, or a pairwise oracle).
constexpr std::string_view kV3 = R"sql(
CREATE TABLE judge_calls(
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES judge_runs(id) ON DELETE CASCADE,
  response_id INTEGER NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
  grading INTEGER NOT NULL DEFAULT 0,
  temperature REAL NOT NULL DEFAULT 0,
  raw TEXT,
  error TEXT,
  attempts INTEGER NOT NULL DEFAULT 1,
  cached INTEGER NOT NULL DEFAULT 0,
  tokens_in INTEGER NOT NULL DEFAULT 0,
  tokens_out INTEGER NOT NULL DEFAULT 0,
  cost_usd REAL NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')));
CREATE INDEX judge_calls_response ON judge_calls(response_id);
-- The UNIQUE(prompt_id, generator, text_hash) index already serves lookups by prompt; the
-- separate one only cost time on every imported response.
DROP INDEX responses_prompt;
ALTER TABLE verdicts ADD COLUMN call_id INTEGER REFERENCES judge_calls(id) ON DELETE SET NULL;
CREATE INDEX verdicts_run ON verdicts(run_id, response_id);
CREATE TABLE preferences(
  id INTEGER PRIMARY KEY,
  prompt_id INTEGER NOT NULL REFERENCES prompts(id) ON DELETE CASCADE,
  response_a INTEGER NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
  response_b INTEGER NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
  preference REAL,
  source TEXT NOT NULL,
  detail TEXT,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')));
CREATE INDEX preferences_prompt ON preferences(prompt_id);
)sql";

// Version 4, provider batch jobs (issue 7):
// what was written to batch input files, request by request, so that a provider's
// output file imports back through the LLM cache and unknown or repeated custom_ids are caught.
constexpr std::string_view kV4 = R"sql(
CREATE TABLE batch_jobs(
  id INTEGER PRIMARY KEY,
  job_kind TEXT NOT NULL,
  format TEXT NOT NULL CHECK (format IN ('openai', 'anthropic')),
  provider TEXT NOT NULL,
  config TEXT NOT NULL,
  run_id INTEGER REFERENCES judge_runs(id) ON DELETE SET NULL,
  files TEXT NOT NULL,
  requests INTEGER NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')));
CREATE TABLE batch_requests(
  custom_id TEXT PRIMARY KEY,
  batch_id INTEGER NOT NULL REFERENCES batch_jobs(id) ON DELETE CASCADE,
  file_index INTEGER NOT NULL,
  cache_key TEXT NOT NULL,
  request TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'sent' CHECK (status IN ('sent', 'answered', 'failed')),
  error TEXT,
  answered_at TEXT);
CREATE INDEX batch_requests_batch ON batch_requests(batch_id, status);
)sql";

// Version 5: imported RL training curves (step -> win rate, mean rubric reward) per rubric arm,
// for the over-optimisation chart.
constexpr std::string_view kV5 = R"sql(
CREATE TABLE training_curves(
  id INTEGER PRIMARY KEY,
  arm TEXT NOT NULL,
  step INTEGER NOT NULL,
  win_rate REAL,
  rubric_reward REAL,
  source_file TEXT,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  UNIQUE(arm, step));
)sql";

// Version 6: authoring (assigned 5, renumbered after training curves). generation_attempts
// keeps every proposer answer that was asked for a rubric (generation or an RTD rewrite), with the raw text and the repair pass, so a prompt whose
// answer could not be used stays inspectable and can be retried. rtd_rounds has one row per
// completed refinement round: the pair that drove it, their scores, ties at the top, the
// version it made. A "series" groups the rounds of one refinement pass over a prompt.
constexpr std::string_view kV6 = R"sql(
CREATE TABLE generation_attempts(
  id INTEGER PRIMARY KEY,
  prompt_id INTEGER NOT NULL REFERENCES prompts(id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('generation', 'rtd')),
  status TEXT NOT NULL CHECK (status IN ('ok', 'repaired', 'failed')),
  model TEXT NOT NULL,
  template_version TEXT NOT NULL,
  raw TEXT,
  repair_model TEXT,
  repair_raw TEXT,
  error TEXT,
  version_id INTEGER REFERENCES rubric_versions(id) ON DELETE SET NULL,
  tokens_in INTEGER NOT NULL DEFAULT 0,
  tokens_out INTEGER NOT NULL DEFAULT 0,
  cost_usd REAL NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')));
CREATE INDEX generation_attempts_prompt ON generation_attempts(prompt_id, kind);
CREATE TABLE rtd_rounds(
  id INTEGER PRIMARY KEY,
  prompt_id INTEGER NOT NULL REFERENCES prompts(id) ON DELETE CASCADE,
  series INTEGER NOT NULL DEFAULT 1,
  round INTEGER NOT NULL,
  selection TEXT NOT NULL,
  response_a INTEGER REFERENCES responses(id) ON DELETE SET NULL,
  response_b INTEGER REFERENCES responses(id) ON DELETE SET NULL,
  score_a REAL,
  score_b REAL,
  top_score REAL,
  ties_at_top INTEGER NOT NULL DEFAULT 0,
  pool_size INTEGER NOT NULL DEFAULT 0,
  judge_run_id INTEGER REFERENCES judge_runs(id) ON DELETE SET NULL,
  previous_version_id INTEGER REFERENCES rubric_versions(id) ON DELETE SET NULL,
  version_id INTEGER REFERENCES rubric_versions(id) ON DELETE SET NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  UNIQUE(prompt_id, series, round));
)sql";

// Version 7, real judges (issue 13): a verdict can be "refused" (the judge declined to answer:
// counted apart, not asked again) and carries P(yes) (token log-probabilities or the share of
// yes votes); judge calls and the ledger count cached-input and reasoning tokens; a cached
// answer keeps what the provider said beside its text (refusal, first-token alternatives).
// SQLite cannot change a CHECK constraint in place, so verdicts is rebuilt (nothing refers to it).
constexpr std::string_view kV7 = R"sql(
ALTER TABLE llm_cache ADD COLUMN meta TEXT;
ALTER TABLE judge_calls ADD COLUMN refused INTEGER NOT NULL DEFAULT 0;
ALTER TABLE judge_calls ADD COLUMN tokens_cached_in INTEGER NOT NULL DEFAULT 0;
ALTER TABLE judge_calls ADD COLUMN tokens_reasoning INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ledger ADD COLUMN tokens_cached_in INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ledger ADD COLUMN tokens_reasoning INTEGER NOT NULL DEFAULT 0;
CREATE TABLE verdicts_v7(
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES judge_runs(id) ON DELETE CASCADE,
  response_id INTEGER NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
  criterion_hash INTEGER NOT NULL,
  stable_id TEXT NOT NULL,
  grading INTEGER NOT NULL DEFAULT 0,
  verdict TEXT NOT NULL CHECK (verdict IN ('yes', 'no', 'error', 'refused')),
  rationale TEXT,
  raw TEXT,
  attempts INTEGER NOT NULL DEFAULT 1,
  cached INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  call_id INTEGER REFERENCES judge_calls(id) ON DELETE SET NULL,
  p_yes REAL,
  UNIQUE(run_id, response_id, criterion_hash, grading));
INSERT INTO verdicts_v7(id, run_id, response_id, criterion_hash, stable_id, grading, verdict,
  rationale, raw, attempts, cached, created_at, call_id)
  SELECT id, run_id, response_id, criterion_hash, stable_id, grading, verdict, rationale, raw,
         attempts, cached, created_at, call_id FROM verdicts;
DROP TABLE verdicts;
ALTER TABLE verdicts_v7 RENAME TO verdicts;
CREATE INDEX verdicts_response ON verdicts(response_id);
CREATE INDEX verdicts_run ON verdicts(run_id, response_id);
)sql";

// Version 8: rubric design (issue 16). A criterion may be checked by code instead of the judge
// (check_json: the canonical check, NULL for a judged criterion) and may be a veto (a failed
// veto caps the reward); a version carries its aggregation (canonical JSON with type,
// veto_cap and shaping; NULL: the rubric's scoring with no cap and no shaping). Old rows keep
// NULL/0, which means exactly what they meant before.
constexpr std::string_view kV8 = R"sql(
ALTER TABLE criteria ADD COLUMN check_json TEXT;
ALTER TABLE criteria ADD COLUMN veto INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rubric_versions ADD COLUMN aggregation TEXT;
)sql";

// Version 9: the reward server's log, one row per item it answered (issue 14). A reward is
// logged with the rubric version and judge run it came from, so a training curve can be read
// against the rubric that produced it.
constexpr std::string_view kV9 = R"sql(
CREATE TABLE served_rewards(
  id INTEGER PRIMARY KEY,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  step INTEGER,
  endpoint TEXT NOT NULL,
  prompt_id INTEGER REFERENCES prompts(id) ON DELETE SET NULL,
  response_id INTEGER REFERENCES responses(id) ON DELETE SET NULL,
  rubric_version_id INTEGER REFERENCES rubric_versions(id) ON DELETE SET NULL,
  run_id INTEGER REFERENCES judge_runs(id) ON DELETE SET NULL,
  status TEXT NOT NULL CHECK (status IN ('ok', 'failed', 'unknown_prompt')),
  reward REAL,
  reward_soft REAL,
  pass_fraction REAL,
  criteria TEXT,
  cached INTEGER NOT NULL DEFAULT 0,
  response_length INTEGER NOT NULL DEFAULT 0,
  latency_ms REAL,
  error TEXT);
CREATE INDEX served_rewards_step ON served_rewards(step);
)sql";

// Version 10: blind human labels (issue 15). A label names its cell by response, criterion
// stable id and the criterion's text, so it stops applying when the criterion is rewritten
// and never depends on a judge run's settings. One label per annotator and cell; the queue
// keeps the labelling view's stratified sample, so labelling resumes where it stopped. Human
// corrections attached to a criterion are few-shot examples in the judge's prompt.
constexpr std::string_view kV10 = R"sql(
CREATE TABLE labels(
  id INTEGER PRIMARY KEY,
  response_id INTEGER NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
  stable_id TEXT NOT NULL,
  criterion TEXT NOT NULL,
  annotator TEXT NOT NULL,
  label TEXT NOT NULL CHECK (label IN ('yes', 'no', 'skip')),
  labelled_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  UNIQUE(response_id, stable_id, criterion, annotator));
CREATE TABLE label_queue(
  position INTEGER PRIMARY KEY,
  response_id INTEGER NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
  stable_id TEXT NOT NULL,
  criterion TEXT NOT NULL,
  UNIQUE(response_id, stable_id, criterion));
CREATE TABLE criterion_examples(
  id INTEGER PRIMARY KEY,
  response_id INTEGER NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
  stable_id TEXT NOT NULL,
  criterion TEXT NOT NULL,
  met INTEGER NOT NULL,
  annotator TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  UNIQUE(response_id, stable_id, criterion));
)sql";

// Version 11: contrastive generation (issue 16). A proposer answer can come from contrastive
// generation or a pruning rewrite, and a contrastive rubric the consistency filter rejected
// is kept as "inconsistent" (its answer stays inspectable; nothing was saved). SQLite cannot
// change a CHECK constraint in place, so the table is rebuilt (nothing refers to it).
constexpr std::string_view kV11 = R"sql(
CREATE TABLE generation_attempts_v11(
  id INTEGER PRIMARY KEY,
  prompt_id INTEGER NOT NULL REFERENCES prompts(id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('generation', 'rtd', 'contrastive', 'prune')),
  status TEXT NOT NULL CHECK (status IN ('ok', 'repaired', 'failed', 'inconsistent')),
  model TEXT NOT NULL,
  template_version TEXT NOT NULL,
  raw TEXT,
  repair_model TEXT,
  repair_raw TEXT,
  error TEXT,
  version_id INTEGER REFERENCES rubric_versions(id) ON DELETE SET NULL,
  tokens_in INTEGER NOT NULL DEFAULT 0,
  tokens_out INTEGER NOT NULL DEFAULT 0,
  cost_usd REAL NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')));
INSERT INTO generation_attempts_v11 SELECT * FROM generation_attempts;
DROP TABLE generation_attempts;
ALTER TABLE generation_attempts_v11 RENAME TO generation_attempts;
CREATE INDEX generation_attempts_prompt ON generation_attempts(prompt_id, kind);
)sql";

// Version 12 (assigned 11, renumbered after contrastive generation): holistic scores (issue
// 16, implicit aggregation). A rubric version with the implicit aggregation is graded by one judge call per response and grading that returns a
// 1-10 score with the rubric as guidance. The score is keyed by the guidance's hash (its
// criteria as shown to the judge, and the holistic template's version) the way a verdict is
// keyed by its criterion's hash: editing the guidance asks again, re-running does not. A call
// that failed or was refused keeps its row (status) with no score, as verdicts do.
constexpr std::string_view kV12 = R"sql(
CREATE TABLE holistic_scores(
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES judge_runs(id) ON DELETE CASCADE,
  response_id INTEGER NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
  guidance_hash INTEGER NOT NULL,
  grading INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL CHECK (status IN ('ok', 'error', 'refused')),
  score INTEGER CHECK (score BETWEEN 1 AND 10),
  rationale TEXT,
  attempts INTEGER NOT NULL DEFAULT 1,
  cached INTEGER NOT NULL DEFAULT 0,
  call_id INTEGER REFERENCES judge_calls(id) ON DELETE SET NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  CHECK ((status = 'ok') = (score IS NOT NULL)),
  UNIQUE(run_id, response_id, guidance_hash, grading));
CREATE INDEX holistic_scores_response ON holistic_scores(response_id);
)sql";

constexpr std::array<std::string_view, kCurrentVersion> kMigrations{
    kV1, kV2, kV3, kV4, kV5, kV6, kV7, kV8, kV9, kV10, kV11, kV12};

Expected<void> applyMigrations(Database &db, int from, int to)
{
    Transaction tx(db);
    if (auto r = tx.begin(); !r)
        return r;
    for (int v = from; v < to; ++v) {
        if (auto r = db.exec(kMigrations[size_t(v)]); !r)
            return makeError(QStringLiteral("migration to schema version %1 failed: %2")
                                 .arg(v + 1)
                                 .arg(r.error().message),
                             db.path());
    }
    if (auto r = db.exec("PRAGMA user_version = " + std::to_string(to)); !r)
        return r;
    if (auto r = db.exec("PRAGMA application_id = " + std::to_string(kApplicationId)); !r)
        return r;
    return tx.commit();
}

} // namespace

Expected<int> version(Database &db)
{
    auto v = db.scalar("PRAGMA user_version");
    if (!v)
        return v.error();
    return int(v.value());
}

Expected<void> createAtVersion(Database &db, int target)
{
    if (target < 1 || target > kCurrentVersion)
        return makeError(QStringLiteral("no schema version %1").arg(target));
    return applyMigrations(db, 0, target);
}

Expected<void> create(Database &db) { return createAtVersion(db, kCurrentVersion); }

Expected<void> migrate(Database &db)
{
    auto app = db.scalar("PRAGMA application_id");
    if (!app)
        return makeError(QStringLiteral("not a Rubric Studio project (%1)")
                             .arg(app.error().message),
                         db.path());
    auto v = version(db);
    if (!v)
        return v.error();
    if (app.value() != kApplicationId)
        return makeError(QStringLiteral("not a Rubric Studio project"), db.path());
    if (v.value() > kCurrentVersion)
        return makeError(QStringLiteral("the project has schema version %1, newer than this studio "
                                        "understands (%2); open it with a newer Rubric Studio")
                             .arg(v.value())
                             .arg(kCurrentVersion),
                         db.path());
    if (v.value() == kCurrentVersion)
        return {};
    return applyMigrations(db, v.value(), kCurrentVersion);
}

} // namespace rs::store::schema

/**
 * The PostgreSQL backend's schema, as numbered migrations applied in order inside drover's own
 * schema (default `drover`). Each runs once, in one transaction, recorded in `migrations`; a
 * released migration is never edited — a change is a new entry. `$S` stands for the quoted
 * schema name.
 */
export const MIGRATIONS: readonly { readonly version: number; readonly sql: string }[] = [
  {
    version: 1,
    sql: `
CREATE TABLE $S.runs (
  id text PRIMARY KEY,
  install_dir text NOT NULL,
  detected jsonb NOT NULL,
  seq bigint NOT NULL DEFAULT 0,
  status text NOT NULL,
  seeded boolean NOT NULL DEFAULT false,
  created_at text NOT NULL,
  updated_at text NOT NULL
);
CREATE TABLE $S.tasks (
  run_id text NOT NULL REFERENCES $S.runs (id) ON DELETE CASCADE,
  id text NOT NULL,
  position integer NOT NULL,
  type text NOT NULL,
  label text NOT NULL,
  status text NOT NULL,
  depends_on text[] NOT NULL,
  inputs jsonb NOT NULL,
  attempts integer NOT NULL,
  max_attempts integer NOT NULL,
  enqueued_by text NOT NULL,
  depth integer NOT NULL,
  optional boolean NOT NULL,
  sink boolean NOT NULL,
  created_at text NOT NULL,
  started_at text,
  finished_at text,
  error jsonb,
  unmet integer NOT NULL,
  lease_owner text,
  lease_expires_at timestamptz,
  reported jsonb,
  PRIMARY KEY (run_id, id),
  UNIQUE (run_id, position)
);
CREATE INDEX tasks_ready ON $S.tasks (run_id, position) WHERE status = 'pending' AND unmet = 0;
CREATE INDEX tasks_leases ON $S.tasks (lease_expires_at) WHERE status = 'running';
CREATE TABLE $S.edges (
  run_id text NOT NULL,
  dependency text NOT NULL,
  dependent text NOT NULL,
  PRIMARY KEY (run_id, dependency, dependent),
  FOREIGN KEY (run_id, dependency) REFERENCES $S.tasks (run_id, id) ON DELETE CASCADE,
  FOREIGN KEY (run_id, dependent) REFERENCES $S.tasks (run_id, id) ON DELETE CASCADE
);
CREATE TABLE $S.events (
  run_id text NOT NULL REFERENCES $S.runs (id) ON DELETE CASCADE,
  seq bigint NOT NULL,
  ts text NOT NULL,
  event text NOT NULL,
  body jsonb NOT NULL,
  PRIMARY KEY (run_id, seq)
);
CREATE TABLE $S.handoffs (
  run_id text NOT NULL,
  task_id text NOT NULL,
  body jsonb NOT NULL,
  PRIMARY KEY (run_id, task_id),
  FOREIGN KEY (run_id, task_id) REFERENCES $S.tasks (run_id, id) ON DELETE CASCADE
);
`,
  },
  {
    // The port's refusal budget, artifacts, write scopes, run end times and the completion order of handoffs.
    version: 2,
    sql: `
ALTER TABLE $S.tasks ADD COLUMN writes text[];
ALTER TABLE $S.runs ADD COLUMN ended_at text;
ALTER TABLE $S.handoffs ADD COLUMN seq bigint;
CREATE TABLE $S.refusals (
  run_id text NOT NULL REFERENCES $S.runs (id) ON DELETE CASCADE,
  caller text NOT NULL,
  attempt integer NOT NULL,
  count integer NOT NULL,
  PRIMARY KEY (run_id, caller, attempt)
);
CREATE TABLE $S.artifacts (
  run_id text NOT NULL,
  task_id text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('prompt', 'log')),
  attempt integer NOT NULL,
  text text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (run_id, task_id, kind),
  FOREIGN KEY (run_id, task_id) REFERENCES $S.tasks (run_id, id) ON DELETE CASCADE
);
`,
  },
  {
    // Operation ids, so an operation retried after a lost reply applies once (see PostgresBackend#tx).
    version: 3,
    sql: `
CREATE TABLE $S.ops (
  id uuid PRIMARY KEY,
  run_id text NOT NULL,
  result jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ops_created ON $S.ops (created_at);
`,
  },
  {
    // Give-backs by the reaper, counted so a task whose agent kills its worker every time fails instead of running forever.
    version: 4,
    sql: `
ALTER TABLE $S.tasks ADD COLUMN give_backs integer NOT NULL DEFAULT 0;
`,
  },
  {
    // The hot transitions as functions: one round trip each, their statements planned once per connection (see
    // docs/decisions/2026-12-02-pg-hot-path-functions.md). Each takes the run's advisory lock shared and records its
    // operation id like PostgresBackend#tx, and answers {"state": "fallback"} — having changed nothing — whenever
    // the case is not the common one, for the TypeScript path (which decides with the pure queue/ functions) to handle.
    version: 5,
    sql: `
-- Starts of each run's tasks by every worker together, for the run-wide start backstop (PostgresBackend.maxStartsPerTask).
ALTER TABLE $S.runs ADD COLUMN starts bigint NOT NULL DEFAULT 0;
UPDATE $S.runs r SET starts = (SELECT COALESCE(sum(t.attempts), 0) FROM $S.tasks t WHERE t.run_id = r.id);

CREATE OR REPLACE FUNCTION $S.now_text() RETURNS text LANGUAGE sql STABLE AS $fn$
  SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$fn$;

-- Numbers the events from the run's counter (its row stays locked until commit, so seqs are gapless and commit in order) and stores them;
-- p_starts is added to the run's start counter in the same row update. Returns the first seq.
CREATE OR REPLACE FUNCTION $S.record_events(p_run text, p_ts text, p_events jsonb, p_starts integer DEFAULT 0) RETURNS bigint LANGUAGE plpgsql AS $fn$
DECLARE
  v_count integer := jsonb_array_length(p_events);
  v_last bigint;
BEGIN
  UPDATE $S.runs SET seq = seq + v_count, starts = starts + p_starts, updated_at = p_ts WHERE id = p_run RETURNING seq INTO v_last;
  IF v_last IS NULL THEN
    RAISE EXCEPTION 'no run %', p_run USING ERRCODE = 'no_data_found';
  END IF;
  INSERT INTO $S.events (run_id, seq, ts, event, body)
  SELECT p_run, v_last - v_count + d.n, p_ts, d.e->>'event', d.e || jsonb_build_object('seq', v_last - v_count + d.n, 'ts', p_ts)
  FROM jsonb_array_elements(p_events) WITH ORDINALITY AS d(e, n);
  RETURN v_last - v_count + 1;
END
$fn$;

-- The operation's head, as PostgresBackend#tx: the run's lock taken shared, the operation id recorded. NULL when the id is new;
-- else the id's stored answer wrapped as a replay (an earlier try committed and its reply was lost).
CREATE OR REPLACE FUNCTION $S.begin_op(p_op uuid, p_schema text, p_run text) RETURNS jsonb LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM pg_advisory_xact_lock_shared(hashtext(p_schema), hashtext(p_run));
  INSERT INTO $S.ops (id, run_id) VALUES (p_op, p_run) ON CONFLICT (id) DO NOTHING;
  IF FOUND THEN
    RETURN NULL;
  END IF;
  RETURN jsonb_build_object('state', 'replay', 'result', (SELECT result FROM $S.ops WHERE id = p_op));
END
$fn$;

-- claim: the first p_max ready tasks of the run (FOR UPDATE SKIP LOCKED), started and leased to p_worker, within the run's start
-- backstop (p_per_task starts per task; positions are dense, so the task count is the last position + 1, one index probe).
-- Falls back when one of them has a write scope (the TypeScript path pages past scopes that meet held ones), or when the
-- backstop leaves no start (the TypeScript path fails what is pending).
CREATE OR REPLACE FUNCTION $S.claim_ready(p_op uuid, p_schema text, p_run text, p_worker text, p_max integer, p_lease_ms double precision, p_per_task integer) RETURNS jsonb LANGUAGE plpgsql AS $fn$
DECLARE
  v_replay jsonb := $S.begin_op(p_op, p_schema, p_run);
  v_ts text := $S.now_text();
  v_allowed bigint;
  v_ids text[];
  v_scoped boolean;
  v_rows jsonb;
BEGIN
  IF v_replay IS NOT NULL THEN
    RETURN v_replay;
  END IF;
  SELECT least(p_max, p_per_task * (SELECT COALESCE(max(t.position) + 1, 0) FROM $S.tasks t WHERE t.run_id = p_run) - r.starts)
  INTO v_allowed FROM $S.runs r WHERE r.id = p_run;
  SELECT array_agg(c.id ORDER BY c.position), bool_or(cardinality(c.writes) > 0) INTO v_ids, v_scoped FROM (
    SELECT t.id, t.position, t.writes FROM $S.tasks t JOIN $S.runs r ON r.id = t.run_id
    WHERE t.run_id = p_run AND r.status = 'running' AND t.status = 'pending' AND t.unmet = 0
      AND (t.lease_owner IS NULL OR t.lease_expires_at IS NULL OR t.lease_expires_at < now())
    ORDER BY t.position LIMIT greatest(v_allowed, 1) FOR UPDATE OF t SKIP LOCKED
  ) c;
  IF v_scoped OR (v_ids IS NOT NULL AND v_allowed < 1) THEN
    DELETE FROM $S.ops WHERE id = p_op;
    RETURN '{"state": "fallback"}'::jsonb;
  END IF;
  IF v_ids IS NULL THEN
    UPDATE $S.ops SET result = '[]' WHERE id = p_op;
    RETURN '{"state": "done", "result": []}'::jsonb;
  END IF;
  WITH claimed AS (
    UPDATE $S.tasks t SET status = 'running', attempts = t.attempts + 1, started_at = v_ts, finished_at = NULL, reported = NULL,
      lease_owner = p_worker, lease_expires_at = now() + p_lease_ms * interval '1 millisecond'
    WHERE t.run_id = p_run AND t.id = ANY (v_ids)
    RETURNING t.*
  )
  SELECT jsonb_agg(to_jsonb(c) || jsonb_build_object('lease_iso', to_char(c.lease_expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) ORDER BY c.position)
  INTO v_rows FROM claimed c;
  PERFORM $S.record_events(p_run, v_ts, (
    SELECT jsonb_agg(jsonb_build_object('event', 'task-started', 'taskId', r.claimed->'id', 'attempt', r.claimed->'attempts') ORDER BY r.n)
    FROM jsonb_array_elements(v_rows) WITH ORDINALITY AS r(claimed, n)
  ), cardinality(v_ids));
  UPDATE $S.ops SET result = v_rows WHERE id = p_op;
  PERFORM pg_notify(p_schema || '.wake', p_run);
  RETURN jsonb_build_object('state', 'done', 'result', v_rows);
END
$fn$;

-- complete: a fenced attempt of a running task that has not reported yet, reporting done or skipped. Its handoff (built by the
-- caller) gets the task's type and the database's time; its dependents wait for one fewer (locked in id order). Anything else
-- (a failure, a stale or repeated call) falls back.
CREATE OR REPLACE FUNCTION $S.complete_attempt(p_op uuid, p_schema text, p_run text, p_task text, p_attempt integer, p_worker text, p_status text, p_handoff jsonb) RETURNS jsonb LANGUAGE plpgsql AS $fn$
DECLARE
  v_replay jsonb := $S.begin_op(p_op, p_schema, p_run);
  v_ts text := $S.now_text();
  v_row $S.tasks;
  v_handoff jsonb;
  v_seq bigint;
  v_result jsonb;
BEGIN
  IF v_replay IS NOT NULL THEN
    RETURN v_replay;
  END IF;
  SELECT * INTO v_row FROM $S.tasks WHERE run_id = p_run AND id = p_task FOR UPDATE;
  IF NOT FOUND OR v_row.attempts <> p_attempt OR v_row.lease_owner IS DISTINCT FROM p_worker OR v_row.status <> 'running'
     OR v_row.reported IS NOT NULL OR p_status NOT IN ('done', 'skipped') THEN
    DELETE FROM $S.ops WHERE id = p_op;
    RETURN '{"state": "fallback"}'::jsonb;
  END IF;
  UPDATE $S.tasks SET status = p_status, finished_at = v_ts, error = NULL, lease_expires_at = NULL WHERE run_id = p_run AND id = p_task;
  v_handoff := p_handoff || jsonb_build_object('type', v_row.type, 'completedAt', v_ts);
  v_seq := $S.record_events(p_run, v_ts, jsonb_build_array(jsonb_build_object(
    'event', CASE p_status WHEN 'done' THEN 'task-completed' ELSE 'task-skipped' END, 'taskId', p_task, 'handoff', v_handoff)));
  INSERT INTO $S.handoffs (run_id, task_id, body, seq) VALUES (p_run, p_task, v_handoff, v_seq)
  ON CONFLICT (run_id, task_id) DO UPDATE SET body = EXCLUDED.body, seq = EXCLUDED.seq;
  -- A running task did not satisfy its dependents before; now it does.
  WITH locked AS (
    SELECT t.id FROM $S.tasks t JOIN $S.edges e ON e.run_id = t.run_id AND e.dependent = t.id
    WHERE e.run_id = p_run AND e.dependency = p_task ORDER BY t.id FOR UPDATE OF t
  )
  UPDATE $S.tasks t SET unmet = t.unmet - 1 FROM locked WHERE t.run_id = p_run AND t.id = locked.id;
  v_result := jsonb_build_object('ok', true, 'value', jsonb_build_object('status', p_status));
  UPDATE $S.ops SET result = v_result WHERE id = p_op;
  PERFORM pg_notify(p_schema || '.wake', p_run);
  RETURN jsonb_build_object('state', 'done', 'result', v_result);
END
$fn$;

-- finishAttempt after the task has left running (it reported, was retried meanwhile, or the fence refuses the caller): only the
-- lease is dropped. Committed without waiting for the WAL flush: a server crash that loses it costs at most a retried task's
-- lease grace. A task still running (no report, a held failure) falls back.
CREATE OR REPLACE FUNCTION $S.finish_reported(p_op uuid, p_schema text, p_run text, p_task text, p_attempt integer, p_worker text) RETURNS jsonb LANGUAGE plpgsql AS $fn$
DECLARE
  v_replay jsonb := $S.begin_op(p_op, p_schema, p_run);
  v_status text;
  v_attempts integer;
  v_owner text;
BEGIN
  IF v_replay IS NOT NULL THEN
    RETURN v_replay;
  END IF;
  SELECT status, attempts, lease_owner INTO v_status, v_attempts, v_owner FROM $S.tasks WHERE run_id = p_run AND id = p_task FOR UPDATE;
  IF NOT FOUND OR v_attempts <> p_attempt OR v_owner IS DISTINCT FROM p_worker THEN
    UPDATE $S.ops SET result = '"stale"' WHERE id = p_op;
    PERFORM set_config('synchronous_commit', 'off', true);
    RETURN '{"state": "done", "result": "stale"}'::jsonb;
  END IF;
  IF v_status = 'running' THEN
    DELETE FROM $S.ops WHERE id = p_op;
    RETURN '{"state": "fallback"}'::jsonb;
  END IF;
  UPDATE $S.tasks SET lease_owner = NULL, lease_expires_at = NULL WHERE run_id = p_run AND id = p_task;
  UPDATE $S.ops SET result = '"applied"' WHERE id = p_op;
  -- Retried while this attempt's agent was exiting: it has now, so the task may start again.
  IF v_status = 'pending' THEN
    PERFORM pg_notify(p_schema || '.wake', p_run);
  END IF;
  PERFORM set_config('synchronous_commit', 'off', true);
  RETURN '{"state": "done", "result": "applied"}'::jsonb;
END
$fn$;
`,
  },
  {
    // The program each run needs its workers to serve (RunIdentity.program), so a worker claims only the runs it can run
    // right: claim_ready gains p_programs (its signature changes, so the old one is dropped). Runs from before are keyed by
    // their seed task's seeder (integrate, fanout:<digest>), or integrate when they have none (the only CLI program on
    // PostgreSQL before the seed task). See docs/decisions/2026-12-02-runs-name-their-program.md.
    version: 6,
    sql: `
ALTER TABLE $S.runs ADD COLUMN program text;
UPDATE $S.runs r SET program = COALESCE((SELECT t.inputs->>'seeder' FROM $S.tasks t WHERE t.run_id = r.id AND t.id = 'seed'), 'integrate');
DROP FUNCTION $S.claim_ready(uuid, text, text, text, integer, double precision, integer);

-- As in version 5, and only from a run whose program is among p_programs (any run when it is NULL).
CREATE FUNCTION $S.claim_ready(p_op uuid, p_schema text, p_run text, p_worker text, p_max integer, p_lease_ms double precision, p_per_task integer, p_programs text[] DEFAULT NULL) RETURNS jsonb LANGUAGE plpgsql AS $fn$
DECLARE
  v_replay jsonb := $S.begin_op(p_op, p_schema, p_run);
  v_ts text := $S.now_text();
  v_allowed bigint;
  v_ids text[];
  v_scoped boolean;
  v_rows jsonb;
BEGIN
  IF v_replay IS NOT NULL THEN
    RETURN v_replay;
  END IF;
  SELECT least(p_max, p_per_task * (SELECT COALESCE(max(t.position) + 1, 0) FROM $S.tasks t WHERE t.run_id = p_run) - r.starts)
  INTO v_allowed FROM $S.runs r WHERE r.id = p_run;
  SELECT array_agg(c.id ORDER BY c.position), bool_or(cardinality(c.writes) > 0) INTO v_ids, v_scoped FROM (
    SELECT t.id, t.position, t.writes FROM $S.tasks t JOIN $S.runs r ON r.id = t.run_id
    WHERE t.run_id = p_run AND r.status = 'running' AND t.status = 'pending' AND t.unmet = 0
      AND (p_programs IS NULL OR r.program = ANY (p_programs))
      AND (t.lease_owner IS NULL OR t.lease_expires_at IS NULL OR t.lease_expires_at < now())
    ORDER BY t.position LIMIT greatest(v_allowed, 1) FOR UPDATE OF t SKIP LOCKED
  ) c;
  IF v_scoped OR (v_ids IS NOT NULL AND v_allowed < 1) THEN
    DELETE FROM $S.ops WHERE id = p_op;
    RETURN '{"state": "fallback"}'::jsonb;
  END IF;
  IF v_ids IS NULL THEN
    UPDATE $S.ops SET result = '[]' WHERE id = p_op;
    RETURN '{"state": "done", "result": []}'::jsonb;
  END IF;
  WITH claimed AS (
    UPDATE $S.tasks t SET status = 'running', attempts = t.attempts + 1, started_at = v_ts, finished_at = NULL, reported = NULL,
      lease_owner = p_worker, lease_expires_at = now() + p_lease_ms * interval '1 millisecond'
    WHERE t.run_id = p_run AND t.id = ANY (v_ids)
    RETURNING t.*
  )
  SELECT jsonb_agg(to_jsonb(c) || jsonb_build_object('lease_iso', to_char(c.lease_expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) ORDER BY c.position)
  INTO v_rows FROM claimed c;
  PERFORM $S.record_events(p_run, v_ts, (
    SELECT jsonb_agg(jsonb_build_object('event', 'task-started', 'taskId', r.claimed->'id', 'attempt', r.claimed->'attempts') ORDER BY r.n)
    FROM jsonb_array_elements(v_rows) WITH ORDINALITY AS r(claimed, n)
  ), cardinality(v_ids));
  UPDATE $S.ops SET result = v_rows WHERE id = p_op;
  PERFORM pg_notify(p_schema || '.wake', p_run);
  RETURN jsonb_build_object('state', 'done', 'result', v_rows);
END
$fn$;
`,
  },
];

/** The newest schema version this drover knows. */
export const SCHEMA_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));

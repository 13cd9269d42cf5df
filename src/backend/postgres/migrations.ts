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
];

/** The newest schema version this drover knows. */
export const SCHEMA_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));

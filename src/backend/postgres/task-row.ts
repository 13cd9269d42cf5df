import type { Task, TaskError } from '../../queue/task.js';

/** A `tasks` row as `pg` returns it. */
export interface TaskRow {
  readonly run_id: string;
  readonly id: string;
  readonly position: number;
  readonly type: string;
  readonly label: string;
  readonly status: Task['status'];
  readonly depends_on: string[];
  readonly inputs: Record<string, unknown>;
  readonly attempts: number;
  readonly max_attempts: number;
  readonly enqueued_by: string;
  readonly depth: number;
  readonly optional: boolean;
  readonly sink: boolean;
  readonly created_at: string;
  readonly started_at: string | null;
  readonly finished_at: string | null;
  readonly error: TaskError | null;
  readonly unmet: number;
  readonly writes: string[] | null;
  readonly lease_owner: string | null;
  /** How many times the reaper gave this task back (migration 4). */
  readonly give_backs: number;
  readonly reported: { goal: string; did: string; forNextAgent: string } | null;
}

/** The task as `queue.json` shows it: optional fields only when set, as the pure model leaves them. */
export function taskFromRow(row: TaskRow): Task {
  return {
    id: row.id,
    type: row.type,
    label: row.label,
    status: row.status,
    dependsOn: row.depends_on,
    inputs: row.inputs,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    enqueuedBy: row.enqueued_by,
    depth: row.depth,
    optional: row.optional,
    createdAt: row.created_at,
    ...(row.sink ? { sink: true } : {}),
    ...(row.started_at !== null ? { startedAt: row.started_at } : {}),
    ...(row.finished_at !== null ? { finishedAt: row.finished_at } : {}),
    ...(row.error !== null ? { error: row.error } : {}),
    ...(row.writes !== null && row.writes.length > 0 ? { writes: row.writes } : {}),
  };
}

import type { z as Z } from 'zod';
import { loadZod } from '../../util/load-zod.js';

/**
 * Shapes of the files in a state directory, checked when a run is loaded so a damaged file
 * gives a clear error instead of a crash deep in recovery. Fields drover writes but does not
 * need to recover are passed through. A function of zod: a fresh run reads none of these files,
 * so zod is loaded (by `stateSchemas`) only when one is read.
 */
export function defineStateSchemas(z: typeof Z) {
  const taskError = z.looseObject({ kind: z.string(), message: z.string(), dependency: z.string().optional() });

  const taskSchema = z.looseObject({
    id: z.string().min(1),
    type: z.string().min(1),
    label: z.string(),
    status: z.enum(['pending', 'running', 'done', 'failed', 'skipped', 'blocked']),
    dependsOn: z.array(z.string()),
    inputs: z.record(z.string(), z.unknown()),
    attempts: z.number().int().min(0),
    maxAttempts: z.number().int().min(1),
    enqueuedBy: z.string(),
    depth: z.number().int().min(0),
    optional: z.boolean(),
    sink: z.boolean().optional(),
    writes: z.array(z.string()).optional(),
    createdAt: z.string(),
    startedAt: z.string().optional(),
    finishedAt: z.string().optional(),
    error: taskError.optional(),
  });

  const snapshotSchema = z.looseObject({
    version: z.literal(1),
    runId: z.string(),
    installDir: z.string(),
    detected: z.looseObject({ framework: z.string().nullable(), packageManager: z.string().nullable() }),
    seq: z.number().int().min(0),
    status: z.enum(['running', 'done', 'failed', 'blocked', 'interrupted', 'cancelled']),
    seeded: z.boolean().default(true),
    createdAt: z.string(),
    updatedAt: z.string(),
    tasks: z.array(taskSchema),
  });

  const handoffSchema = z.looseObject({
    taskId: z.string(),
    type: z.string(),
    status: z.enum(['done', 'failed', 'skipped']),
    goal: z.string(),
    did: z.string(),
    forNextAgent: z.string(),
    filesTouched: z.array(z.string()).optional(),
    evidence: z.string().optional(),
    assumptions: z.string().optional(),
    completedAt: z.string(),
  });

  const auditEventSchema = z.looseObject({
    seq: z.number().int().min(1),
    ts: z.string(),
    event: z.enum([
      'run-started',
      'run-resumed',
      'run-seeded',
      'task-enqueued',
      'task-started',
      'task-completed',
      'task-skipped',
      'task-failed',
      'task-requeued',
      'task-blocked',
      'guard-tripped',
      'task-retried',
      'run-cancel-requested',
      'run-finished',
    ]),
    taskId: z.string().optional(),
    task: taskSchema.optional(),
    handoff: handoffSchema.optional(),
  });

  return { taskSchema, snapshotSchema, handoffSchema, auditEventSchema };
}

let schemas: ReturnType<typeof defineStateSchemas> | undefined;

/** The state schemas, built on first use with zod loaded then. */
export function stateSchemas(): ReturnType<typeof defineStateSchemas> {
  schemas ??= defineStateSchemas(loadZod());
  return schemas;
}

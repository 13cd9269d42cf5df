import type { z as Z } from 'zod';
import { expectedMessage } from '../config/expected-message.js';
import { GENERIC_FANOUT_RECONCILE_RECONCILIATION_SCHEMA, PLAN_SCHEMA } from './fanout-schema-ids.js';

/**
 * The plan and result documents as zod schemas: the source of `schemas/fanout-plan.schema.json`
 * and `schemas/fanout-result.schema.json`, and what the CLI checks a `--plan` file against
 * (`isFanoutPlanInput` is that one's fast check). Takes zod as a parameter so the validators can
 * build them with zod loaded only on a failure.
 */
export function defineFanoutPlanSchemas(z: typeof Z) {
  const textKey = z.union([z.string(), z.number()], { error: expectedMessage('string or number') });
  const object = z.looseObject({});

  const fanoutReconciliationSchema = z
    .looseObject({
      schema: z.string().meta({ description: `Default "${GENERIC_FANOUT_RECONCILE_RECONCILIATION_SCHEMA}".` }),
      group_count: z.number().int(),
      task_count: z.number().int(),
      record_count: z.number().int().meta({ description: 'One record per planned task (0 in a plan).' }),
      success_count: z.number().int(),
      failure_count: z.number().int().meta({ description: 'Failed plus missing records.' }),
      outcome_count: z.number().int(),
      failed_task_ids: z.array(z.string()).meta({ description: 'Ids of the tasks that did not succeed, missing ones included, in plan order.' }),
      missing_count: z.number().int().meta({ description: 'drover: planned tasks no record came back for.' }),
      unmatched_count: z.number().int().meta({ description: 'drover: records that matched no planned task.' }),
      duplicate_count: z.number().int().meta({ description: 'drover: records superseded by a later record for the same task.' }),
      outcome_class_counts: z.strictObject({ apply: z.number().int(), review: z.number().int(), retry: z.number().int(), report: z.number().int() }).optional().meta({ description: 'drover, results only: planned tasks per outcome class.' }),
      no_change_count: z.number().int().optional().meta({ description: 'drover, results only: successful tasks that changed nothing.' }),
      no_change_counts: z.record(z.string(), z.number().int()).optional().meta({ description: 'drover, results only: no_change_count by reason (already-done, analysis-only, or the record\'s own).' }),
    })
    .meta({ description: 'Counts over the planned tasks.' });

  const fanoutTaskRequestSchema = z
    .looseObject({
      id: textKey.optional().meta({ description: 'The task id (always set in plans drover builds).' }),
      task_id: textKey.optional().meta({ description: 'Takes precedence over id as the task id when present.' }),
      group_key: textKey.optional(),
      sandbox_session_id: textKey.optional().meta({ description: 'Records may match the task by this too.' }),
      orchestrator: object.optional().meta({ description: 'The config orchestrator plus group_index.' }),
      runtime_execution: z.unknown().optional().meta({ description: 'The rendered runtime descriptor.' }),
    })
    .meta({ description: 'One task request. Its id (task_id, else id, else group_key) must be non-empty and unique in the plan.' });

  const fanoutPlanSchema = z
    .looseObject({
      schema: z.string().meta({ description: `Default "${PLAN_SCHEMA}".` }),
      orchestrator: object,
      summary: z.looseObject({ item_count: z.number().int(), group_count: z.number().int(), task_count: z.number().int(), config_schema: z.string() }),
      groups: z.array(z.looseObject({ key: textKey, index: z.number().int(), item_count: z.number().int() })),
      task_requests: z.array(fanoutTaskRequestSchema),
      reconciliation: fanoutReconciliationSchema,
    })
    .meta({ title: 'drover fanout plan', description: `A ${PLAN_SCHEMA} document, as written by \`drover fanout plan\`. The reconciler also accepts homeboy/agent-task-fanout-plan/v1 plans.` });

  // What `drover fanout reconcile --plan` accepts: any object with task request objects (or an agent-task plan).
  const fanoutPlanInputSchema = z.looseObject({
    schema: z.string().optional(),
    orchestrator: object.optional(),
    summary: object.optional(),
    groups: z.array(z.unknown()).optional(),
    task_requests: z.array(fanoutTaskRequestSchema).optional(),
  });

  const unmatchedRecord = z.looseObject({
    record_index: z.number().int(),
    reason: z.enum(['not_an_object', 'no_match_key', 'no_matching_task', 'ambiguous']),
    record: z.unknown(),
  });

  const duplicateRecord = z.looseObject({
    record_index: z.number().int(),
    task_id: z.string(),
    kept_record_index: z.number().int(),
    record: object,
  });

  const fanoutResultSchema = z
    .looseObject({
      schema: z.string(),
      plan_schema: z.unknown().optional(),
      orchestrator: z.unknown().optional(),
      summary: z.unknown().optional(),
      records: z.array(object).meta({ description: 'One record per planned task, in plan order; status "missing_record" where none came back.' }),
      outcomes: z.array(z.unknown()).meta({ description: 'The value at outcome_path of each record that has one (null and absent are skipped).' }),
      reconciliation: fanoutReconciliationSchema,
      status: z.enum(['completed', 'failed']),
      unmatched_records: z.array(unmatchedRecord).meta({ description: 'drover: records that matched no planned task, with the reason.' }),
      duplicate_records: z.array(duplicateRecord).meta({ description: 'drover: records superseded by a later record for the same task (the later one is kept).' }),
      outcome_classes: z.strictObject({ apply: z.array(z.string()), review: z.array(z.string()), retry: z.array(z.string()), report: z.array(z.string()) }).meta({ description: 'drover: the ids of the planned tasks in each outcome class, in plan order.' }),
      no_change: z.array(z.looseObject({ task_id: z.string(), reason: z.string() })).meta({ description: 'drover: successful tasks that changed nothing, with why, in plan order.' }),
    })
    .meta({ title: 'drover fanout result', description: 'A homeboy/generic-fanout-reconcile-result/v1 document, as written by `drover fanout reconcile`. config.base_run adds top-level keys.' });

  return { fanoutReconciliationSchema, fanoutTaskRequestSchema, fanoutPlanSchema, fanoutPlanInputSchema, fanoutResultSchema };
}

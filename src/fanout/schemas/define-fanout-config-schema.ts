import type { z as Z } from 'zod';
import { expectedMessage } from '../config/expected-message.js';
import { CONFIG_SCHEMA } from './fanout-schema-ids.js';
import { OUTCOME_CLASSES, RESULT_OWNED_KEYS, STATUS_MAPPINGS } from './fanout-config-keys.js';
import { defineFindingPolicySchema } from './define-finding-policy-schema.js';

/**
 * The `homeboy/generic-fanout-reconcile-config/v1` document, with every field and alias the
 * reference reads. Unknown keys are allowed (templates can read them as `{{config.<key>}}`).
 * This is the one source of the config JSON Schema in `schemas/` and of its error messages; it
 * takes zod as a parameter so the validators can build it with zod loaded only on a failure
 * (`isFanoutConfig` is its fast check).
 */
export function defineFanoutConfigSchema(z: typeof Z) {
  const findingPolicy = defineFindingPolicySchema(z);
  const dotPath = z.string().min(1, 'expected a non-empty dot path');
  const groupKeyPath = z.union([dotPath, z.array(dotPath).min(1, 'expected at least one dot path')], { error: expectedMessage('a dot path or a non-empty array of dot paths') });
  const textKey = z.union([z.string(), z.number()], { error: expectedMessage('string or number') });
  const object = z.looseObject({});
  const template = object.meta({ description: 'Rendered once per group into a task request (see docs/fanout.md, "Templates").' });
  const runtime = z
    .union([z.looseObject({}), z.array(z.unknown()), z.string(), z.null()], { error: expectedMessage('object, array or string') })
    .meta({ description: 'Opaque execution descriptor, rendered per group and placed at task_request.runtime_execution (left out when empty). Precedence: runtime, runtime_execution, runtimeExecution, executor.' });
  const statusMapping = z.enum(STATUS_MAPPINGS, { error: (issue) => `expected "none" or "homeboy-agent-task", got ${JSON.stringify(issue.input) ?? 'nothing'}` }).meta({ description: '"homeboy-agent-task" maps provider outcomes (succeeded, no_op, and success_statuses) to completed and every other outcome to failed, keeping the provider outcome at record.outcome.status. "none" checks record statuses against success_statuses directly.' });

  const outcomeClass = z.enum(OUTCOME_CLASSES, { error: (issue) => `expected "apply", "review", "retry" or "report", got ${JSON.stringify(issue.input) ?? 'nothing'}` });
  const outcomeClasses = z
    .strictObject({
      map: z.record(z.string(), outcomeClass).optional().meta({ description: 'Status words (the provider outcome, else the record status) and their class, over the defaults (succeeded/completed → apply, rejected/false_positive/follow_up_issue → report, provider_error/timeout/cancelled/missing_record → retry, no_op/unable_to_remediate/needs_review/failed → review).' }),
      class_path: dotPath.optional().meta({ description: 'Dot path of a field in which a record names its class itself. Default "outcome.class".' }),
      no_change_path: dotPath.optional().meta({ description: 'Dot path of a field that marks a successful record as having changed nothing (true, or a reason such as "already-done"). Default "no_change", then "outcome.no_change".' }),
      success: outcomeClass.optional().meta({ description: 'Class of a success whose status is not in the map. Default "apply".' }),
      failure: outcomeClass.optional().meta({ description: 'Class of a failure whose status is not in the map. Default "review".' }),
      no_change: outcomeClass.optional().meta({ description: 'Class of a success that changed nothing. Default "report".' }),
    })
    .meta({ description: 'How reconcile classifies each planned task as apply, review, retry or report (see docs/fanout.md, "Outcome classes").' });

  const group = z
    .looseObject({
      key: textKey.optional(),
      group_key: textKey.optional(),
      id: textKey.optional(),
      items: z.array(z.unknown()).optional(),
    })
    .meta({ description: 'An explicit group: key (else group_key, else id, else "group-<n>") and its items.' });

  const baseRun = object
    .check((ctx) => {
      for (const key of RESULT_OWNED_KEYS) {
        if (Object.hasOwn(ctx.value, key)) {
          ctx.issues.push({ code: 'custom', input: ctx.value, path: [key], message: `"${key}" is set by the result itself and cannot come from base_run${key === 'schema' ? ' (use result_schema)' : ''}` });
        }
      }
    })
    .meta({ description: `Extra top-level fields for the result. May not contain ${RESULT_OWNED_KEYS.join(', ')}.` });

  return z
    .looseObject({
      schema: z.string().optional().meta({ description: `Config schema id, copied to plan.summary.config_schema. Default "${CONFIG_SCHEMA}".` }),
      orchestrator: object.optional().meta({ description: 'Copied to plan.orchestrator and merged into every task_request.orchestrator. run_id (else plan_id) prefixes default task ids.' }),
      items: z.array(z.unknown()).optional().meta({ description: 'Items to group when no items are passed separately.' }),
      groups: z.array(group).optional().meta({ description: 'Explicit groups; used instead of grouping items when non-empty.' }),
      group_key_path: groupKeyPath.optional().meta({ description: 'Dot path of the group key in each item, or an array of paths whose non-empty values are joined with ":". Default "group_key".' }),
      groupKeyPath: groupKeyPath.optional().meta({ description: 'Alias of group_key_path.' }),
      group_by: groupKeyPath.optional().meta({ description: 'Alias of group_key_path.' }),
      groupBy: groupKeyPath.optional().meta({ description: 'Alias of group_key_path.' }),
      task_request_template: template.optional(),
      taskRequestTemplate: template.optional().meta({ description: 'Alias of task_request_template.' }),
      runtime: runtime.optional(),
      runtime_execution: runtime.optional(),
      runtimeExecution: runtime.optional(),
      executor: runtime.optional(),
      plan_schema: z.string().optional().meta({ description: 'plan.schema. Default "homeboy/fanout-reconcile-plan/v1".' }),
      planSchema: z.string().optional().meta({ description: 'Alias of plan_schema.' }),
      summary: object.optional().meta({ description: 'Merged last into plan.summary.' }),
      reconciliation_schema: z.string().optional().meta({ description: 'reconciliation.schema. Default "homeboy/generic-fanout-reconcile-reconciliation/v1".' }),
      reconciliationSchema: z.string().optional().meta({ description: 'Alias of reconciliation_schema.' }),
      success_statuses: z.array(z.string().min(1, 'expected a non-empty status')).optional().meta({ description: 'Record statuses that count as success. Default ["completed", "success", "passed"].' }),
      outcome_path: dotPath.optional().meta({ description: 'Dot path of the outcome in each record. Default "outcome".' }),
      outcomePath: dotPath.optional().meta({ description: 'Alias of outcome_path.' }),
      result_schema: z.string().optional().meta({ description: 'result.schema. Default "homeboy/generic-fanout-reconcile-result/v1".' }),
      resultSchema: z.string().optional().meta({ description: 'Alias of result_schema.' }),
      base_run: baseRun.optional(),
      include_summary: z.boolean().optional().meta({ description: 'false leaves summary out of the result. Default true.' }),
      concurrency: z.union([z.number(), z.string()], { error: expectedMessage('number or string') }).optional().meta({ description: 'Accepted for compatibility; it has no effect because records are supplied up front.' }),
      outcome_classes: outcomeClasses.optional(),
      status_mapping: statusMapping.optional(),
      statusMapping: statusMapping.optional().meta({ description: 'Alias of status_mapping.' }),
      finding_policy: findingPolicy.optional(),
      findingPolicy: findingPolicy.optional(),
      packets: z.array(z.unknown()).optional().meta({ description: 'Finding packets (read by the finding-packet helpers only).' }),
      finding_packets: z.array(z.unknown()).optional().meta({ description: 'Alias of packets.' }),
    })
    .meta({ title: 'drover fanout config', description: `A ${CONFIG_SCHEMA} document (the config of \`drover fanout plan|reconcile\` and homeboy-generic-fanout-reconcile).` });;
}

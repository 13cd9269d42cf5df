import { InputError } from '../errors/input-error.js';
import { describeValue } from '../util/describe-value.js';
import { assertUniqueTaskIds } from './assert-unique-task-ids.js';
import { buildReconciliation } from './build-reconciliation.js';
import { compileFanoutConfig, type CompiledFanoutConfig } from './compile-fanout-config.js';
import { createTaskRequestRenderer } from './create-task-request-renderer.js';
import type { FanoutGroup } from './fanout-group.js';
import type { FanoutPlan } from './fanout-plan.js';
import { sourceName, type FanoutSources } from './fanout-sources.js';
import { groupItems } from './group-items.js';
import { normalizeExplicitGroups } from './normalize-explicit-groups.js';
import { normalizeItems } from './normalize-items.js';

export interface PlanFanoutInput {
  /** A `homeboy/generic-fanout-reconcile-config/v1` object. */
  readonly config?: unknown;
  /** Items to group; default `config.items`. */
  readonly items?: unknown;
  /** Explicit groups; used instead of items when non-empty. Default `config.groups`. */
  readonly groups?: unknown;
}

export interface PlanFanoutOptions {
  readonly sources?: FanoutSources;
  /**
   * The caller gives its item objects to the planner, which then sets `index` on each instead of
   * copying it (the CLI does, for items it parsed itself). Default false: the caller's items are
   * left untouched.
   */
  readonly itemsOwned?: boolean;
}

/**
 * Builds a fanout plan: group the items, render one task request per group, and check that every
 * task id is unique. Linear in the number of items. Throws `InputError` for input it cannot use.
 */
export function planFanout(input: PlanFanoutInput = {}, options: PlanFanoutOptions = {}): FanoutPlan {
  const config = compileFanoutConfig(input.config, options.sources);
  const groups = resolveGroups(input, config, options);
  const render = createTaskRequestRenderer(config);
  const taskRequests = groups.map(render);
  assertUniqueTaskIds(taskRequests, config.source, '; the task_request_template must give each group its own id');
  let itemCount = 0;
  for (const group of groups) itemCount += group.items.length;
  return {
    schema: config.planSchema,
    orchestrator: config.orchestrator,
    summary: { item_count: itemCount, group_count: groups.length, task_count: taskRequests.length, config_schema: config.schema, ...config.summary },
    groups: groups.map((group) => ({ key: group.key, index: group.index, item_count: group.items.length })),
    task_requests: taskRequests,
    reconciliation: buildReconciliation(config.reconciliationSchema, groups.length, taskRequests.length),
  };
}

function resolveGroups(input: PlanFanoutInput, config: CompiledFanoutConfig, { sources, itemsOwned = false }: PlanFanoutOptions): FanoutGroup[] {
  if (input.groups !== undefined && !Array.isArray(input.groups)) throw new InputError(`expected array, got ${describeValue(input.groups)}`, { file: config.source, jsonPath: '$.groups' });
  const explicit = nonEmptyArray(input.groups) ?? nonEmptyArray(config.groups);
  if (explicit !== undefined) return normalizeExplicitGroups(explicit, config.source);
  const items = input.items ?? config.items ?? [];
  if (!Array.isArray(items)) throw new InputError(`expected array, got ${describeValue(items)}`, { file: sourceName(sources, 'items'), jsonPath: '$' });
  return groupItems(normalizeItems(items, itemsOwned), config.groupKeyPaths);
}

function nonEmptyArray(value: unknown): readonly unknown[] | undefined {
  return Array.isArray(value) && value.length > 0 ? value : undefined;
}

import { InputError } from '../../errors/input-error.js';
import { describeValue } from '../../util/describe-value.js';
import { assertUniqueTaskIds } from './assert-unique-task-ids.js';
import { buildReconciliation } from './build-reconciliation.js';
import { compileFanoutConfig } from '../config/compile-fanout-config.js';
import { createTaskRequestRenderer } from './create-task-request-renderer.js';
import { groupItemCount, type FanoutGroup } from './fanout-group.js';
import type { FanoutPlan } from './fanout-plan.js';
import type { FanoutSources } from '../config/fanout-sources.js';
import { addPacketId, findingIdOf, itemIdOf, type GroupTemplateFieldName } from '../template/group-template-field.js';
import type { JsonObject } from '../../util/is-plain-object.js';
import { itemGroupKey } from './item-group-key.js';
import { normalizeExplicitGroups } from './normalize-explicit-groups.js';
import { normalizeItem } from './normalize-item.js';
import { templateGroupReads } from '../template/template-group-reads.js';

export interface FanoutPlannerInput {
  /** A `homeboy/generic-fanout-reconcile-config/v1` object. */
  readonly config?: unknown;
  /** Explicit groups; used instead of items when non-empty. Default `config.groups`. */
  readonly groups?: unknown;
}

export interface FanoutPlannerOptions {
  readonly sources?: FanoutSources;
  /**
   * The caller gives its item objects to the planner, which then sets `index` on each instead of
   * copying it (the CLI does, for items it parsed itself). Default false: the caller's items are
   * left untouched.
   */
  readonly itemsOwned?: boolean;
}

/**
 * A planner fed one item at a time, for inputs that never exist as one array (a JSON Lines file
 * of any size). Memory is bounded by the groups, not the items, whenever the templates allow it:
 * an item is kept only when a template reads `{{group.items}}` (or the whole group); for
 * `{{group.item_ids}}` and the other derived fields only the id is kept, and for `key`, `index`
 * and `item_count` nothing but a count. `finish()` renders the plan; `planFanout` is this
 * planner fed an array. With explicit groups, added items are counted as read and ignored.
 */
export interface FanoutPlanner {
  /** False when explicit groups are planned: items are then read (and checked) but not used. */
  readonly usesItems: boolean;
  add(item: unknown): void;
  finish(): FanoutPlan;
}

interface GroupState {
  readonly key: string;
  readonly index: number;
  count: number;
  readonly items: JsonObject[] | undefined;
  readonly ids: Partial<Record<GroupTemplateFieldName, string[]>>;
  readonly packetIds: Set<string> | undefined;
}

export function createFanoutPlanner(input: FanoutPlannerInput = {}, { sources, itemsOwned = false }: FanoutPlannerOptions = {}): FanoutPlanner {
  const config = compileFanoutConfig(input.config, sources);
  if (input.groups !== undefined && !Array.isArray(input.groups)) throw new InputError(`expected array, got ${describeValue(input.groups)}`, { file: config.source, jsonPath: '$.groups' });
  const explicitInput = nonEmptyArray(input.groups) ?? nonEmptyArray(config.groups);
  const explicit = explicitInput === undefined ? undefined : normalizeExplicitGroups(explicitInput, config.source);
  const reads = templateGroupReads([config.taskRequestTemplate, config.runtime]);
  const keepIds = (['item_ids', 'finding_ids'] as const).filter((field) => reads.fields.has(field));
  const keepPackets = reads.fields.has('packet_ids');
  const byKey = new Map<string, GroupState>();
  let position = 0;

  return {
    usesItems: explicit === undefined,
    add(raw) {
      const index = position++;
      if (explicit !== undefined) return;
      const item = normalizeItem(raw, index, itemsOwned);
      const key = itemGroupKey(item, config.groupKeyPaths);
      let group = byKey.get(key);
      if (group === undefined) {
        group = { key, index: byKey.size, count: 0, items: reads.items ? [] : undefined, ids: {}, packetIds: keepPackets ? new Set() : undefined };
        for (const field of keepIds) group.ids[field] = [];
        byKey.set(key, group);
      }
      group.items?.push(item);
      group.ids.item_ids?.push(itemIdOf(item, group.count));
      group.ids.finding_ids?.push(findingIdOf(item, group.count));
      if (group.packetIds !== undefined) addPacketId(group.packetIds, item);
      group.count++;
    },
    finish() {
      const groups = explicit ?? [...byKey.values()].map(toGroup);
      const render = createTaskRequestRenderer(config);
      const taskRequests = groups.map(render);
      assertUniqueTaskIds(taskRequests, config.source, '; the task_request_template must give each group its own id');
      let itemCount = 0;
      for (const group of groups) itemCount += groupItemCount(group);
      return {
        schema: config.planSchema,
        orchestrator: config.orchestrator,
        summary: { item_count: itemCount, group_count: groups.length, task_count: taskRequests.length, config_schema: config.schema, ...config.summary },
        groups: groups.map((group) => ({ key: group.key, index: group.index, item_count: groupItemCount(group) })),
        task_requests: taskRequests,
        reconciliation: buildReconciliation(config.reconciliationSchema, groups.length, taskRequests.length),
      };
    },
  };
}

function toGroup(state: GroupState): FanoutGroup {
  if (state.items !== undefined) return { key: state.key, index: state.index, items: state.items };
  const derived: Record<string, unknown> = { item_count: state.count, ...state.ids };
  if (state.packetIds !== undefined) derived['packet_ids'] = [...state.packetIds];
  return { key: state.key, index: state.index, items: [], derived };
}

function nonEmptyArray(value: unknown): readonly unknown[] | undefined {
  return Array.isArray(value) && value.length > 0 ? value : undefined;
}

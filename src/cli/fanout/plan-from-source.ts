import type { FanoutSources } from '../../fanout/config/fanout-sources.js';
import { createFanoutPlanner, type FanoutPlan } from '../../fanout/plan/index.js';
import type { JsonObject } from '../../util/is-plain-object.js';
import type { ObjectListSource } from './read-object-list.js';

/**
 * Plans from items as they come off their source: with a JSON Lines file, memory is bounded by
 * the groups unless a template reads `{{group.items}}` (see `createFanoutPlanner`). The CLI owns
 * the parsed items, so the planner sets `index` on them instead of copying.
 */
export async function planFromSource(config: JsonObject, items: ObjectListSource | undefined, sources: FanoutSources): Promise<FanoutPlan> {
  const planner = createFanoutPlanner({ config }, { sources, itemsOwned: true });
  if (items !== undefined) for await (const batch of items.batches()) for (const item of batch) planner.add(item);
  return planner.finish();
}

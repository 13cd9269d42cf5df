import { InputError } from '../../errors/input-error.js';
import { describeValue } from '../../util/describe-value.js';
import type { FanoutPlan } from '../plan/fanout-plan.js';
import { isPlainObject } from '../../util/is-plain-object.js';
import { planFanout } from '../plan/plan-fanout.js';

/**
 * The reference's plan builder, for code written against it: `{config?, items?, groups?}`, and
 * when `config` is absent the input itself is the config. New code can call `planFanout`.
 */
export function createGenericFanoutReconcilePlan(input: unknown = {}): FanoutPlan {
  if (!isPlainObject(input)) throw new InputError(`expected object, got ${describeValue(input)}`, { file: 'input', jsonPath: '$' });
  const config = input['config'] ? input['config'] : input;
  return planFanout({ config, items: input['items'], groups: input['groups'] });
}

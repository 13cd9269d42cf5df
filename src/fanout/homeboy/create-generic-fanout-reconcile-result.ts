import { InputError } from '../../errors/input-error.js';
import { describeValue } from '../../util/describe-value.js';
import { createGenericFanoutReconcilePlan } from './create-generic-fanout-reconcile-plan.js';
import type { FanoutResult } from '../reconcile/fanout-result.js';
import { isPlainObject } from '../../util/is-plain-object.js';
import { reconcileFanout } from '../reconcile/reconcile-fanout.js';

/**
 * The reference's reconciler, for code written against it: `{config?, plan?, items?, groups?,
 * records?}`, returning a Promise. Without `plan` the plan is built from the input, and without
 * `config` the input itself is the config (the reference read only `input.config` here). Records
 * that are promises are awaited. The Homeboy agent-task status mapping is on unless the config
 * sets `status_mapping`, because the reference always normalised record statuses.
 */
export async function createGenericFanoutReconcileResult(input: unknown = {}): Promise<FanoutResult> {
  if (!isPlainObject(input)) throw new InputError(`expected object, got ${describeValue(input)}`, { file: 'input', jsonPath: '$' });
  const config = input['config'] ? input['config'] : input;
  const plan = input['plan'] ? input['plan'] : createGenericFanoutReconcilePlan(input);
  const given = input['records'];
  const records = Array.isArray(given) && given.some(isThenable) ? await Promise.all(given) : given;
  return reconcileFanout({ config, plan, records }, { defaultStatusMapping: 'homeboy-agent-task' });
}

function isThenable(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

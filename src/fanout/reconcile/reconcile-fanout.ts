import { InputError } from '../../errors/input-error.js';
import { describeValue } from '../../util/describe-value.js';
import { createFanoutReconciler, type FanoutReconcilerOptions } from './create-fanout-reconciler.js';
import type { FanoutResult } from './fanout-result.js';
import { sourceName } from '../config/fanout-sources.js';

export interface ReconcileFanoutInput {
  /** The same config the plan was built with (its reconcile-side fields are read here). */
  readonly config?: unknown;
  /** A plan from `planFanout`, any `homeboy/fanout-reconcile-plan/v1`, or a `homeboy/agent-task-fanout-plan/v1`. */
  readonly plan: unknown;
  /** Records an executor returned; default none. */
  readonly records?: unknown;
}

export type ReconcileFanoutOptions = Omit<FanoutReconcilerOptions, 'retainReported'>;

/**
 * Reconciles executed records against a plan, synchronously and in linear time (see
 * `createFanoutReconciler`, which takes the records one at a time).
 */
export function reconcileFanout(input: ReconcileFanoutInput, options: ReconcileFanoutOptions = {}): FanoutResult {
  const reconciler = createFanoutReconciler({ config: input.config, plan: input.plan }, options);
  const records = input.records ?? [];
  if (!Array.isArray(records)) throw new InputError(`expected array, got ${describeValue(records)}`, { file: sourceName(options.sources, 'records'), jsonPath: '$' });
  for (const record of records) reconciler.add(record);
  return reconciler.finish();
}

import { InputError } from '../../errors/input-error.js';
import { describeValue } from '../../util/describe-value.js';
import { jsonPath } from '../../util/json-path.js';
import { assertUniqueTaskIds } from '../plan/assert-unique-task-ids.js';
import { isPlainObject, type JsonObject } from '../../util/is-plain-object.js';
import { isAgentTaskFanoutPlan, projectAgentTaskFanoutPlan } from '../homeboy/project-agent-task-fanout-plan.js';
import type { TaskIdentity } from '../plan/task-identity.js';

export interface NormalizedFanoutPlan {
  /** The plan as reconciled: the input itself, or its projection for agent-task fanout plans. */
  readonly plan: JsonObject;
  readonly tasks: readonly JsonObject[];
  readonly identities: readonly TaskIdentity[];
}

/** Checks a plan handed to the reconciler: an object whose task requests are objects with unique ids. */
export function normalizeFanoutPlan(value: unknown, source: string): NormalizedFanoutPlan {
  if (!isPlainObject(value)) throw new InputError(`expected object, got ${describeValue(value)}`, { file: source, jsonPath: '$' });
  const plan = isAgentTaskFanoutPlan(value) ? projectAgentTaskFanoutPlan(value, source) : value;
  const requests = plan['task_requests'];
  if (!Array.isArray(requests)) throw new InputError(`expected array, got ${describeValue(requests)}`, { file: source, jsonPath: '$.task_requests' });
  requests.forEach((request: unknown, index) => {
    if (!isPlainObject(request)) throw new InputError(`expected object, got ${describeValue(request)}`, { file: source, jsonPath: jsonPath(['task_requests', index]) });
  });
  const tasks = requests as JsonObject[];
  return { plan, tasks, identities: assertUniqueTaskIds(tasks, source) };
}

import { InputError } from '../../errors/input-error.js';
import { describeValue } from '../../util/describe-value.js';
import { jsonPath } from '../../util/json-path.js';
import type { JsonObject } from '../../util/is-plain-object.js';
import type { TaskIdentity } from './task-identity.js';
import { textOf } from '../json/text-of.js';

/**
 * Output dependencies: a task request's `depends_on` names earlier requests (by id) whose output
 * it needs. Returns, for each request, the positions of the requests it depends on. Only earlier
 * requests can be named, so the graph is acyclic by construction; an unknown, later or repeated
 * id is an input error naming the plan file and the JSON path.
 */
export function planDependencies(tasks: readonly JsonObject[], identities: readonly TaskIdentity[], source: string): number[][] {
  const positionById = new Map<string, number>();
  identities.forEach((identity, position) => positionById.set(identity.key, position));
  return tasks.map((task, position) => {
    const value = Object.hasOwn(task, 'depends_on') ? task['depends_on'] : undefined;
    if (value === undefined || value === null) return [];
    const path = (...rest: PropertyKey[]) => jsonPath(['task_requests', position, 'depends_on', ...rest]);
    if (!Array.isArray(value)) throw new InputError(`expected an array of task request ids, got ${describeValue(value)}`, { file: source, jsonPath: path() });
    const out: number[] = [];
    value.forEach((entry: unknown, at) => {
      const id = textOf(entry);
      if (id === '') throw new InputError(`expected a task request id, got ${describeValue(entry)}`, { file: source, jsonPath: path(at) });
      const upstream = positionById.get(id);
      if (upstream === undefined) throw new InputError(`names "${id}", which is no task request of this plan`, { file: source, jsonPath: path(at) });
      if (upstream >= position) throw new InputError(`names "${id}", which is not an earlier task request (${upstream === position ? 'itself' : jsonPath(['task_requests', upstream])}); a request can only depend on earlier ones`, { file: source, jsonPath: path(at) });
      if (out.includes(upstream)) throw new InputError(`names "${id}" twice`, { file: source, jsonPath: path(at) });
      out.push(upstream);
    });
    return out;
  });
}

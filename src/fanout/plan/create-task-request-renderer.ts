import { InputError } from '../../errors/input-error.js';
import { describeValue } from '../../util/describe-value.js';
import { jsonPath } from '../../util/json-path.js';
import type { CompiledFanoutConfig } from '../config/compile-fanout-config.js';
import { compileTemplate } from '../template/compile-template.js';
import { defaultTaskId } from './default-task-id.js';
import type { FanoutGroup } from './fanout-group.js';
import type { FanoutTaskRequest } from './fanout-plan.js';
import { isPlainObject, type JsonObject } from '../../util/is-plain-object.js';
import { setOwnProperty } from '../json/set-own-property.js';
import { textOf } from '../json/text-of.js';

/**
 * Renders one task request per group: `id` and `group_key` first, then the rendered template's
 * keys in template order, then `orchestrator` (config orchestrator + `group_index` + the template's
 * own `orchestrator`) and `runtime_execution`.
 *
 * Unlike the reference, a template `id` or `group_key` that renders empty never replaces the
 * fallback (`task_id`, else `<run_id>-<key>`; the group key): an id-less task could not be
 * reconciled. A value that cannot be an id at all (an object, a boolean) is an input error.
 */
export function createTaskRequestRenderer(config: CompiledFanoutConfig): (group: FanoutGroup) => FanoutTaskRequest {
  const template = compileTemplate(config.taskRequestTemplate);
  const runtime = isEmptyDescriptor(config.runtime) ? undefined : compileTemplate(config.runtime);
  const templatePath = (...path: PropertyKey[]) => jsonPath([config.taskRequestTemplateKey, ...path]);

  return (group) => {
    const context = { group, orchestrator: config.orchestrator, config: config.raw };
    const rendered = template(context) as JsonObject;
    const id = idText(rendered, 'id', group) ?? idText(rendered, 'task_id', group) ?? defaultTaskId(config.orchestrator, group.key);
    const groupKey = idText(rendered, 'group_key', group) ?? group.key;
    const request: JsonObject = { id, group_key: groupKey };
    for (const key of Object.keys(rendered)) {
      if (key !== 'id' && key !== 'group_key') setOwnProperty(request, key, rendered[key]);
    }
    request['orchestrator'] = { ...config.orchestrator, group_index: group.index, ...ownOrchestrator(rendered, group) };
    if (runtime !== undefined) {
      const descriptor = runtime(context);
      if (descriptor !== undefined) request['runtime_execution'] = descriptor;
    }
    return request as FanoutTaskRequest;
  };

  function ownOrchestrator(rendered: JsonObject, group: FanoutGroup): JsonObject | undefined {
    const value = rendered['orchestrator'];
    if (value === undefined || isPlainObject(value)) return value;
    throw new InputError(`rendered ${describeValue(value)} for group "${group.key}", expected object`, { file: config.source, jsonPath: templatePath('orchestrator') });
  }

  function idText(rendered: JsonObject, field: string, group: FanoutGroup): string | number | undefined {
    const value = Object.hasOwn(rendered, field) ? rendered[field] : undefined;
    if (value === undefined || value === null) return undefined;
    if ((typeof value === 'string' || typeof value === 'number') && textOf(value) !== '') return value;
    if (typeof value === 'string') return undefined;
    throw new InputError(`rendered ${describeValue(value)} for group "${group.key}", expected a non-empty string or a number`, { file: config.source, jsonPath: templatePath(field) });
  }
}

function isEmptyDescriptor(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (isPlainObject(value)) return Object.keys(value).length === 0;
  return false;
}

import { hasOptionalFields, isArrayOf, isJsonObject, isNumber, isString } from '../../util/shape-checks.js';

type Check = (value: unknown) => boolean;

const isTextKey: Check = (value) => isString(value) || isNumber(value);
const TASK_REQUEST_FIELDS: Record<string, Check> = { id: isTextKey, task_id: isTextKey, group_key: isTextKey, sandbox_session_id: isTextKey, orchestrator: isJsonObject };
const isTaskRequest: Check = (value) => isJsonObject(value) && hasOptionalFields(value, TASK_REQUEST_FIELDS);

const FIELDS: Record<string, Check> = {
  schema: (value) => isString(value),
  orchestrator: isJsonObject,
  summary: isJsonObject,
  groups: (value) => isArrayOf(value, () => true),
  task_requests: (value) => isArrayOf(value, isTaskRequest),
};

/**
 * The fast, zod-free check of a `--plan` file: true only for what `fanoutPlanInputSchema` accepts
 * (`checkWithSchema` asks zod about the rest; `is-fanout-plan-input.test.ts` proves it).
 */
export function isFanoutPlanInput(value: unknown): boolean {
  return isJsonObject(value) && hasOptionalFields(value, FIELDS);
}

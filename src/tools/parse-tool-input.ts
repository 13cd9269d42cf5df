import { MAX_INPUT_BYTES } from '../queue/limits.js';
import { isWriteGlob } from '../queue/write-scopes.js';
import { hasOnlyKeys, isJsonObject } from '../util/shape-checks.js';
import { TASK_TYPE_PATTERN, type QueueToolName } from '../queue/queue-tool-names.js';
import type { CompleteTaskInput, EnqueueTaskInput, HandoffInput, ReadHandoffsInput } from './tool-schemas.js';

/**
 * The fast, zod-free parse of a queue tool's input: the value `defineToolSchemas`' schema would
 * return (strings trimmed where it trims, the same keys in the same order), or `undefined` where
 * it is not sure the schema accepts the input; the tool session then asks zod, which accepts it or
 * words the refusal. `parse-tool-input.test.ts` proves both against the zod schemas.
 */
export function parseToolInput(tool: 'enqueue_task', input: unknown): EnqueueTaskInput | undefined;
export function parseToolInput(tool: 'complete_task', input: unknown): CompleteTaskInput | undefined;
export function parseToolInput(tool: 'read_handoffs', input: unknown): ReadHandoffsInput | undefined;
export function parseToolInput(tool: QueueToolName, input: unknown): EnqueueTaskInput | CompleteTaskInput | ReadHandoffsInput | undefined;
export function parseToolInput(tool: QueueToolName, input: unknown): EnqueueTaskInput | CompleteTaskInput | ReadHandoffsInput | undefined {
  if (tool === 'enqueue_task') return parseEnqueue(input);
  if (tool === 'complete_task') return parseComplete(input);
  return parseReadHandoffs(input);
}

/** Stands for "not accepted here": zod decides. */
const NO = Symbol('no');
type Field<T> = T | typeof NO;

/** Each key of `fields` that the input has, parsed, in the schema's order; undefined when one fails or a key is unknown. */
function parseObject(input: unknown, fields: Readonly<Record<string, (value: unknown) => Field<unknown>>>, required: readonly string[] = []): Record<string, unknown> | undefined {
  if (!isJsonObject(input) || !hasOnlyKeys(input, new Set(Object.keys(fields)))) return undefined;
  const output: Record<string, unknown> = {};
  for (const key in fields) {
    const value = input[key];
    if (value === undefined) {
      if (required.includes(key)) return undefined;
      // zod keeps an optional key that is present with the value undefined.
      if (key in input) output[key] = undefined;
      continue;
    }
    const parsed = fields[key]!(value);
    if (parsed === NO) return undefined;
    output[key] = parsed;
  }
  return output;
}

/** `z.string()` with an optional `.trim()` first and `.min(min).max(max)` after. */
const text = (min: number, max: number, trim: boolean) => (value: unknown): Field<string> => {
  if (typeof value !== 'string') return NO;
  const result = trim ? value.trim() : value;
  return result.length >= min && result.length <= max ? result : NO;
};

const list = <T>(item: (value: unknown) => Field<T>, min: number, max: number) => (value: unknown): Field<T[]> => {
  if (!Array.isArray(value) || value.length < min || value.length > max) return NO;
  const output: T[] = [];
  for (let index = 0; index < value.length; index += 1) {
    if (!(index in value)) return NO;
    const parsed = item(value[index]);
    if (parsed === NO) return NO;
    output.push(parsed);
  }
  return output;
};

const taskType = (value: unknown): Field<string> => (typeof value === 'string' && TASK_TYPE_PATTERN.test(value) ? value : NO);

function inputs(value: unknown): Field<Record<string, unknown>> {
  if (!isJsonObject(value)) return NO;
  const keys = Object.keys(value);
  if (Reflect.ownKeys(value).length !== keys.length) return NO;
  const output: Record<string, unknown> = {};
  // zod's record leaves a `__proto__` key (an own property after JSON.parse) out of its output.
  for (const key of keys) if (key !== '__proto__') output[key] = value[key];
  let json: string | undefined;
  try {
    json = JSON.stringify(output);
  } catch {
    return NO;
  }
  return json !== undefined && Buffer.byteLength(json) <= MAX_INPUT_BYTES ? output : NO;
}

const writeGlob = (value: unknown): Field<string> => {
  const glob = text(1, 300, false)(value);
  return glob !== NO && isWriteGlob(glob) ? glob : NO;
};

function parseEnqueue(input: unknown): EnqueueTaskInput | undefined {
  return parseObject(input, {
    type: taskType,
    label: text(1, 80, true),
    inputs,
    dependsOn: list(text(1, 100, false), 0, 50),
    reason: text(1, 1000, true),
    writes: list(writeGlob, 1, 50),
  }, ['type', 'reason']) as EnqueueTaskInput | undefined;
}

function parseHandoff(value: unknown): Field<HandoffInput> {
  const handoff = parseObject(value, {
    goal: text(1, 8000, true),
    did: text(1, 8000, true),
    forNextAgent: text(1, 8000, true),
    filesTouched: list(text(1, 1000, false), 0, 200),
    evidence: text(0, 8000, false),
    assumptions: text(0, 8000, false),
  }, ['goal', 'did', 'forNextAgent']);
  return handoff === undefined ? NO : (handoff as HandoffInput);
}

function parseComplete(input: unknown): CompleteTaskInput | undefined {
  const status = (value: unknown): Field<string> => (value === 'done' || value === 'failed' || value === 'skipped' ? value : NO);
  return parseObject(input, { status, handoff: parseHandoff }, ['status', 'handoff']) as CompleteTaskInput | undefined;
}

function parseReadHandoffs(input: unknown): ReadHandoffsInput | undefined {
  return parseObject(input, { taskId: text(1, 100, false), type: text(1, 48, false) }) as ReadHandoffsInput | undefined;
}

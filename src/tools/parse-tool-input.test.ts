import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { badValue, documentAt, EDGE_VALUES } from '../../test/helpers/schema-arbitraries.js';
import { parseToolInput } from './parse-tool-input.js';
import type { QueueToolName } from '../queue/queue-tool-names.js';
import { completeTaskInput, enqueueTaskInput, handoffInput, readHandoffsInput } from './tool-schemas.js';

const SCHEMAS: Record<QueueToolName, z.ZodType> = { enqueue_task: enqueueTaskInput, complete_task: completeTaskInput, read_handoffs: readHandoffsInput };

/** Strings with the whitespace `.trim()` removes, empty ones included. */
const padded = fc.tuple(fc.constantFrom('', ' ', '\n\t', '\u00a0'), fc.string({ maxLength: 12 }), fc.constantFrom('', ' ', '\u2028')).map(([a, b, c]) => a + b + c);
/** Strings at a length limit, one over it, and at it once trimmed. */
const atLimit = (length: number) => fc.constantFrom('x'.repeat(length), 'x'.repeat(length + 1), ` ${'x'.repeat(length)} `, '', ' ');
const word = fc.string({ minLength: 1, maxLength: 8 }).map((text) => `w${text.trim()}`);
const glob = fc.constantFrom('src/**', 'app/*.ts', 'a.md');
const badGlob = fc.oneof(fc.constantFrom('a/../b', '/abs', 'a\\b', ' ', '', 'x'.repeat(301)), fc.string({ maxLength: 8 }));
const oneBad = <T>(valid: fc.Arbitrary<T>, bad: fc.Arbitrary<unknown>) => fc.tuple(fc.array(valid, { maxLength: 2 }), bad).map(([list, element]) => [...list, element]);

interface ToolArbitraries {
  /** Valid values of every field. */
  readonly fields: Record<string, fc.Arbitrary<unknown>>;
  readonly required: readonly string[];
  /** Values near each field's limits (some valid, some not). */
  readonly near: Record<string, fc.Arbitrary<unknown>>;
}

const inputsObject = fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });
const enqueue: ToolArbitraries = {
  fields: { type: fc.stringMatching(/^[a-z][a-z0-9-]{0,47}$/), label: word, inputs: inputsObject, dependsOn: fc.array(word, { maxLength: 3 }), reason: word, writes: fc.array(glob, { minLength: 1, maxLength: 3 }) },
  required: ['type', 'reason'],
  near: {
    type: fc.constantFrom('Bad', '1x', 'a'.repeat(48), 'a'.repeat(49), 'a b'),
    label: fc.oneof(padded, atLimit(80)),
    inputs: fc.oneof(fc.constant({ big: 'x'.repeat(70_000) }), fc.constant({ fits: 'x'.repeat(65_000) }), fc.constant(JSON.parse('{"__proto__":1}') as unknown)),
    dependsOn: fc.oneof(oneBad(word, atLimit(100)), fc.array(word, { minLength: 50, maxLength: 51 })),
    reason: fc.oneof(padded, atLimit(1000)),
    writes: fc.oneof(oneBad(glob, badGlob), fc.constant([]), fc.array(glob, { minLength: 50, maxLength: 51 })),
  },
};
const handoffFields = { goal: word, did: word, forNextAgent: word, filesTouched: fc.array(word, { maxLength: 3 }), evidence: fc.string({ maxLength: 6 }), assumptions: fc.string({ maxLength: 6 }) };
const handoffNear = {
  goal: fc.oneof(padded, atLimit(8000)), did: padded, forNextAgent: atLimit(8000),
  filesTouched: fc.oneof(oneBad(word, atLimit(1000)), fc.array(word, { minLength: 200, maxLength: 201 })), evidence: atLimit(8000), assumptions: atLimit(8000),
};
const handoff = fc.record(handoffFields, { requiredKeys: ['goal', 'did', 'forNextAgent'] });
const complete: ToolArbitraries = {
  fields: { status: fc.constantFrom('done', 'failed', 'skipped'), handoff },
  required: ['status', 'handoff'],
  near: { status: fc.constantFrom('other', 'Done', ''), handoff: fc.constantFrom(...Object.keys(handoffNear)).chain((key) => fc.tuple(handoff, handoffNear[key as keyof typeof handoffNear]).map(([valid, value]) => ({ ...valid, [key]: value }))) },
};
const read: ToolArbitraries = { fields: { taskId: word, type: word }, required: [], near: { taskId: atLimit(100), type: atLimit(48) } };
const TOOLS: Record<QueueToolName, ToolArbitraries> = { enqueue_task: enqueue, complete_task: complete, read_handoffs: read };

/** Tool calls: valid ones, one field near its limits or bad, unknown keys, or anything. */
const call = (tool: QueueToolName, withNonJson: boolean) => {
  const { fields, required, near } = TOOLS[tool];
  const valid = fc.record(fields, { requiredKeys: [...required] });
  const change = fc.constantFrom(...Object.keys(fields)).chain((key) => fc.tuple(valid, fc.oneof(near[key]!, badValue(withNonJson), fc.constant(undefined))).map(([document, value]) => ({ ...document, [key]: value })));
  const withoutOne = fc.tuple(valid, fc.constantFrom(...Object.keys(fields))).map(([document, key]) => Object.fromEntries(Object.entries(document).filter(([name]) => name !== key)));
  const unknownKey = valid.map((document) => ({ ...document, extra: 1 }));
  return fc.oneof(valid, change, change, withoutOne, unknownKey, withNonJson ? fc.anything() : badValue(false));
};

function expectSameAsZod(tool: QueueToolName, input: unknown, json: boolean): void {
  const fast = parseToolInput(tool, input);
  const zod = SCHEMAS[tool].safeParse(input);
  if (fast !== undefined) {
    expect(zod.success).toBe(true);
    expect(fast).toStrictEqual(zod.data);
    expect(JSON.stringify(fast)).toBe(JSON.stringify(zod.data));
  } else if (json) {
    expect(zod.success, JSON.stringify(input)).toBe(false);
  }
}

describe('parseToolInput, the zod-free parse of a queue tool call', () => {
  for (const tool of ['enqueue_task', 'complete_task', 'read_handoffs'] as const) {
    it(`${tool}: accepts exactly what the schema accepts on JSON input, with the same parsed value (trimmed, same keys and order)`, () => {
      fc.assert(fc.property(call(tool, false), (input) => expectSameAsZod(tool, input, true)), { numRuns: 600 });
    });

    it(`${tool}: never accepts what the schema rejects, whatever the value, and tries every edge value at every field`, () => {
      fc.assert(fc.property(call(tool, true), (input) => expectSameAsZod(tool, input, false)), { numRuns: 400 });
      for (const key of [...Object.keys(TOOLS[tool].fields), 'other']) {
        for (const value of EDGE_VALUES) expectSameAsZod(tool, documentAt([key], value), true);
      }
    });
  }

  it('covers every field of each schema (a new field needs its fast parse and its arbitraries here)', () => {
    for (const tool of ['enqueue_task', 'complete_task', 'read_handoffs'] as const) expect(Object.keys(TOOLS[tool].fields).sort()).toEqual(Object.keys((SCHEMAS[tool] as z.ZodObject).shape).sort());
    expect(Object.keys(handoffFields).sort()).toEqual(Object.keys(handoffInput.shape).sort());
  });

  it('accepts a typical call without zod', () => {
    expect(parseToolInput('complete_task', { status: 'done', handoff: { goal: ' g ', did: 'd', forNextAgent: 'n', filesTouched: ['a.ts'] } })).toEqual({ status: 'done', handoff: { goal: 'g', did: 'd', forNextAgent: 'n', filesTouched: ['a.ts'] } });
  });
});

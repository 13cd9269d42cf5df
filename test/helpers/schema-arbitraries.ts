import fc from 'fast-check';
import { expect } from 'vitest';
import type { z } from 'zod';
import { InputError } from '../../src/errors/input-error.js';
import { checkWithSchema } from '../../src/util/check-with-schema.js';
import type { Zod } from '../../src/util/load-zod.js';
import { parseWithSchema } from '../../src/util/parse-with-schema.js';

/**
 * Arbitraries and assertions for the property tests that prove a fast, zod-free check
 * (`checkWithSchema`'s `accepts`) agrees with its zod schema.
 */

/** JSON values that sit on the edges of the schemas' types: empty strings, enum words, keys zod treats specially. */
export const EDGE_VALUES: readonly unknown[] = [
  '', 'x', 'a.b', 'apply', 'retry', 'none', 'homeboy-agent-task', 'schema', 0, -1, 1.5, 2 ** 53, true, false, null,
  [], [''], ['a'], ['a', ''], [1], [{}], [null], {}, { key: 'k' }, { key: [] }, { apply: 'x' }, { a: 'apply' }, { map: {} },
  ...['{"__proto__":"apply"}', '{"__proto__":{"schema":"x"}}', '{"constructor":"apply"}', '{"constructor":{}}', '{"x":"report","__proto__":"nope"}'].map((text) => JSON.parse(text) as unknown),
];
export const edgeJson: fc.Arbitrary<unknown> = fc.constantFrom(...EDGE_VALUES);

/**
 * `value` placed at `path` in an otherwise empty document (a number is an array index), for
 * trying every edge value at every field, nested ones included, one at a time.
 */
export function documentAt(path: readonly (string | number)[], value: unknown): unknown {
  let result = value;
  for (let index = path.length - 1; index >= 0; index -= 1) {
    const segment = path[index]!;
    result = typeof segment === 'number' ? [...Array.from({ length: segment }, () => ({})), result] : JSON.parse(`{${JSON.stringify(segment)}:${JSON.stringify(result) ?? 'null'}}`) as unknown;
  }
  return result;
}

/** JSON objects with keys JSON.parse creates as own properties but object literals cannot: `__proto__`, `constructor`. */
export const trickyJsonObject: fc.Arbitrary<unknown> = fc.constantFrom(
  '{"__proto__":"apply"}', '{"__proto__":{"schema":"x"}}', '{"constructor":"apply"}', '{"constructor":{}}', '{"x":"report","__proto__":"nope"}',
).map((text) => JSON.parse(text) as unknown);

/** Values no JSON document holds: the fast checks may refuse them, but must never accept what zod rejects. */
export const nonJson: fc.Arbitrary<unknown> = fc.constantFrom<() => unknown>(
  () => Number.NaN, () => Number.POSITIVE_INFINITY, () => undefined, () => new Date(0), () => new Map(), () => Object.create(null) as unknown,
  () => Object.assign(Object.create(null) as object, { apply: 'apply' }), () => { const holes: unknown[] = []; holes[1] = 'a'; return holes; }, () => ({ [Symbol('s')]: 'apply' }), () => () => 1,
  () => Object.defineProperty({}, 'schema', { value: 1, enumerable: false }), () => Object.create({ schema: 1 }) as unknown,
).map((make) => make());

const policyDotPath = fc.string({ minLength: 1, maxLength: 6 });
const pathList = fc.oneof(policyDotPath, fc.array(policyDotPath, { maxLength: 3 }));
const policyText = fc.string({ maxLength: 6 });

/** Every field of the finding policy schema, each with an arbitrary of valid values (the policy and config tests use them). */
export const validFindingPolicyFields: Record<string, fc.Arbitrary<unknown>> = {
  packet_id_path: policyDotPath, packetIdPath: policyDotPath, findings_path: policyDotPath, findingsPath: policyDotPath, finding_id_path: policyDotPath, findingIdPath: policyDotPath,
  group_by: pathList, groupBy: pathList, group_key_paths: pathList, groupKeyPaths: pathList,
  group_key_template: policyText, groupKeyTemplate: policyText, fallback_group_key: policyText, fallbackGroupKey: policyText, include_packet: fc.boolean(),
};
/** A bad value for a field: an edge case, a tricky object, any JSON, and with `withNonJson` values no JSON holds. */
export function badValue(withNonJson: boolean): fc.Arbitrary<unknown> {
  const arbitraries: fc.Arbitrary<unknown>[] = [edgeJson, trickyJsonObject, fc.jsonValue({ maxDepth: 2 })];
  if (withNonJson) arbitraries.push(nonJson);
  return fc.oneof(...arbitraries);
}

/** A valid document: some of `fields` (each from its arbitrary of valid values) plus a few unknown keys. */
export function documentOf(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .tuple(fc.record(fields, { requiredKeys: [] }), fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2 }))
    .map(([known, extra]) => ({ ...extra, ...known }));
}

/**
 * A valid document with one field replaced: by a bad value, or by `nearValid[field]` (a nested
 * document that is itself one field away from valid). One change at a time, so a check that is
 * too lenient on that field is not hidden by another field zod rejects first.
 */
export function withOneChange(fields: Record<string, fc.Arbitrary<unknown>>, withNonJson: boolean, nearValid: Record<string, fc.Arbitrary<unknown>> = {}): fc.Arbitrary<Record<string, unknown>> {
  const keys = Object.keys(fields);
  const change = fc.constantFrom(...keys).chain((key) => {
    const near = nearValid[key];
    const value = near === undefined ? badValue(withNonJson) : fc.oneof(badValue(withNonJson), near);
    return value.map((bad) => [key, bad] as const);
  });
  return fc.tuple(documentOf(fields), change).map(([document, [key, bad]]) => ({ ...document, [key]: bad }));
}

/** A document with just one of `nearValid`'s fields: its nested changes, tested where no sibling can hide them. */
export function nestedChange(nearValid: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<Record<string, unknown>> {
  return fc.constantFrom(...Object.keys(nearValid)).chain((key) => nearValid[key]!.map((value) => ({ [key]: value })));
}

/**
 * Asserts the fast check and zod agree on `value`: on JSON values exactly (accept/reject), on any
 * value in the safe direction (fast accepts ⇒ zod accepts); and that `checkWithSchema`, which
 * loads zod on a rejection, fails with the same one line as `parseWithSchema` with the library's
 * own (ESM zod) schema, or passes where zod accepts.
 */
export function expectAgreement(value: unknown, accepts: (value: unknown) => boolean, define: (z: Zod) => z.ZodType, schema: z.ZodType, json: boolean): void {
  const fast = accepts(value);
  const zod = schema.safeParse(value).success;
  if (json) expect(fast, JSON.stringify(value)).toBe(zod);
  else if (fast) expect(zod).toBe(true);
  expect(messageOf(() => checkWithSchema(accepts, define, value, 'doc.json'))).toBe(messageOf(() => parseWithSchema(schema, value, 'doc.json')));
}

function messageOf(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return error.message;
  }
}

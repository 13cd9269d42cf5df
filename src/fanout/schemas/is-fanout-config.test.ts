import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { badValue, documentAt, documentOf, EDGE_VALUES, expectAgreement, nestedChange, trickyJsonObject, validFindingPolicyFields, withOneChange } from '../../../test/helpers/schema-arbitraries.js';
import { defineFanoutConfigSchema } from './define-fanout-config-schema.js';
import { fanoutConfigSchema } from './fanout-config-schema.js';
import { isFanoutConfig } from './is-fanout-config.js';

const text = fc.string({ maxLength: 4 });
const dotPath = fc.string({ minLength: 1, maxLength: 6 });
const textKey = fc.oneof(text, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }));
const object = fc.dictionary(text, fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 });
const groupKeyPath = fc.oneof(dotPath, fc.array(dotPath, { minLength: 1, maxLength: 3 }));
const runtime = fc.oneof(object, fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 2 }), text, fc.constant(null));
const statusMapping = fc.constantFrom('none', 'homeboy-agent-task');
const outcomeClass = fc.constantFrom('apply', 'review', 'retry', 'report');
const outcomeClassFields = { map: fc.dictionary(text, outcomeClass, { maxKeys: 3 }), class_path: dotPath, no_change_path: dotPath, success: outcomeClass, failure: outcomeClass, no_change: outcomeClass };
const outcomeClasses = fc.record(outcomeClassFields, { requiredKeys: [] });
const groupFields = { key: textKey, group_key: textKey, id: textKey, items: fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 2 }) };
const group = documentOf(groupFields);
const baseRun = fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 });
const findingPolicy = fc.record(validFindingPolicyFields, { requiredKeys: [] });
const list = fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 });

/** Every field of the config schema, each with an arbitrary of valid values. */
const validFields: Record<string, fc.Arbitrary<unknown>> = {
  schema: text, orchestrator: object, items: list, groups: fc.array(group, { maxLength: 2 }),
  group_key_path: groupKeyPath, groupKeyPath, group_by: groupKeyPath, groupBy: groupKeyPath,
  task_request_template: object, taskRequestTemplate: object,
  runtime, runtime_execution: runtime, runtimeExecution: runtime, executor: runtime,
  plan_schema: text, planSchema: text, summary: object, reconciliation_schema: text, reconciliationSchema: text,
  success_statuses: fc.array(dotPath, { maxLength: 3 }), outcome_path: dotPath, outcomePath: dotPath, result_schema: text, resultSchema: text,
  base_run: baseRun, include_summary: fc.boolean(), concurrency: textKey, outcome_classes: outcomeClasses,
  status_mapping: statusMapping, statusMapping, finding_policy: findingPolicy, findingPolicy,
  packets: list, finding_packets: list,
};

/** Nested documents one change away from valid, and lists with one bad element. */
const nearValid = (withNonJson: boolean): Record<string, fc.Arbitrary<unknown>> => {
  const bad = badValue(withNonJson);
  const oneBadElement = (valid: fc.Arbitrary<unknown>) => fc.tuple(fc.array(valid, { maxLength: 2 }), fc.oneof(bad, valid)).map(([list, element]) => [...list, element]);
  const nearPolicy = withOneChange(validFindingPolicyFields, withNonJson, { group_by: oneBadElement(dotPath), groupBy: oneBadElement(dotPath) });
  const ownedKey = fc.constantFrom('schema', 'status', 'records', 'no_change', 'outcome_classes', 'other').map((key) => ({ [key]: 1 }));
  return {
    groups: oneBadElement(fc.oneof(group, withOneChange(groupFields, withNonJson))),
    group_key_path: oneBadElement(dotPath),
    groupBy: oneBadElement(dotPath),
    success_statuses: oneBadElement(dotPath),
    base_run: ownedKey,
    outcome_classes: fc.oneof(withOneChange(outcomeClassFields, withNonJson), fc.record({ map: fc.oneof(fc.dictionary(text, fc.oneof(outcomeClass, bad), { minKeys: 1, maxKeys: 2 }), trickyJsonObject) })),
    finding_policy: nearPolicy,
    findingPolicy: nearPolicy,
  };
};

/** Every field the schema checks, as a path into the config. */
const FIELD_PATHS: readonly (readonly (string | number)[])[] = [
  ...Object.keys(validFields).map((key) => [key]),
  ...['map', 'class_path', 'no_change_path', 'success', 'failure', 'no_change', 'other'].map((key) => ['outcome_classes', key]),
  ['outcome_classes', 'map', 'status'],
  ...['key', 'group_key', 'id', 'items', 'other'].map((key) => ['groups', 0, key]),
  ['groups', 0], ['group_key_path', 0], ['groupBy', 0], ['success_statuses', 0],
  ...['schema', 'status', 'records', 'outcome_classes', 'no_change', 'other'].map((key) => ['base_run', key]),
  ...Object.keys(validFindingPolicyFields).map((key) => ['finding_policy', key]), ['findingPolicy', 'group_by', 0],
];

describe('isFanoutConfig, the zod-free check of a fanout config', () => {
  it('covers every field of the schema (a new field needs its fast check and its arbitrary here)', () => {
    expect(Object.keys(validFields).sort()).toEqual(Object.keys(fanoutConfigSchema.shape).sort());
  });

  it('accepts every valid config without zod (the success path)', () => {
    fc.assert(fc.property(documentOf(validFields), (config) => {
      expect(isFanoutConfig(config)).toBe(true);
      expect(fanoutConfigSchema.safeParse(config).success).toBe(true);
    }), { numRuns: 300 });
  });

  it('agrees with the zod schema on JSON documents one change away from valid, and words every error as zod does', () => {
    fc.assert(fc.property(fc.oneof(withOneChange(validFields, false, nearValid(false)), nestedChange(nearValid(false))), (config) => expectAgreement(config, isFanoutConfig, defineFanoutConfigSchema, fanoutConfigSchema, true)), { numRuns: 1000 });
  });

  it('agrees with the zod schema for every edge value at every field, nested fields included', () => {
    for (const path of FIELD_PATHS) {
      for (const value of EDGE_VALUES) expectAgreement(documentAt(path, value), isFanoutConfig, defineFanoutConfigSchema, fanoutConfigSchema, true);
    }
  });

  it('never accepts what zod rejects, whatever the value (class instances, symbols, holes, non-finite numbers)', () => {
    fc.assert(fc.property(fc.oneof(fc.oneof(withOneChange(validFields, true, nearValid(true)), nestedChange(nearValid(true))), fc.anything()), (config) => expectAgreement(config, isFanoutConfig, defineFanoutConfigSchema, fanoutConfigSchema, false)), { numRuns: 1000 });
  });
});

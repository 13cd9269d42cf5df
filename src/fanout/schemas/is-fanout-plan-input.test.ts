import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { badValue, documentAt, documentOf, EDGE_VALUES, expectAgreement, nestedChange, withOneChange } from '../../../test/helpers/schema-arbitraries.js';
import type { Zod } from '../../util/load-zod.js';
import { defineFanoutPlanSchemas } from './define-fanout-plan-schemas.js';
import { fanoutPlanInputSchema } from './fanout-plan-schema.js';
import { isFanoutPlanInput } from './is-fanout-plan-input.js';

const text = fc.string({ maxLength: 4 });
const textKey = fc.oneof(text, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }));
const object = fc.dictionary(text, fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 });
const taskFields = { id: textKey, task_id: textKey, group_key: textKey, sandbox_session_id: textKey, orchestrator: object, runtime_execution: fc.jsonValue({ maxDepth: 1 }) };
const taskRequest = documentOf(taskFields);
const validFields = { schema: text, orchestrator: object, summary: object, groups: fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 2 }), task_requests: fc.array(taskRequest, { maxLength: 3 }) };
const nearValid = (withNonJson: boolean) => ({
  task_requests: fc.tuple(fc.array(taskRequest, { maxLength: 2 }), fc.oneof(badValue(withNonJson), withOneChange(taskFields, withNonJson))).map(([tasks, bad]) => [...tasks, bad]),
});
const define = (zod: Zod): z.ZodType => defineFanoutPlanSchemas(zod).fanoutPlanInputSchema;

const FIELD_PATHS: readonly (readonly (string | number)[])[] = [...Object.keys(validFields).map((key) => [key]), ['task_requests', 0], ...Object.keys(taskFields).map((key) => ['task_requests', 0, key]), ['groups', 0]];

describe('isFanoutPlanInput, the zod-free check of a --plan file', () => {
  it('covers every field of the schema (a new field needs its fast check and its arbitrary here)', () => {
    expect(Object.keys(validFields).sort()).toEqual(Object.keys(fanoutPlanInputSchema.shape).sort());
    expect(Object.keys(taskFields).sort()).toEqual(Object.keys((fanoutPlanInputSchema.shape.task_requests.unwrap().element as z.ZodObject).shape).sort());
  });

  it('accepts every valid plan without zod', () => {
    fc.assert(fc.property(documentOf(validFields), (plan) => {
      expect(isFanoutPlanInput(plan)).toBe(true);
      expect(fanoutPlanInputSchema.safeParse(plan).success).toBe(true);
    }), { numRuns: 200 });
  });

  it('agrees with the zod schema on JSON documents one change away from valid, and words every error as zod does', () => {
    fc.assert(fc.property(fc.oneof(withOneChange(validFields, false, nearValid(false)), nestedChange(nearValid(false))), (plan) => expectAgreement(plan, isFanoutPlanInput, define, fanoutPlanInputSchema, true)), { numRuns: 500 });
  });

  it('agrees with the zod schema for every edge value at every field, nested fields included', () => {
    for (const path of FIELD_PATHS) {
      for (const value of EDGE_VALUES) expectAgreement(documentAt(path, value), isFanoutPlanInput, define, fanoutPlanInputSchema, true);
    }
  });

  it('never accepts what zod rejects, whatever the value', () => {
    fc.assert(fc.property(fc.oneof(fc.oneof(withOneChange(validFields, true, nearValid(true)), nestedChange(nearValid(true))), fc.anything()), (plan) => expectAgreement(plan, isFanoutPlanInput, define, fanoutPlanInputSchema, false)), { numRuns: 500 });
  });
});

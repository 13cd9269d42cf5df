import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { badValue, documentAt, documentOf, EDGE_VALUES, expectAgreement, nestedChange, validFindingPolicyFields, withOneChange } from '../../../test/helpers/schema-arbitraries.js';
import { defineFindingPolicySchema } from './define-finding-policy-schema.js';
import { findingPolicySchema } from './finding-policy-schema.js';
import { isFindingPolicy } from './is-finding-policy.js';

const dotPath = fc.string({ minLength: 1, maxLength: 6 });
const nearValid = (withNonJson: boolean) => {
  const pathsWithOneBad = fc.tuple(fc.array(dotPath, { maxLength: 2 }), badValue(withNonJson)).map(([paths, bad]) => [...paths, bad]);
  return { group_by: pathsWithOneBad, groupBy: pathsWithOneBad, group_key_paths: pathsWithOneBad, groupKeyPaths: pathsWithOneBad };
};

const FIELD_PATHS: readonly (readonly (string | number)[])[] = [...Object.keys(validFindingPolicyFields).map((key) => [key]), ['group_by', 0], ['groupKeyPaths', 0]];

describe('isFindingPolicy, the zod-free check of a finding policy', () => {
  it('covers every field of the schema (a new field needs its fast check and its arbitrary here)', () => {
    expect(Object.keys(validFindingPolicyFields).sort()).toEqual(Object.keys(findingPolicySchema.shape).sort());
  });

  it('accepts every valid policy without zod', () => {
    fc.assert(fc.property(documentOf(validFindingPolicyFields), (policy) => {
      expect(isFindingPolicy(policy)).toBe(true);
      expect(findingPolicySchema.safeParse(policy).success).toBe(true);
    }), { numRuns: 200 });
  });

  it('agrees with the zod schema on JSON documents one change away from valid, and words every error as zod does', () => {
    fc.assert(fc.property(fc.oneof(withOneChange(validFindingPolicyFields, false, nearValid(false)), nestedChange(nearValid(false))), (policy) => expectAgreement(policy, isFindingPolicy, defineFindingPolicySchema, findingPolicySchema, true)), { numRuns: 500 });
  });

  it('agrees with the zod schema for every edge value at every field, nested fields included', () => {
    for (const path of FIELD_PATHS) {
      for (const value of EDGE_VALUES) expectAgreement(documentAt(path, value), isFindingPolicy, defineFindingPolicySchema, findingPolicySchema, true);
    }
  });

  it('never accepts what zod rejects, whatever the value', () => {
    fc.assert(fc.property(fc.oneof(fc.oneof(withOneChange(validFindingPolicyFields, true, nearValid(true)), nestedChange(nearValid(true))), fc.anything()), (policy) => expectAgreement(policy, isFindingPolicy, defineFindingPolicySchema, findingPolicySchema, false)), { numRuns: 500 });
  });
});

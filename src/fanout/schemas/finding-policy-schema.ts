import { z } from 'zod';
import { defineFindingPolicySchema } from './define-finding-policy-schema.js';

/** How finding packets become fanout items and groups, built with the zod the library's users import. */
export const findingPolicySchema = defineFindingPolicySchema(z);

export type FindingPolicyInput = z.input<typeof findingPolicySchema>;

/** The documents' schema ids and their zod schemas (the one source of the JSON Schemas in schemas/). */
export * from './fanout-schema-ids.js';
export { fanoutConfigSchema, RESULT_OWNED_KEYS, STATUS_MAPPINGS, type FanoutConfigInput, type StatusMapping } from './fanout-config-schema.js';
export { findingPolicySchema, type FindingPolicyInput } from './finding-policy-schema.js';
export { fanoutPlanInputSchema, fanoutPlanSchema, fanoutResultSchema } from './fanout-plan-schema.js';
export { fanoutJsonSchemas } from './fanout-json-schemas.js';

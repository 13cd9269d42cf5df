import { z } from 'zod';
import { fanoutConfigSchema } from './fanout-config-schema.js';
import { fanoutPlanSchema, fanoutResultSchema } from './fanout-plan-schema.js';

/**
 * The JSON Schemas (draft 2020-12) shipped in `schemas/`, generated from the zod schemas so the
 * two cannot drift; a test compares them with the committed files.
 */
export function fanoutJsonSchemas(): Record<string, unknown> {
  return {
    'fanout-config.schema.json': z.toJSONSchema(fanoutConfigSchema, { target: 'draft-2020-12', io: 'input' }),
    'fanout-plan.schema.json': z.toJSONSchema(fanoutPlanSchema, { target: 'draft-2020-12', io: 'output' }),
    'fanout-result.schema.json': z.toJSONSchema(fanoutResultSchema, { target: 'draft-2020-12', io: 'output' }),
  };
}

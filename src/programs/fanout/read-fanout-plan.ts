import type { z } from 'zod';
import { defineFanoutPlanSchemas } from '../../fanout/schemas/define-fanout-plan-schemas.js';
import { isFanoutPlanInput } from '../../fanout/schemas/is-fanout-plan-input.js';
import type { JsonObject } from '../../util/is-plain-object.js';
import { checkWithSchema } from '../../util/check-with-schema.js';
import type { Zod } from '../../util/load-zod.js';
import { readJsonDocument } from '../../util/read-json-document.js';

const definePlanInputSchema = (zod: Zod): z.ZodType => defineFanoutPlanSchemas(zod).fanoutPlanInputSchema;

/**
 * Reads a plan file and checks its shape (task ids are checked by whoever uses the tasks): the
 * reader `drover fanout reconcile` and `drover run --plan` share, so both give the same one line
 * for a file that is too large, not UTF-8, not JSON, nested too deep or not a plan. zod is loaded
 * only when the fast check rejects the plan.
 */
export async function readFanoutPlan(file: string): Promise<JsonObject> {
  const value = await readJsonDocument(file);
  checkWithSchema(isFanoutPlanInput, definePlanInputSchema, value, file);
  return value as JsonObject;
}

import { fanoutPlanInputSchema, type JsonObject } from '../../fanout/index.js';
import { parseWithSchema } from '../../util/parse-with-schema.js';
import { readJsonDocument } from '../../util/read-json-document.js';

/**
 * Reads a plan file and checks its shape (task ids are checked by whoever uses the tasks): the
 * reader `drover fanout reconcile` and `drover run --plan` share, so both give the same one line
 * for a file that is too large, not UTF-8, not JSON, nested too deep or not a plan.
 */
export async function readFanoutPlan(file: string): Promise<JsonObject> {
  const value = await readJsonDocument(file);
  parseWithSchema(fanoutPlanInputSchema, value, file);
  return value as JsonObject;
}

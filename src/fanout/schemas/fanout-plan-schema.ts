import { z } from 'zod';
import { defineFanoutPlanSchemas } from './define-fanout-plan-schemas.js';

/** The plan and result schemas built with the zod the library's users import (see `defineFanoutPlanSchemas`). */
const schemas = defineFanoutPlanSchemas(z);

export const fanoutReconciliationSchema = schemas.fanoutReconciliationSchema;
export const fanoutTaskRequestSchema = schemas.fanoutTaskRequestSchema;
export const fanoutPlanSchema = schemas.fanoutPlanSchema;
/** What `drover fanout reconcile --plan` accepts: any object with task request objects (or an agent-task plan). */
export const fanoutPlanInputSchema = schemas.fanoutPlanInputSchema;
export const fanoutResultSchema = schemas.fanoutResultSchema;

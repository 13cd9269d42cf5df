import { z } from 'zod';
import { defineFanoutConfigSchema } from './define-fanout-config-schema.js';

export { RESULT_OWNED_KEYS, STATUS_MAPPINGS, type StatusMapping } from './fanout-config-keys.js';

/** The config schema built with the zod the library's users import (see `defineFanoutConfigSchema`). */
export const fanoutConfigSchema = defineFanoutConfigSchema(z);

export type FanoutConfigInput = z.input<typeof fanoutConfigSchema>;

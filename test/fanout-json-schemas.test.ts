import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fanoutJsonSchemas } from '../src/fanout/index.js';

/**
 * The JSON Schemas in schemas/ are generated from the zod schemas in src/fanout. After changing
 * those, regenerate with `DROVER_WRITE_SCHEMAS=1 npx vitest run test/fanout-json-schemas.test.ts`.
 */
const schemasDir = fileURLToPath(new URL('../schemas/', import.meta.url));

describe('schemas/*.schema.json', () => {
  for (const [name, schema] of Object.entries(fanoutJsonSchemas())) {
    it(`${name} matches the generator`, async () => {
      const expected = `${JSON.stringify(schema, null, 2)}\n`;
      if (process.env['DROVER_WRITE_SCHEMAS'] === '1') await writeFile(schemasDir + name, expected);
      expect(await readFile(schemasDir + name, 'utf8')).toBe(expected);
    });
  }

  it('are draft 2020-12 documents with a title', () => {
    for (const schema of Object.values(fanoutJsonSchemas())) {
      expect(schema).toMatchObject({ $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object' });
      expect(typeof (schema as { title?: unknown }).title).toBe('string');
    }
  });
});

import { appendFileSync } from 'node:fs';
import Module, { register } from 'node:module';
import { pathToFileURL } from 'node:url';

register('./module-trace-hooks.mjs', import.meta.url);

// The ESM hooks do not see CommonJS requires (zod is required only to word an error), so the
// CommonJS resolver appends what it resolves to the same trace.
const out = process.env.DROVER_MODULE_TRACE;
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (...args) {
  const file = resolveFilename.apply(this, args);
  if (out !== undefined && file.startsWith('/')) appendFileSync(out, `${pathToFileURL(file).href}\n`);
  return file;
};

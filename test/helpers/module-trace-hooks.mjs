// Module customization hooks (node --import ./module-trace.mjs) that append the URL of every
// module file a process loads to $DROVER_MODULE_TRACE: how the lazy-loading test sees what a
// command imported, without timing anything.
import { appendFileSync } from 'node:fs';

const out = process.env.DROVER_MODULE_TRACE;

export async function load(url, context, nextLoad) {
  if (out !== undefined && url.startsWith('file:')) appendFileSync(out, `${url}\n`);
  return nextLoad(url, context);
}

import { writeFileAtomic } from '../util/write-file-atomic.js';
import type { CliContext } from './cli-context.js';

/** Writes a JSON document to `--output` (atomically, parents created) or, without it, to stdout. */
export async function writeJsonOutput(value: unknown, output: string | undefined, context: CliContext): Promise<void> {
  const text = `${JSON.stringify(value, null, 2)}\n`;
  if (output === undefined) {
    context.stdout.write(text);
    return;
  }
  await writeFileAtomic(output, text);
}

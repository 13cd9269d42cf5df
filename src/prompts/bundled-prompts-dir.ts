import { fileURLToPath } from 'node:url';

/**
 * The `prompts/` directory shipped in the drover package (`<package root>/prompts`).
 *
 * This module sits two levels below the package root both as source (`src/prompts/`, under
 * vitest or tsx) and as build output (`dist/prompts/`, also when installed under
 * `node_modules/drover/`), so one relative step covers all three. `moduleUrl` exists for tests.
 */
export function bundledPromptsDir(moduleUrl: string | URL = import.meta.url): string {
  return fileURLToPath(new URL('../../prompts/', moduleUrl)).replace(/[\\/]$/, '');
}

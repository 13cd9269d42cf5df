import { readFileSync } from 'node:fs';

/** drover's version, from its package.json (read once; works from src/ and dist/). */
export const VERSION: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

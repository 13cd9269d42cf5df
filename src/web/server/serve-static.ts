import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The page's files: `src/web/static` when run from source, `dist/web/static` (copied by `npm run
 * build`) when installed, found from this module's place: `web/server/` beside `web/static/`, or
 * a chunk of the CLI's bundle in `dist/cli-bundle/` (scripts/bundle-cli.mjs).
 */
export const STATIC_DIR = staticDirFor(import.meta.url);

/**
 * The page's directory for a module at `moduleUrl`. Only the module's own folder tells a bundle
 * chunk apart: a project that merely lives under some `cli-bundle/` folder is not one.
 */
export function staticDirFor(moduleUrl: string): string {
  const inBundle = new URL('.', moduleUrl).pathname.endsWith('/cli-bundle/');
  return fileURLToPath(new URL(inBundle ? '../web/static/' : '../static/', moduleUrl));
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json; charset=utf-8',
  '.ico': 'image/x-icon',
};

/** Shown while the page itself is not built into this copy of drover. */
const PLACEHOLDER = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>drover dashboard</title></head>
<body><h1>drover dashboard</h1><p>The page is not part of this build. The JSON API is served under <code>/api/runs</code>.</p></body></html>
`;

/** A plain file name in the static dir: no path separators, no dot files. */
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export interface StaticFile {
  readonly body: Buffer;
  readonly type: string;
}

/** A file of the page by name, or undefined; `index.html` falls back to a placeholder. */
export async function readStaticFile(dir: string, name: string): Promise<StaticFile | undefined> {
  if (!FILE_NAME.test(name)) return undefined;
  const extension = /\.[^.]+$/.exec(name)?.[0] ?? '';
  const type = TYPES[extension];
  if (type === undefined) return undefined;
  try {
    return { body: await readFile(join(dir, name)), type };
  } catch {
    return name === 'index.html' ? { body: Buffer.from(PLACEHOLDER), type } : undefined;
  }
}

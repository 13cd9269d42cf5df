import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

interface Metafile {
  readonly outputs: Record<string, { readonly inputs: Record<string, unknown> }>;
}

/**
 * The bins run the CLI's bundle (dist/cli-bundle/, scripts/bundle-cli.mjs), so a module-loading
 * hook sees chunks, not drover's modules. This puts the modules back: each chunk URL in `urls`
 * becomes the URLs of the dist/ modules esbuild put into it (from the build's metafile); every
 * other URL (packages, node:) is kept. Tests that ask "did this command load module X" then
 * read the same as before the bundle.
 */
export function unbundledModuleUrls(repoRoot: string, urls: readonly string[]): string[] {
  const meta = JSON.parse(readFileSync(join(repoRoot, 'dist', 'cli-bundle.meta.json'), 'utf8')) as Metafile;
  const bundleDir = pathToFileURL(join(repoRoot, 'dist', 'cli-bundle')).href + '/';
  const out: string[] = [];
  for (const url of urls) {
    if (!url.startsWith(bundleDir)) {
      out.push(url);
      continue;
    }
    const output = meta.outputs[`dist/cli-bundle/${url.slice(bundleDir.length)}`];
    if (output === undefined) throw new Error(`${url} is not in dist/cli-bundle.meta.json: rebuild (npm run build)`);
    for (const input of Object.keys(output.inputs)) out.push(pathToFileURL(join(repoRoot, input)).href);
  }
  return out;
}

/** True when one of `urls` is a chunk of the CLI's bundle (the process ran the bundled bin). */
export function ranTheBundle(repoRoot: string, urls: readonly string[]): boolean {
  const bundleDir = pathToFileURL(join(repoRoot, 'dist', 'cli-bundle')).href + '/';
  return urls.some((url) => url.startsWith(bundleDir));
}

// The CLI's bundle (docs/decisions/2026-12-02-bundle-the-cli.md): after tsc has written dist/,
// esbuild links the two CLI entries (`drover`, `homeboy-generic-fanout-reconcile`) into
// dist/cli-bundle/, a few chunks instead of ~180 module files. Code loaded on demand (the live
// view, the MCP endpoint, each subcommand, the fanout engines) stays in chunks of its own, so a
// command still loads only what it uses. Packages stay external: node_modules is resolved as
// before, and the library's dist/ is left as tsc wrote it.
//
// Every chunk sits two folders below the package root, as the modules it is built from do, so
// `import.meta.url`-relative paths to package.json and prompts/ stay right. The metafile (which
// source module went into which chunk) is what test/helpers/bundle-modules.ts reads to tell the
// import-graph tests which modules a process loaded.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const result = await build({
  absWorkingDir: root,
  entryPoints: ['dist/cli/main.js', 'dist/cli/homeboy-main.js'],
  outdir: 'dist/cli-bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  // Composed with tsc's maps, so `node --enable-source-maps` reports src/*.ts lines.
  sourcemap: 'linked',
  metafile: true,
  logLevel: 'warning',
});
writeFileSync(new URL('../dist/cli-bundle.meta.json', import.meta.url), `${JSON.stringify(result.metafile)}\n`);

/**
 * `npm run bench:explore-large -- [--files N] [--keep]`
 *
 * Detection and exploration stay bounded on a very large monorepo: it generates a pnpm + turbo
 * workspace of N files (default 200,000: one Next.js app in apps/web and hundreds of library
 * packages, each with sources, tests and assets) in a temp dir, then times `detectProjectDetails`
 * and `exploreRepo` with their defaults. It prints JSON with each figure beside its bound (the
 * 300 ms budget, the 20,000-file cap) and beside a floor measured in the same run: one bare
 * `readdirSync` pass over every folder, which is what an unbounded walk would cost at least.
 * The exploration must say it was truncated, and by what.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { detectProjectDetails } from '../src/detect/index.js';
import { DEFAULT_EXPLORE_BUDGET_MS, exploreRepo } from '../src/explore/index.js';
import { DEFAULT_MAX_FILES } from '../src/detect/index.js';

const { values } = parseArgs({ options: { files: { type: 'string', default: '200000' }, keep: { type: 'boolean', default: false } } });
const target = Number(values.files);
const root = mkdtempSync(join(tmpdir(), 'drover-large-'));

const write = (rel: string, text: string): void => {
  writeFileSync(join(root, rel), text);
};
const t0 = performance.now();
write('package.json', JSON.stringify({ name: 'mono', private: true, packageManager: 'pnpm@9.15.0', devDependencies: { turbo: '^2.0.0', next: '^15.0.0' } }));
write('pnpm-workspace.yaml', 'packages:\n  - "apps/*"\n  - "packages/*"\n');
write('turbo.json', '{}');
mkdirSync(join(root, 'apps/web/app/api/chat'), { recursive: true });
write('apps/web/package.json', JSON.stringify({ name: 'web', private: true, dependencies: { next: '^15.0.0', react: '^19.0.0', ai: '^5.0.0' } }));
write('apps/web/app/layout.tsx', 'export default function Layout({ children }) { return children; }\n');
write('apps/web/app/page.tsx', 'export default function Page() { return null; }\n');
write('apps/web/app/api/chat/route.ts', "import { streamText } from 'ai';\nexport async function POST() { return streamText; }\n");
let files = 7;
const perPackage = 500;
for (let p = 0; files < target; p += 1) {
  const pkg = `packages/lib-${String(p).padStart(4, '0')}`;
  for (const sub of ['src/components', 'src/utils', 'test', 'assets']) mkdirSync(join(root, pkg, sub), { recursive: true });
  write(`${pkg}/package.json`, JSON.stringify({ name: `@mono/lib-${p}`, exports: './src/index.ts' }));
  files += 1;
  for (let i = 0; i < perPackage - 1 && files < target; i += 1, files += 1) {
    const kind = i % 4;
    const rel = kind === 0 ? `src/components/C${i}.tsx` : kind === 1 ? `src/utils/u${i}.ts` : kind === 2 ? `test/t${i}.test.ts` : `assets/a${i}.svg`;
    write(`${pkg}/${rel}`, kind === 3 ? '<svg/>' : `export const v${i} = ${i};\n`);
  }
}
const generateMs = performance.now() - t0;

const floorStart = performance.now();
let dirs = 0;
const stack = [root];
while (stack.length > 0) {
  const dir = stack.pop()!;
  dirs += 1;
  for (const entry of readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory()) stack.push(join(dir, entry.name));
}
const floorMs = performance.now() - floorStart;

const d0 = performance.now();
const details = await detectProjectDetails(root);
const d1 = performance.now();
const exploration = await exploreRepo(root, details);
const d2 = performance.now();
const rootExploration = await exploreRepo(root, { ...details, appDir: '.' });
const d3 = performance.now();

console.log(
  JSON.stringify(
    {
      files_generated: files,
      dirs,
      generate_ms: Math.round(generateMs),
      floor_full_readdir_ms: Math.round(floorMs),
      detect: { ms: Math.round(d1 - d0), kind: details.layout.kind, app_dir: details.appDir, framework: details.framework, workspace_members: details.layout.workspace?.members ?? 0 },
      explore_app: { ms: Math.round(d2 - d1), budget_ms: DEFAULT_EXPLORE_BUDGET_MS, files_walked: exploration.filesWalked, truncated: exploration.truncated, truncated_by: exploration.truncatedBy, llm_calls: exploration.llmCalls.length },
      explore_whole_repo: {
        ms: Math.round(d3 - d2),
        budget_ms: DEFAULT_EXPLORE_BUDGET_MS,
        max_files: DEFAULT_MAX_FILES,
        files_walked: rootExploration.filesWalked,
        files_scanned: rootExploration.filesScanned,
        truncated: rootExploration.truncated,
        truncated_by: rootExploration.truncatedBy,
      },
      load: execSync('uptime', { encoding: 'utf8' }).trim(),
    },
    null,
    2,
  ),
);
if (!values.keep) rmSync(root, { recursive: true, force: true });

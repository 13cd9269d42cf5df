/**
 * `npm run bench:detect -- [--mirrors DIR] [--cache DIR] [--only NAME] [--budget-ms N] [--markdown]`
 *
 * Detection and exploration over public repositories nobody here wrote. The expectations in
 * bench/detect-corpus.json were written down by reading each repository at the commit named
 * there (its manifests, its folders, where it imports an LLM SDK); this script compares them
 * with what drover finds and prints one row per repository, with the time taken.
 *
 * The repositories are not in this repository. Each is read from a bare mirror at
 * `<mirrors>/<owner>+<name>/repo` (default /work/.mirror, or DROVER_CORPUS_MIRRORS), checked
 * out once into `<cache>` (default $TMPDIR/drover-corpus), and skipped, with a note, when its
 * mirror is absent. Not part of `npm test`: it needs the mirrors and takes a while.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { execSync } from 'node:child_process';
import { detectProjectDetails } from '../src/detect/index.js';
import { exploreRepo } from '../src/explore/index.js';
import { checkoutCommit, resolveCommit } from './corpus-checkout.js';

interface Expectation {
  readonly repo: string;
  readonly commit: string;
  readonly covers: string;
  readonly kind: 'app' | 'apps' | 'library' | 'none';
  readonly framework: string | null;
  readonly packageManager: string | null;
  readonly appDir: string;
  /** For `kind: apps`: the app folders a user chooses between. */
  readonly apps?: string[];
  /** LLM SDK families the product code calls; empty: none. */
  readonly llm: string[];
  /** Why a row that is not right is not right (kept beside the expectation it explains). */
  readonly explained?: string;
}

interface Row {
  readonly repo: string;
  readonly status: 'right' | 'wrong' | 'explained' | 'missing';
  readonly expected: string;
  readonly found: string;
  readonly llmExpected: string;
  readonly llmFound: string;
  readonly files: number;
  readonly truncated: string;
  readonly detectMs: number;
  readonly exploreMs: number;
  readonly note: string;
}

const here = fileURLToPath(new URL('.', import.meta.url));
const { values } = parseArgs({
  options: {
    mirrors: { type: 'string', default: process.env.DROVER_CORPUS_MIRRORS ?? '/work/.mirror' },
    cache: { type: 'string', default: join(tmpdir(), 'drover-corpus') },
    only: { type: 'string' },
    'budget-ms': { type: 'string' },
    markdown: { type: 'boolean', default: false },
  },
});

const corpus = JSON.parse(await readFile(join(here, 'detect-corpus.json'), 'utf8')) as { repositories: Expectation[] };
const rows: Row[] = [];
for (const expected of corpus.repositories) {
  if (values.only !== undefined && !expected.repo.includes(values.only)) continue;
  rows.push(await measure(expected));
}

const counts = { right: 0, wrong: 0, explained: 0, missing: 0 };
for (const row of rows) counts[row.status] += 1;
const load = execSync('uptime', { encoding: 'utf8' }).trim();
if (values.markdown) {
  console.log('| repository | covers | expected | found | LLM expected | LLM found | files | cut | detect ms | explore ms | |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const row of rows) {
    const covers = corpus.repositories.find((e) => e.repo === row.repo)?.covers ?? '';
    const mark = row.status === 'right' ? 'right' : row.status === 'explained' ? 'explained (below)' : row.status;
    console.log(`| ${row.repo} | ${covers} | ${row.expected} | ${row.found} | ${row.llmExpected} | ${row.llmFound} | ${row.files} | ${row.truncated} | ${row.detectMs} | ${row.exploreMs} | ${mark} |`);
  }
  console.log(`\n${counts.right} right, ${counts.explained} explained, ${counts.wrong} wrong, ${counts.missing} without a mirror; load: ${load}`);
} else {
  console.log(JSON.stringify({ load, counts, rows }, null, 2));
}
process.exitCode = counts.wrong > 0 ? 1 : 0;

async function measure(expected: Expectation): Promise<Row> {
  const gitDir = join(values.mirrors, `${expected.repo.replace('/', '+')}`, 'repo');
  const base = { repo: expected.repo, expected: describe(expected.kind, expected.framework, expected.packageManager, expected.appDir, expected.apps), llmExpected: list(expected.llm) };
  const missing = (note: string): Row => ({ ...base, status: 'missing', found: '—', llmFound: '—', files: 0, truncated: '—', detectMs: 0, exploreMs: 0, note });
  if (!existsSync(gitDir)) return missing(`no mirror at ${gitDir}`);
  const commit = resolveCommit(gitDir, expected.commit);
  if (commit === null) return missing(`the mirror lacks commit ${expected.commit}`);
  const { dir } = await checkoutCommit(gitDir, commit, join(values.cache, `${expected.repo.replace('/', '+')}-${commit.slice(0, 12)}`));

  const t0 = performance.now();
  const details = await detectProjectDetails(dir);
  const t1 = performance.now();
  const budget = values['budget-ms'] === undefined ? {} : { timeBudgetMs: Number(values['budget-ms']) };
  const exploration = details.layout.kind === 'apps' ? null : await exploreRepo(dir, details, budget);
  const t2 = performance.now();

  const llmFound: string[] = exploration === null ? [] : [...new Set(exploration.llmCalls.map((call) => call.provider as string))].sort();
  const foundApps = details.layout.apps.map((app) => app.dir);
  const found = describe(details.layout.kind, details.framework, details.packageManager, details.appDir, details.layout.kind === 'apps' ? foundApps : undefined);
  const llmRight = exploration === null ? true : expected.llm.length === 0 ? llmFound.length === 0 : expected.llm.every((provider) => llmFound.includes(provider));
  const right = found === base.expected && llmRight;
  return {
    ...base,
    status: right ? 'right' : expected.explained !== undefined ? 'explained' : 'wrong',
    found,
    llmFound: exploration === null ? '(not explored: choose an app)' : list(llmFound),
    files: exploration?.filesWalked ?? 0,
    truncated: exploration?.truncatedBy ?? '',
    detectMs: Math.round(t1 - t0),
    exploreMs: Math.round(t2 - t1),
    note: right ? '' : (expected.explained ?? ''),
  };
}

function describe(kind: string, framework: string | null, packageManager: string | null, appDir: string, apps: readonly string[] | undefined): string {
  if (kind === 'apps') return `apps: ${(apps ?? []).join(', ')}`;
  const where = appDir === '.' ? '' : ` in ${appDir}/`;
  return `${kind === 'library' ? 'library, ' : ''}${framework ?? 'none'} / ${packageManager ?? 'none'}${where}`;
}

function list(items: readonly string[]): string {
  return items.length === 0 ? 'none' : items.join(', ');
}

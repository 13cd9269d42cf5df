/**
 * `npm run bench:seed -- [--files N] [--node-modules M] [--runs R] [--first-task]`
 *
 * Times the seed step's inspection (`detectProject` + `exploreRepo`) on a synthetic Next.js
 * repository of N project files (default 10,000: routes, API handlers, components, helpers,
 * tests, assets, a few LLM imports), plus M files (default 30,000) under node_modules, .next and
 * .git that the walker must skip. Prints JSON: the median of R runs after the first, and the
 * first run alone, since a real `drover run` pays the cold start.
 *
 * `--first-task` also measures what the budget is for: the wall time from spawning
 * `drover run --agent stub` on the same repository to the first `task-started` line in its
 * `audit.jsonl` (the SPEC's audit log). It needs `drover run` to exist in dist/.
 * `--bin PATH` (repeatable) measures other builds' `bin/drover.js` instead, interleaved in the
 * same rounds (A/B comparisons of builds under the same load).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { detectProjectDetails } from '../src/detect/index.js';
import { exploreRepo } from '../src/explore/index.js';

const { values } = parseArgs({
  options: {
    files: { type: 'string', default: '10000' },
    'node-modules': { type: 'string', default: '30000' },
    runs: { type: 'string', default: '7' },
    'first-task': { type: 'boolean', default: false },
    bin: { type: 'string', multiple: true },
  },
});
const defaultBin = fileURLToPath(new URL('../bin/drover.js', import.meta.url));
const bins = values.bin ?? [defaultBin];
const projectFiles = Number(values.files);
const skippedFiles = Number(values['node-modules']);
const runs = Math.max(1, Number(values.runs));

interface Sample {
  detect_ms: number;
  explore_ms: number;
  total_ms: number;
  truncated: boolean;
  files_walked: number;
  files_scanned: number;
}

const root = mkdtempSync(join(tmpdir(), 'drover-bench-seed-'));
try {
  const generated = generateRepo(root, projectFiles, skippedFiles);
  const samples: Sample[] = [];
  for (let r = 0; r <= runs; r += 1) samples.push(await once(root));
  const [first, ...rest] = samples;
  const median = (key: 'detect_ms' | 'explore_ms' | 'total_ms'): number => {
    const sorted = rest.map((sample) => sample[key]).sort((a, b) => a - b);
    return round(sorted[Math.floor(sorted.length / 2)] ?? 0);
  };
  const result: Record<string, unknown> = {
    files: generated.project,
    detect_ms: median('detect_ms'),
    explore_ms: median('explore_ms'),
    total_ms: median('total_ms'),
    truncated: samples.some((sample) => sample.truncated),
    runs,
    first_run_total_ms: round(first?.total_ms ?? 0),
    first_run_truncated: first?.truncated ?? false,
    skipped_files: generated.skipped,
    files_walked: first?.files_walked,
    files_scanned: first?.files_scanned,
    machine: { nproc: cpus().length, node: process.version, cpu: cpus()[0]?.model.trim() ?? 'unknown' },
  };
  if (values['first-task']) {
    // Interleaved with its floor, a bare `node -e 0`, so load on the machine hits both alike (target ≤ 3×).
    const firstTask = bins.map((): FirstTask[] => []);
    const nodeStart: FirstTask[] = [];
    for (let r = 0; r < 5; r += 1) {
      nodeStart.push(await nodeStart0());
      for (const [index, bin] of bins.entries()) {
        const sample = await timeToFirstTask(root, bin);
        if (typeof sample === 'string') throw new Error(sample);
        firstTask[index]!.push(sample);
      }
    }
    const mid = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const nodeMs = mid(nodeStart.map((sample) => sample.ms));
    const nodeCpu = mid(nodeStart.map((sample) => sample.cpuMs));
    result['node_start_ms'] = round(nodeMs);
    result['node_start_cpu_ms'] = round(nodeCpu);
    for (const [index, bin] of bins.entries()) {
      const ms = mid(firstTask[index]!.map((sample) => sample.ms));
      const cpu = mid(firstTask[index]!.map((sample) => sample.cpuMs));
      const figures = {
        time_to_first_task_ms: round(ms),
        first_task_ratio_to_node_start: Math.round((ms / nodeMs) * 100) / 100,
        // CPU time the run had used when its first task started, against node's whole CPU time
        // (both from /proc, 10 ms ticks): the figure to read on a busy machine.
        first_task_cpu_ms: round(cpu),
        first_task_cpu_ratio_to_node_start: Math.round((cpu / nodeCpu) * 100) / 100,
      };
      if (bins.length === 1) Object.assign(result, figures);
      else result[bin] = figures;
    }
    result['load_average_1m'] = Math.round(loadavg()[0]! * 100) / 100;
  }
  console.log(JSON.stringify(result, null, 2));
} finally {
  rmSync(root, { recursive: true, force: true });
}

async function once(dir: string): Promise<Sample> {
  const started = performance.now();
  const detected = await detectProjectDetails(dir);
  const detectedAt = performance.now();
  const exploration = await exploreRepo(dir, detected);
  const ended = performance.now();
  if (detected.framework !== 'nextjs') throw new Error(`expected nextjs, detected ${String(detected.framework)}`);
  return {
    detect_ms: detectedAt - started,
    explore_ms: ended - detectedAt,
    total_ms: ended - started,
    truncated: exploration.truncated,
    files_walked: exploration.filesWalked,
    files_scanned: exploration.filesScanned,
  };
}

/**
 * Time-to-first-task of the full command (the lead's extension point). Spawns the built CLI
 * with the stub agent and a state directory outside the repository, and waits for the first
 * `task-started` event in `audit.jsonl` of a task other than the seed task (which starts first).
 */
interface FirstTask {
  /** Wall time from spawn. */
  readonly ms: number;
  /** The process's CPU time (user + system) at that moment. */
  readonly cpuMs: number;
}

/** User + system CPU time of a live process, from /proc (Linux), in ms. */
function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces), from field 3: utime is 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Linux counts them in ticks of 1/100 s (`getconf CLK_TCK`).
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function timeToFirstTask(dir: string, bin: string): Promise<FirstTask | string> {
  const stateDir = mkdtempSync(join(tmpdir(), 'drover-bench-state-'));
  const started = performance.now();
  const child = spawn(process.execPath, [bin, 'run', '--install-dir', dir, '--state-dir', stateDir, '--agent', 'stub', '--ui', 'plain', '--no-telemetry'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let exited = false;
  const exit = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  child.on('exit', () => (exited = true));
  try {
    while (performance.now() - started < 30_000) {
      let log = '';
      try {
        log = readFileSync(join(stateDir, 'audit.jsonl'), 'utf8');
      } catch {
        log = '';
      }
      // The first task after the seed step: the seed task itself starts before detection's output is explored.
      if (/"event":"task-started","taskId":"(?!seed")/.test(log)) return { ms: round(performance.now() - started), cpuMs: processCpuMs(child.pid!) };
      if (exited) return `drover run exited before starting a task: ${stderr.trim().split('\n')[0] ?? ''}`;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    return 'timed out after 30 s';
  } finally {
    // Stop the run and wait for it: it is still writing its state dir until it exits.
    if (!exited && child.pid !== undefined) child.kill('SIGKILL');
    await exit;
    rmSync(stateDir, { recursive: true, force: true });
  }
}

/** `node -e 0`: wall time, and its CPU time (user + system) from `/usr/bin/time`. */
async function nodeStart0(): Promise<FirstTask> {
  const stats = join(tmpdir(), `drover-bench-node-start-${process.pid}.txt`);
  const started = performance.now();
  await new Promise<void>((resolve, reject) => spawn('/usr/bin/time', ['-o', stats, '-f', '%U %S', process.execPath, '-e', '0'], { stdio: 'ignore' }).once('close', () => resolve()).once('error', reject));
  const ms = performance.now() - started;
  const [user, system] = readFileSync(stats, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
  rmSync(stats, { force: true });
  return { ms, cpuMs: (user! + system!) * 1000 };
}

/** Writes the synthetic repository; returns how many files are in the project and how many sit in skipped folders. */
function generateRepo(dir: string, total: number, skipped: number): { project: number; skipped: number } {
  let written = 0;
  const write = (rel: string, content: string): void => {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), content);
    written += 1;
  };
  write(
    'package.json',
    JSON.stringify({ name: 'bench-app', private: true, dependencies: { next: '15.5.0', react: '19.1.0', 'react-dom': '19.1.0', openai: '5.20.0', ai: '5.0.0' } }, null, 2),
  );
  write('pnpm-lock.yaml', "lockfileVersion: '9.0'\n");
  write('next.config.mjs', 'export default { reactStrictMode: true };\n');
  write('tsconfig.json', '{ "compilerOptions": { "strict": true } }\n');
  write('app/layout.tsx', component('RootLayout', 0));
  write('app/page.tsx', component('Home', 0));

  const share = (fraction: number): number => Math.floor((total - written) * fraction);
  const plan: Array<[number, (i: number) => [string, string]]> = [
    [share(0.12), (i) => [`app/(site)/section-${i % 40}/item-${i}/page.tsx`, component(`Page${i}`, i)]],
    [share(0.01), (i) => [`app/(site)/area-${i}/layout.tsx`, component(`Layout${i}`, i)]],
    [share(0.03), (i) => [`app/api/v1/resource-${i}/route.ts`, handler(i)]],
    [share(0.35), (i) => [`components/group-${i % 60}/widget-${i}.tsx`, component(`Widget${i}`, i)]],
    [share(0.2), (i) => [`lib/module-${i % 50}/helper-${i}.ts`, helper(i)]],
    [share(0.08), (i) => [`components/group-${i % 60}/widget-${i}.test.tsx`, `import { expect, it } from 'vitest';\nit('renders ${i}', () => expect(${i}).toBe(${i}));\n`]],
    [share(0.1), (i) => [`public/images/img-${i}.svg`, `<svg xmlns="http://www.w3.org/2000/svg" width="${i}" height="1"/>\n`]],
    [share(0.05), (i) => [`styles/module-${i}.module.css`, `.c${i} { color: #${(i % 4096).toString(16).padStart(3, '0')}; }\n`]],
  ];
  for (const [count, make] of plan) {
    for (let i = 0; i < count; i += 1) write(...make(i));
  }
  for (let i = 0; written < total; i += 1) write(`docs/page-${i}.md`, `# Page ${i}\n\nSome words about page ${i}.\n`);

  const project = written;
  const hidden = ['node_modules', '.next/server', '.git/objects'];
  for (let i = 0; i < skipped; i += 1) {
    const base = hidden[i % hidden.length] ?? 'node_modules';
    write(`${base}/pkg-${i % 500}/lib/file-${i}.js`, "module.exports = require('openai');\n");
  }
  return { project, skipped: written - project };
}

function component(name: string, i: number): string {
  const llm = i % 250 === 7 ? "import OpenAI from 'openai';\n" : '';
  return `${llm}import { useMemo } from 'react';\nimport { helper${i % 97} } from '@/lib/module-${i % 50}/helper-${i % 97}';\n\n${'// A line of commentary that pads the file to a realistic size for a component module.\n'.repeat(12)}export default function ${name}({ items }: { items: string[] }) {\n  const sorted = useMemo(() => [...items].sort(), [items]);\n  return <ul>{sorted.map((item) => <li key={item}>{helper${i % 97}(item)}</li>)}</ul>;\n}\n`;
}

function handler(i: number): string {
  const llm = i % 10 === 3 ? "import { generateText } from 'ai';\nimport { openai } from '@ai-sdk/openai';\n" : '';
  return `${llm}import { NextResponse } from 'next/server';\n\nexport async function GET() {\n  return NextResponse.json({ id: ${i} });\n}\n`;
}

function helper(i: number): string {
  return `import { z } from 'zod';\n\nconst schema${i} = z.object({ id: z.number(), name: z.string() });\n\n${'// Helper commentary line that pads the module to a typical size.\n'.repeat(16)}export function helper${i}(value: string): string {\n  return schema${i}.parse({ id: ${i}, name: value }).name;\n}\n`;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

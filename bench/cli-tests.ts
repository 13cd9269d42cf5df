/**
 * `npm run bench:cli-tests [-- --runs N]`
 *
 * What a CLI test case costs run in-process (`main(argv)` with captured streams, as
 * `test/helpers/run-cli.ts` `drover()` does) against the same case as a spawned `bin/drover.js`,
 * beside the floor of a bare `node -e 0` spawn measured in the same run. The case is a whole
 * `drover run` of a fixture app with the stub agent. Prints JSON (medians in ms). Needs `npm run build`.
 */
import { spawn } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { main } from '../src/cli/main.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '7' } } });
const runs = Number(values.runs);
const root = new URL('..', import.meta.url).pathname;
const fixture = join(root, 'test/fixtures/apps/fastapi-app');
const median = (xs: number[]): number => Math.round([...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!);

function timeSpawn(args: string[]): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) =>
    spawn(process.execPath, args, { stdio: 'ignore', env: { ...process.env, DO_NOT_TRACK: '1' } })
      .once('exit', (code) => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`exit ${code}`))))
      .once('error', reject),
  );
}

async function freshApp(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'drover-bench-cli-'));
  await cp(fixture, dir, { recursive: true, filter: (path) => !path.includes('.drover') });
  return dir;
}

const sink = (): Writable => new Writable({ write: (_chunk, _encoding, callback) => callback() });
process.env.DO_NOT_TRACK = '1';
// One in-process run first: the module graph loads once per test file, not per case.
const warm = await freshApp();
await main(['run', '--install-dir', warm, '--ui', 'plain'], { stdout: sink(), stderr: sink() });
await rm(warm, { recursive: true, force: true });

const floor: number[] = [];
const spawned: number[] = [];
const inProcess: number[] = [];
for (let i = 0; i < runs; i += 1) {
  floor.push(await timeSpawn(['-e', '0']));
  const a = await freshApp();
  spawned.push(await timeSpawn([join(root, 'bin/drover.js'), 'run', '--install-dir', a, '--ui', 'plain']));
  const b = await freshApp();
  const started = performance.now();
  const code = await main(['run', '--install-dir', b, '--ui', 'plain'], { stdout: sink(), stderr: sink() });
  if (code !== 0) throw new Error(`in-process run exited ${code}`);
  inProcess.push(performance.now() - started);
  await Promise.all([rm(a, { recursive: true, force: true }), rm(b, { recursive: true, force: true })]);
}

console.log(JSON.stringify({
  case: 'drover run --install-dir fastapi-app --ui plain (stub agent)',
  runs,
  loadavg1m: Math.round(loadavg()[0]! * 10) / 10,
  floorNodeSpawnMs: median(floor),
  spawnedBinMs: median(spawned),
  inProcessMs: median(inProcess),
  spawnedOverInProcess: Math.round((median(spawned) / median(inProcess)) * 10) / 10,
}, null, 2));

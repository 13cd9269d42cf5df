import type { QueueState } from './queue-state.js';
import { takeReady } from './take-ready.js';
import type { Task } from './task.js';

/**
 * Write scopes: the paths a task writes, as globs relative to the install dir (`src/**`,
 * `app/api/*.ts`, `README.md`). Two tasks whose scopes overlap never run at once; a task
 * without a scope is unscoped and runs as before. Overlap is decided conservatively — a false
 * "overlaps" only costs parallelism, a false "disjoint" would let two agents edit one file.
 *
 * - Two plain paths overlap when they are equal or one is a directory holding the other.
 * - A plain path and a glob overlap when the glob matches the path, or the glob's fixed leading
 *   part lies inside the path (a directory), or the glob has `**` and could reach into it, or it
 *   has more segments than the path (it may match inside it), or it holds a class or an
 *   alternation (`[ab]`, `{a,b}`), which are not expanded.
 * - Two globs overlap unless their fixed leading parts (before the first `*`, `?`, `[` or `{`)
 *   diverge: `src/a/**` and `src/b/*.ts` are disjoint, `src/*.ts` and `src/*.js` are not.
 */
const GLOB_CHARS = /[*?[{]/;

/** A scope entry drover accepts: relative, non-empty, no `..` segment, no backslash. */
export function isWriteGlob(glob: string): boolean {
  if (glob.trim() === '' || glob.startsWith('/') || glob.includes('\\')) return false;
  return !glob.split('/').some((segment) => segment === '..');
}

export function scopesOverlap(a: readonly string[], b: readonly string[]): boolean {
  return a.some((x) => b.some((y) => globsOverlap(x, y)));
}

export function globsOverlap(a: string, b: string): boolean {
  const x = normalise(a);
  const y = normalise(b);
  const px = fixedPrefix(x);
  const py = fixedPrefix(y);
  if (!px.startsWith(py) && !py.startsWith(px)) return false;
  const xPlain = px === x;
  const yPlain = py === y;
  if (xPlain && yPlain) return x === y || x.startsWith(`${y}/`) || y.startsWith(`${x}/`);
  if (xPlain) return plainMeetsGlob(x, y, py);
  if (yPlain) return plainMeetsGlob(y, x, px);
  return true;
}

function plainMeetsGlob(path: string, glob: string, globPrefix: string): boolean {
  // Classes and alternations (`[ab]`, `{a,b}`) are not expanded here: assume they meet.
  if (/[[{]/.test(glob)) return true;
  // A glob deeper than the path may match something inside it when the path is a directory
  // (`src` and `*/x.ts`): assume it does.
  if (glob.split('/').length > path.split('/').length) return true;
  return globToRegExp(glob).test(path) || globPrefix.startsWith(`${path}/`) || (glob.includes('**') && (path.startsWith(globPrefix) || globPrefix.startsWith(path)));
}

function normalise(glob: string): string {
  return glob.replace(/^(\.\/)+/, '').replace(/\/+$/, '').replace(/\/{2,}/g, '/');
}

function fixedPrefix(glob: string): string {
  const at = glob.search(GLOB_CHARS);
  return at === -1 ? glob : glob.slice(0, at);
}

/** `**` spans directories, `*` and `?` stay within one; anything else is literal. */
function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i += 1) {
    const char = glob[i]!;
    if (char === '*' && glob[i + 1] === '*') {
      i += 1;
      if (glob[i + 1] === '/') {
        i += 1;
        out += '(?:.*/)?';
      } else out += '.*';
    } else if (char === '*') out += '[^/]*';
    else if (char === '?') out += '[^/]';
    else out += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

/**
 * The running task (among `writing`) whose scope overlaps `task`'s, if any: why a ready task
 * waits. `writing` maps a running task's id to its scope.
 */
export function writeConflict(task: Pick<Task, 'writes'>, writing: ReadonlyMap<string, readonly string[]>): string | undefined {
  if (task.writes === undefined || task.writes.length === 0) return undefined;
  for (const [id, scope] of writing) if (scopesOverlap(task.writes, scope)) return id;
  return undefined;
}

/** The scopes of the tasks `running` in `state`: for views that read a state, not a live executor. */
export function runningWriteScopes(tasks: Iterable<Task>): Map<string, readonly string[]> {
  const out = new Map<string, readonly string[]>();
  for (const task of tasks) if (task.status === 'running' && task.writes !== undefined && task.writes.length > 0) out.set(task.id, task.writes);
  return out;
}

/**
 * Like `takeReady`, but passes over ready tasks whose write scope overlaps one in `writing`
 * (they stay ready, in their place, for the next call). Earliest-enqueued eligible task first.
 */
export function takeReadyOutsideScopes(state: QueueState, writing: ReadonlyMap<string, readonly string[]>): Task | undefined {
  if (writing.size === 0) return takeReady(state);
  const passedOver: number[] = [];
  try {
    for (;;) {
      const task = takeReady(state);
      if (task === undefined || writeConflict(task, writing) === undefined) return task;
      passedOver.push(state.position.get(task.id)!);
    }
  } finally {
    for (const position of passedOver) state.ready.push(position);
  }
}

/**
 * For each shown task that is ready (pending, every dependency done or skipped) but held back
 * because its write scope overlaps a running task's: that task's id. O(tasks) once per frame.
 * What the terminal view and the dashboard show as "waits for X: overlapping writes".
 */
export function writeScopeWaits(tasks: readonly Task[], shown: readonly Task[] = tasks): Map<string, string> {
  const out = new Map<string, string>();
  const writing = runningWriteScopes(tasks);
  if (writing.size === 0) return out;
  const byId = new Map(tasks.map((task) => [task.id, task]));
  for (const task of shown) {
    if (task.status !== 'pending' || task.writes === undefined) continue;
    const ready = task.dependsOn.every((id) => {
      const status = byId.get(id)?.status;
      return status === 'done' || status === 'skipped';
    });
    const writer = ready ? writeConflict(task, writing) : undefined;
    if (writer !== undefined) out.set(task.id, writer);
  }
  return out;
}

/**
 * From `candidates` (ready tasks in enqueue order), up to `max` that may start now: each one's
 * scope overlaps none of `busy` (scopes held in the worker's workdir) nor that of one picked
 * before it. What a backend's `claim` does with `busyScopes` when it reads candidates in bulk.
 */
export function pickOutsideScopes<T extends Pick<Task, 'writes'>>(candidates: readonly T[], busy: ReadonlyArray<readonly string[]>, max: number): T[] {
  const held = new Map<string, readonly string[]>(busy.map((scope, i) => [String(i), scope]));
  const out: T[] = [];
  for (const task of candidates) {
    if (out.length >= max) break;
    if (writeConflict(task, held) !== undefined) continue;
    out.push(task);
    if (task.writes !== undefined && task.writes.length > 0) held.set(`picked ${out.length}`, task.writes);
  }
  return out;
}

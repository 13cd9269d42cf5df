import { watch, type FSWatcher } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DroverError } from '../../errors/drover-error.js';
import { applyEvent } from '../../queue/apply-event.js';
import type { QueueEvent } from '../../queue/events.js';
import type { Handoff } from '../../queue/handoff.js';
import { emptyQueueState, type QueueState } from '../../queue/queue-state.js';
import { toSnapshot, type QueueSnapshot } from '../../queue/snapshot.js';
import { TASK_ID_PATTERN, type Task } from '../../queue/task.js';
import { readBounded } from '../../util/read-bounded.js';
import { statePaths } from '../../util/state-paths.js';
import { ARTIFACT_LOG_TAIL_BYTES, type ArtifactKind, type RunReader, type RunSummary } from '../backend.js';
import { SignalBoard } from '../signal-board.js';
import { watchEvents } from '../watch-events.js';
import { AuditTail } from './audit-tail.js';

export interface StateDirReaderOptions {
  /** The fallback poll of `watchEvents` when a file-system notification is lost. Default 1000 ms. */
  readonly pollMs?: number;
}

/** A prompt is shown whole up to this size, then cut (the head is kept: it holds the task). */
const PROMPT_MAX_BYTES = 256 * 1024;
/** The first line of `audit.jsonl` (`run-started`) is read to learn a run's id. */
const FIRST_LINE_MAX_BYTES = 64 * 1024;

interface Followed {
  readonly dir: string;
  readonly location: string;
  readonly tail: AuditTail;
  readonly state: QueueState;
  /** Serialises catch-ups: two requests at once must not apply the same lines twice. */
  busy: Promise<void>;
}

/**
 * The read half of the port over a state directory, for a dashboard or a status view that
 * runs beside (or after) the `drover run` that owns it. It takes no lock and writes nothing:
 * each run's `audit.jsonl` is followed by byte offset (`AuditTail`) and folded into the run's
 * state with the queue's own `applyEvent`, so `readRun` is exact at the `seq` it reports — the
 * log is the truth, `queue.json` only a snapshot of it. The runs are the current one (the
 * state dir itself) and each archived one (`archive/<name>/`, moved aside by `--fresh`).
 * New events are noticed with `fs.watch` on the state dir, with a poll as the fallback.
 */
export class StateDirReader implements RunReader {
  readonly root: string;
  readonly #pollMs: number;
  readonly #board = new SignalBoard();
  readonly #runs = new Map<string, Followed>();
  #watcher: FSWatcher | undefined;
  /** Whether anyone watched: then fs.watch is kept (or retried). */
  #watching = false;
  #closed = false;

  constructor(root: string, options: StateDirReaderOptions = {}) {
    this.root = root;
    this.#pollMs = options.pollMs ?? 1000;
  }

  async listRuns(): Promise<RunSummary[]> {
    this.#assertOpen();
    const out: RunSummary[] = [];
    for (const { runId } of await this.#locate()) {
      const run = await this.#follow(runId);
      if (run === undefined) continue;
      const { meta } = run.state;
      const counts: Partial<Record<Task['status'], number>> = {};
      for (const task of run.state.byPosition) counts[task.status] = (counts[task.status] ?? 0) + 1;
      const program = await readProgram(statePaths(run.dir).events);
      out.push({ runId: meta.runId, installDir: meta.installDir, status: meta.status, startedAt: meta.createdAt, ...(meta.status !== 'running' ? { endedAt: meta.updatedAt } : {}), counts, location: run.location, ...(program !== undefined ? { program } : {}) });
    }
    return out.sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : 0));
  }

  /**
   * The id of the run the state dir itself holds (not an archived one), or undefined when it holds
   * none yet. A log whose first whole line is not a `run-started` is corrupt (`state-corrupt`).
   */
  async currentRunId(): Promise<string | undefined> {
    this.#assertOpen();
    const file = statePaths(this.root).audit;
    const runId = await readRunId(file);
    if (runId === undefined && (await readBounded(file, FIRST_LINE_MAX_BYTES, 'head'))?.includes('\n') === true) {
      throw new DroverError('state-corrupt', `${file}: event 1: not a run-started event`);
    }
    return runId;
  }

  async readRun(runId: string): Promise<QueueSnapshot | undefined> {
    const run = await this.#follow(runId);
    return run === undefined ? undefined : structuredClone(toSnapshot(run.state));
  }

  async readEvents(runId: string, after: number, limit = 1000): Promise<QueueEvent[]> {
    // A watcher that could not start (the state dir did not exist yet) is tried again.
    if (this.#watching) this.#startWatching();
    const run = await this.#follow(runId);
    if (run === undefined) throw new DroverError('input-invalid', `no run ${runId} in ${this.root}`);
    return run.tail.read(after, limit);
  }

  watchEvents(runId: string, after: number, signal: AbortSignal): AsyncIterable<QueueEvent> {
    this.#watching = true;
    this.#startWatching();
    return watchEvents((from) => this.readEvents(runId, from), this.#board, after, signal, this.#pollMs);
  }

  async readAllHandoffs(runId: string): Promise<Handoff[]> {
    const run = await this.#follow(runId);
    // From the log (the handoffs/ files are copies of what its events hold), in completion order.
    return run === undefined ? [] : structuredClone([...run.state.handoffs.values()]);
  }

  async readArtifact(runId: string, taskId: string, kind: ArtifactKind): Promise<string | undefined> {
    if (!TASK_ID_PATTERN.test(taskId)) return undefined;
    const run = await this.#follow(runId);
    if (run === undefined || !run.state.tasks.has(taskId)) return undefined;
    const paths = statePaths(run.dir);
    return kind === 'prompt' ? readBounded(paths.prompt(taskId), PROMPT_MAX_BYTES, 'head') : readBounded(paths.log(taskId), ARTIFACT_LOG_TAIL_BYTES, 'tail');
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#watcher?.close();
    this.#watcher = undefined;
    this.#board.wakeAll();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** The run, caught up with its log; followed again from wherever it now lives if it moved. */
  async #follow(runId: string): Promise<Followed | undefined> {
    this.#assertOpen();
    const known = this.#runs.get(runId);
    if (known !== undefined && (await this.#catchUp(known))) return known;
    this.#runs.delete(runId);
    const where = (await this.#locate()).find((run) => run.runId === runId);
    if (where === undefined) return undefined;
    const run: Followed = { dir: where.dir, location: where.location, tail: new AuditTail(statePaths(where.dir).audit), state: emptyQueueState(), busy: Promise.resolve() };
    if (!(await this.#catchUp(run))) return undefined;
    this.#runs.set(runId, run);
    return run;
  }

  #catchUp(run: Followed): Promise<boolean> {
    const next = run.busy.then(() => run.tail.catchUp((event) => applyEvent(run.state, event)));
    run.busy = next.then(
      () => undefined,
      () => undefined,
    );
    return next;
  }

  /** Where each run is: the state dir itself, then each archive entry holding an audit log. */
  async #locate(): Promise<Array<{ runId: string; dir: string; location: string }>> {
    const places = [{ dir: this.root, location: 'current' }];
    const archive = statePaths(this.root).archive;
    const names = await readdir(archive, { withFileTypes: true }).catch(() => []);
    for (const entry of names) if (entry.isDirectory()) places.push({ dir: join(archive, entry.name), location: `archive/${entry.name}` });
    const out: Array<{ runId: string; dir: string; location: string }> = [];
    for (const place of places) {
      const runId = await readRunId(statePaths(place.dir).audit);
      if (runId !== undefined) out.push({ runId, ...place });
    }
    return out;
  }

  #startWatching(): void {
    if (this.#watcher !== undefined || this.#closed) return;
    try {
      this.#watcher = watch(this.root, { persistent: false }, () => this.#board.wakeAll());
      this.#watcher.on('error', () => {
        // The dir went away or the platform cannot watch it: the poll carries on, and watching is tried again.
        this.#watcher?.close();
        this.#watcher = undefined;
      });
    } catch {
      // No fs.watch here (some network file systems): the fallback poll finds new events.
    }
  }

  #assertOpen(): void {
    if (this.#closed) throw new DroverError('internal', 'the state dir reader is closed');
  }
}

/** The run id from the first line of an audit log (`run-started`), or undefined when there is none yet. */
async function readRunId(file: string): Promise<string | undefined> {
  const head = await readBounded(file, FIRST_LINE_MAX_BYTES, 'head');
  const line = head?.split('\n', 1)[0];
  if (line === undefined || head === undefined || !head.includes('\n')) return undefined;
  try {
    const event = JSON.parse(line) as { event?: unknown; runId?: unknown };
    return event.event === 'run-started' && typeof event.runId === 'string' ? event.runId : undefined;
  } catch {
    return undefined;
  }
}

/** The program (`integrate`, `fanout-plan`) from the first telemetry line of the run, when it was written. */
async function readProgram(file: string): Promise<string | undefined> {
  const head = await readBounded(file, FIRST_LINE_MAX_BYTES, 'head');
  const line = head?.split('\n', 1)[0];
  if (line === undefined || line === '') return undefined;
  try {
    const value = JSON.parse(line) as { properties?: { program_id?: unknown } };
    return typeof value.properties?.program_id === 'string' ? value.properties.program_id : undefined;
  } catch {
    return undefined;
  }
}

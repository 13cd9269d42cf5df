/**
 * The lifecycle of a `Worker`:
 *
 * | from     | on                                                      | to       |
 * |----------|---------------------------------------------------------|----------|
 * | created  | `run()`                                                 | running  |
 * | created  | `close()`                                               | stopped  |
 * | running  | `close()`, its signal aborts, or a fatal error          | stopping |
 * | running  | its one run (`runId`) has ended and no attempt is left  | stopped  |
 * | stopping | every attempt has ended (interrupted ones given back)   | stopped  |
 * | stopped  | `close()`                                               | stopped  |  idempotent
 *
 * While `running` it claims; while `stopping` it claims nothing and its agents are being stopped.
 */
export type WorkerState = 'created' | 'running' | 'stopping' | 'stopped';

export type WorkerTransition = 'run' | 'stop' | 'ended';

const TRANSITIONS: Readonly<Record<WorkerState, Partial<Record<WorkerTransition, WorkerState>>>> = {
  created: { run: 'running', stop: 'stopped' },
  running: { stop: 'stopping', ended: 'stopped' },
  stopping: { stop: 'stopping', ended: 'stopped' },
  stopped: { stop: 'stopped' },
};

/** The next state, or undefined when `on` is not allowed from `from` (a programming error). */
export function nextWorkerState(from: WorkerState, on: WorkerTransition): WorkerState | undefined {
  return TRANSITIONS[from][on];
}

/** Where a stop request came from: a process signal, or Ctrl-C read by the live view (which shows its own message). */
export type InterruptSource = 'signal' | 'view';

/**
 * SIGINT/SIGTERM/SIGHUP once: a graceful stop (stop starting, abort running agents, persist, exit
 * 130, resumable). Twice: exit at once — the audit log already holds every acknowledged
 * transition, so even a forced exit loses nothing that was confirmed.
 */
export function installSignalHandlers(handlers: { onGraceful: (source: InterruptSource) => void; onForce: () => void }): { interrupt: (source?: InterruptSource) => void; force: () => void; dispose: () => void } {
  let stopping = false;
  const interrupt = (source: InterruptSource = 'signal'): void => {
    if (stopping) {
      handlers.onForce();
      return;
    }
    stopping = true;
    handlers.onGraceful(source);
  };
  const onSignal = (): void => interrupt('signal');
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  return {
    interrupt,
    force: handlers.onForce,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.off('SIGHUP', onSignal);
    },
  };
}

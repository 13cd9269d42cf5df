/**
 * SIGINT/SIGTERM once: a graceful stop (stop starting, abort running agents, persist, exit
 * 130, resumable). Twice: exit at once — the audit log already holds every acknowledged
 * transition, so even a forced exit loses nothing that was confirmed.
 */
export function installSignalHandlers(handlers: { onGraceful: () => void; onForce: () => void }): { interrupt: () => void; force: () => void; dispose: () => void } {
  let stopping = false;
  const interrupt = (): void => {
    if (stopping) {
      handlers.onForce();
      return;
    }
    stopping = true;
    handlers.onGraceful();
  };
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);
  return {
    interrupt,
    force: handlers.onForce,
    dispose: () => {
      process.off('SIGINT', interrupt);
      process.off('SIGTERM', interrupt);
    },
  };
}

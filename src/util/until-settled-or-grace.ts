/** Waits for the agent; once aborted, waits at most `graceMs` more, so a stuck agent cannot hold the run. */
export async function untilSettledOrGrace(run: Promise<void>, signal: AbortSignal, graceMs: number): Promise<void> {
  let onAbort: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  // Referenced on purpose: while a stuck agent is being given up on, the process must stay alive.
  const grace = new Promise<void>((resolve) => {
    onAbort = () => {
      timer = setTimeout(resolve, graceMs);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  run.catch(() => undefined); // if the grace period wins, a late rejection must not go unhandled
  try {
    await Promise.race([run, grace]);
  } finally {
    if (onAbort !== undefined) signal.removeEventListener('abort', onAbort);
    if (timer !== undefined) clearTimeout(timer);
  }
}

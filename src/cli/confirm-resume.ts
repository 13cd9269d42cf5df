import { createInterface } from 'node:readline/promises';
import { DroverError } from '../errors/drover-error.js';
import type { QueueState } from '../queue/queue-state.js';
import { stripTerminalControls } from '../ui/to-terminal-text.js';

/**
 * Asks on the terminal whether to continue an unfinished run; Enter means yes. Ctrl-C (or a
 * signal) at the prompt ends drover with exit 130, having changed nothing.
 */
export async function confirmResume(state: QueueState, signal: AbortSignal): Promise<boolean> {
  const done = state.byPosition.filter((task) => task.status === 'done' || task.status === 'skipped').length;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`An unfinished run (${done}/${state.tasks.size} tasks done, started ${stripTerminalControls(state.meta.createdAt)}) is in this state dir. Resume it? [Y/n] `, { signal });
    return !/^n/i.test(answer.trim());
  } catch {
    throw new DroverError('interrupted', 'interrupted at the resume prompt; nothing was changed');
  } finally {
    rl.close();
  }
}

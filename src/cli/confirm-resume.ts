import { createInterface } from 'node:readline/promises';
import type { QueueState } from '../queue/queue-state.js';

/** Asks on the terminal whether to continue an unfinished run; Enter means yes. */
export async function confirmResume(state: QueueState): Promise<boolean> {
  const done = state.byPosition.filter((task) => task.status === 'done' || task.status === 'skipped').length;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`An unfinished run (${done}/${state.tasks.size} tasks done, started ${state.meta.createdAt}) is in this state dir. Resume it? [Y/n] `);
    return !/^n/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

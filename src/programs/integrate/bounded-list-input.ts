import type { Workspace } from '../../workspace/index.js';

/** How many entries of a list go into a task's inputs; the rest are in the file it names. */
export const MAX_LISTED = 40;

/**
 * A list for a task's inputs that stays small whatever the repository holds: the first
 * `MAX_LISTED` entries, the total, and (when cut) the file in the run's workspace with every entry,
 * which the agent can read. drover's own seed keeps to the limits it enforces on agents
 * (queue/limits.ts `MAX_INPUT_BYTES`): a monorepo with a thousand LLM call sites must not get
 * its `plan` task refused.
 */
export async function boundedListInput(workspace: Workspace, name: string, items: readonly string[]): Promise<{ listed: string[]; total: number; file: string | null }> {
  const listed = items.slice(0, MAX_LISTED).map((item) => (item.length > 300 ? `${item.slice(0, 299)}…` : item));
  if (items.length <= MAX_LISTED && listed.every((item, i) => item === items[i])) return { listed, total: items.length, file: null };
  const file = await workspace.writeInput(name, `${JSON.stringify(items, null, 2)}\n`);
  return { listed, total: items.length, file };
}

import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { UsageError } from '../errors/usage-error.js';

/** The built-in agent CLIs: the command drover looks for, and the npm package that provides it. */
export const AGENT_CLIS = {
  'claude-code': { command: 'claude', npmPackage: '@anthropic-ai/claude-code' },
  codex: { command: 'codex', npmPackage: '@openai/codex' },
} as const;

export type AgentCliName = keyof typeof AGENT_CLIS;

/**
 * Finds the executable for a built-in agent before the run starts, so a missing CLI is one
 * clear usage error (exit 2) naming the package to install, not a failed attempt per task.
 * `bin` (from `--agent-bin`) wins over PATH.
 */
export function findAgentBin(agent: AgentCliName, bin: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const { command, npmPackage } = AGENT_CLIS[agent];
  if (bin !== undefined) {
    const path = resolve(bin);
    if (!isExecutable(path)) throw new UsageError(`--agent-bin ${bin}: expected an executable file (the ${command} CLI from ${npmPackage})`);
    return path;
  }
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const path = join(dir, command);
    if (isExecutable(path)) return path;
  }
  throw new UsageError(`--agent ${agent} needs the "${command}" command, which is not on PATH: install it with "npm install -g ${npmPackage}", or pass --agent-bin PATH`);
}

function isExecutable(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

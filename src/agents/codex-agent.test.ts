import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTaskPreparer, loadProgramPrompts } from '../programs/prepare-task.js';
import type { Task } from '../queue/task.js';
import type { AgentContext, AgentHints } from './agent-runtime.js';
import { codexArgs } from './codex-agent.js';
import { stateDirWorkspace } from '../workspace/index.js';

const context = (hints?: AgentHints): AgentContext =>
  ({ stateDir: '/repo/.drover', installDir: '/repo', mcp: { url: 'http://127.0.0.1:4000/mcp', token: 'secret-token' }, ...(hints !== undefined ? { hints } : {}) }) as unknown as AgentContext;
const sandbox = (args: readonly string[]): string | undefined => args[args.indexOf('--sandbox') + 1];
const hints = (disallowedTools: string[], extra: Partial<AgentHints> = {}): AgentHints => ({ allowedTools: [], disallowedTools, queueTools: ['complete_task'], ...extra });

describe('codexArgs', () => {
  it("configures drover's endpoint with -c overrides, the token by environment variable, its tools approved, any directory accepted, the prompt on stdin", () => {
    const args = codexArgs(context(hints([], { model: 'gpt-x', effort: 'low' })), ['--json']);
    expect(args).toEqual([
      'exec',
      '--skip-git-repo-check',
      '--color',
      'never',
      '--sandbox',
      'workspace-write',
      '-c',
      'mcp_servers.drover.url="http://127.0.0.1:4000/mcp"',
      '-c',
      'mcp_servers.drover.bearer_token_env_var="DROVER_MCP_TOKEN"',
      '-c',
      'mcp_servers.drover.default_tools_approval_mode="approve"',
      '-c',
      'mcp_servers.drover.required=true',
      '-m',
      'gpt-x',
      '-c',
      'model_reasoning_effort="low"',
      '--json',
      '-',
    ]);
    expect(args.join(' ')).not.toContain('secret-token');
    expect(args).not.toContain('--full-auto');
  });

  it('runs read-only when the prompt disallows editing (Write or Edit), workspace-write otherwise, a denied Bash included', () => {
    expect(sandbox(codexArgs(context(hints(['Write', 'Edit', 'Bash'])), []))).toBe('read-only');
    expect(sandbox(codexArgs(context(hints(['Edit'])), []))).toBe('read-only');
    expect(sandbox(codexArgs(context(hints(['Bash'])), []))).toBe('workspace-write');
    expect(sandbox(codexArgs(context(), []))).toBe('workspace-write');
  });

  it('with the bundled prompts, the tasks that edit code (init, instrument, llm-analytics) may write; install, plan and report only read', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'drover-codex-args-'));
    const prepare = createTaskPreparer(await loadProgramPrompts({}), stateDirWorkspace(stateDir));
    const modes: Record<string, string | undefined> = {};
    for (const type of ['install', 'init', 'plan', 'instrument', 'llm-analytics', 'report']) {
      const task = { id: `${type}-1`, type, label: type, status: 'running', dependsOn: [], inputs: {}, attempts: 1, maxAttempts: 2, enqueuedBy: 'orchestrator', depth: 0, optional: false, createdAt: '2026-12-02T00:00:00.000Z' } as Task;
      const { hints: prepared } = await prepare(task, 1, []);
      modes[type] = sandbox(codexArgs(context(prepared), []));
    }
    expect(modes).toEqual({ install: 'read-only', init: 'workspace-write', plan: 'read-only', instrument: 'workspace-write', 'llm-analytics': 'workspace-write', report: 'read-only' });
  });
});

import { describe, expect, it } from 'vitest';
import type { Task } from '../queue/task.js';
import type { AgentContext, AgentHints } from './agent-runtime.js';
import { claudeCodeArgs } from './claude-code-agent.js';
import { stateDirWorkspace } from '../workspace/index.js';

const task = { id: 'plan-3', type: 'plan' } as Task;
const context = (hints?: AgentHints, mcp = true): AgentContext =>
  ({ stateDir: '/repo/.drover', workspace: stateDirWorkspace('/repo/.drover').attempt(task.id), installDir: '/repo', ...(mcp ? { mcp: { url: 'http://127.0.0.1:4000/mcp', token: 't' } } : {}), ...(hints !== undefined ? { hints } : {}) }) as unknown as AgentContext;

describe('claudeCodeArgs', () => {
  it("maps the prompt's frontmatter onto claude's flags: drover's tools and its own allowed tools pre-approved, its disallowed tools, model and effort", () => {
    const hints: AgentHints = { allowedTools: ['Read', 'Grep'], disallowedTools: ['Write', 'Bash'], queueTools: ['enqueue_task', 'complete_task'], model: 'claude-x', effort: 'high' };
    expect(claudeCodeArgs(task, context(hints), ['--verbose'])).toEqual([
      '-p',
      '--output-format',
      'text',
      '--permission-mode',
      'acceptEdits',
      '--allowedTools=mcp__drover__enqueue_task,mcp__drover__complete_task,Read,Grep',
      '--mcp-config=/repo/.drover/mcp/plan-3.json',
      '--strict-mcp-config',
      '--disallowedTools=Write,Bash',
      '--model',
      'claude-x',
      '--effort',
      'high',
      '--verbose',
    ]);
  });

  it('puts no prompt in argv (it goes on stdin), so no list option can swallow it', () => {
    const args = claudeCodeArgs(task, context({ allowedTools: ['Read'], disallowedTools: [], queueTools: ['complete_task'] }), []);
    // Every list option is written --flag=a,b: nothing after it can be taken as one of its values.
    expect(args.filter((arg) => /^--(allowedTools|disallowedTools|mcp-config)$/.test(arg))).toEqual([]);
    expect(args).not.toContain('--disallowedTools=');
  });

  it('without a prompt, pre-approves the three queue tools; without an endpoint, configures no MCP server', () => {
    expect(claudeCodeArgs(task, context(undefined, false), [])).toEqual(['-p', '--output-format', 'text', '--permission-mode', 'acceptEdits', '--allowedTools=mcp__drover__enqueue_task,mcp__drover__complete_task,mcp__drover__read_handoffs']);
  });
});

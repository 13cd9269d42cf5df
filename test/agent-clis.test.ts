import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, type TestContext } from 'vitest';
import { claudeCodeAgent } from '../src/agents/claude-code-agent.js';
import { codexAgent } from '../src/agents/codex-agent.js';
import type { Task } from '../src/queue/task.js';
import { McpEndpoint } from '../src/tools/mcp/mcp-endpoint.js';
import type { ToolSession } from '../src/tools/tool-session.js';
import { AGENT_CLI_PACKAGE, agentCliBin, agentCliEnv } from './helpers/agent-clis.js';
import { promptType, startFakeModelServer, type FakeModelServer, type FakeScript } from './helpers/fake-model-server.js';
import { copyApp, hashTree, isAlive, readJsonLines, REPO_ROOT, startDrover } from './helpers/run-cli.js';
import { stateDirWorkspace } from '../src/workspace/index.js';

// The REAL Claude Code and Codex CLIs (from the test-only package test/agents-cli), run by
// `drover run --agent claude-code|codex` as real processes against a scripted fake model. The
// assertions are on drover's state: what the CLIs did through drover's MCP endpoint.

interface QueueFile {
  status: string;
  tasks: Array<{ id: string; type: string; status: string; attempts: number; enqueuedBy: string; error?: { kind: string } }>;
}
const readQueue = async (dir: string): Promise<QueueFile> => JSON.parse(await readFile(join(dir, '.drover', 'queue.json'), 'utf8')) as QueueFile;
const readHandoff = async (dir: string, id: string): Promise<{ goal: string; did: string }> => JSON.parse(await readFile(join(dir, '.drover', 'handoffs', `${id}.json`), 'utf8')) as { goal: string; did: string };

const handoff = (type: string, did = `Finished the ${type} step (fake model).`) => ({ status: 'done', handoff: { goal: `The ${type} step`, did, forNextAgent: `${type} is done.` } });
const attemptOf = (prompt: string): number => Number(/^- attempt: (\d+)/m.exec(prompt)?.[1] ?? '1');

/**
 * Every task completes; `plan` enqueues an `llm-analytics` task, and `instrument` (which runs
 * after install, init and plan) reads its dependencies' handoffs first and quotes them.
 */
const wholeRun: FakeScript = (prompt) => {
  const type = promptType(prompt)!;
  if (type === 'plan') {
    return [
      { call: 'enqueue_task', input: { type: 'llm-analytics', label: 'Add LLM analytics', inputs: { llmCalls: ['src/chat.js:3'] }, reason: 'the app calls an LLM' } },
      { call: 'complete_task', input: (results) => handoff(type, `enqueue_task returned: ${results[0]}`) },
    ];
  }
  if (type === 'instrument') {
    return [
      { call: 'read_handoffs', input: {} },
      { call: 'complete_task', input: (results) => handoff(type, `read_handoffs returned: ${results[0]!.slice(0, 4000)}`) },
    ];
  }
  return [{ call: 'complete_task', input: handoff(type) }];
};

/**
 * A fake model server of this test's own, closed when the test ends. The long cases run
 * concurrently (each mostly waits on the CLIs it started), so nothing here is shared between tests.
 */
async function fakeModel(context: TestContext, script: FakeScript): Promise<FakeModelServer> {
  const fake = await startFakeModelServer(script);
  context.onTestFinished(() => fake.close());
  return fake;
}

async function runWithCli(context: TestContext, agent: 'claude-code' | 'codex', script: FakeScript, extra: string[] = []) {
  const bin = agentCliBin(agent === 'claude-code' ? 'claude' : 'codex');
  const fake = await fakeModel(context, script);
  const env = await agentCliEnv(fake);
  const dir = await copyApp(join(REPO_ROOT, 'test/fixtures/apps/express-app'));
  const before = await hashTree(dir);
  const run = startDrover(['run', '--install-dir', dir, '--ui', 'plain', '--no-telemetry', '--agent', agent, '--agent-bin', bin, ...extra], env);
  return { dir, before, env, run, fake };
}

/** docs/agents.md's one-line command for this CLI, exactly as documented. */
async function documentedCommand(agent: 'claude-code' | 'codex'): Promise<string> {
  const doc = await readFile(join(REPO_ROOT, 'docs/agents.md'), 'utf8');
  const block = /<!-- agents-example:start -->\s*```bash\n([\s\S]*?)```\s*<!-- agents-example:end -->/.exec(doc)?.[1] ?? '';
  const line = block.split('\n').find((candidate) => candidate.includes(`--agent ${agent} `) || candidate.endsWith(`--agent ${agent}`));
  if (line === undefined) throw new Error(`docs/agents.md has no agents-example line for --agent ${agent}`);
  return line;
}

/**
 * Runs a documented command line as a user would, with bash, in a copy of an app: `npx drover`
 * is this checkout's bin, and the CLIs are found on PATH (from the test-only package).
 */
async function runDocumented(context: TestContext, agent: 'claude-code' | 'codex', script: FakeScript) {
  const line = await documentedCommand(agent);
  agentCliBin(agent === 'claude-code' ? 'claude' : 'codex');
  const fake = await fakeModel(context, script);
  const env = await agentCliEnv(fake);
  const dir = await copyApp(join(REPO_ROOT, 'test/fixtures/apps/express-app'));
  const before = await hashTree(dir);
  const shims = await mkdtemp(join(tmpdir(), 'drover-shims-'));
  await writeFile(join(shims, 'npx'), `#!/bin/sh\n[ "$1" = drover ] || exit 64\nshift\nexec "${process.execPath}" "${join(REPO_ROOT, 'bin/drover.js')}" "$@"\n`, { mode: 0o755 });
  const child = spawn('bash', ['-euo', 'pipefail', '-c', line], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env, PATH: `${shims}:${join(AGENT_CLI_PACKAGE, 'node_modules', '.bin')}:${process.env.PATH ?? ''}` } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
  return { dir, before, run: { done } };
}

describe('drover run --agent claude-code|codex (the real CLIs against a fake model)', () => {
  it.concurrent.for(['claude-code', 'codex'] as const)("%s: docs/agents.md's one-line command finishes a whole run: every task completes over MCP, a task enqueues another, one reads its dependencies' handoffs, an agent that stops without complete_task is retried, nothing outside the state dir changes", { timeout: 180_000 }, async (agent, context) => {
    const { expect } = context;
    // install's first attempt ends its turn without calling complete_task: a failed attempt, retried.
    const script: FakeScript = (prompt) => (promptType(prompt) === 'install' && attemptOf(prompt) === 1 ? [{ say: 'I think I am done.' }] : wholeRun(prompt));
    const { dir, before, run } = await runDocumented(context, agent, script);
    const result = await run.done;
    expect(result.stderr).toBe('');
    expect(result.code, await runLogs(dir, result.stdout)).toBe(0);
    const queue = await readQueue(dir);
    expect(queue.tasks.map((task) => [task.type, task.status])).toEqual([
      ['seed', 'done'],
      ['install', 'done'],
      ['init', 'done'],
      ['plan', 'done'],
      ['instrument', 'done'],
      ['report', 'done'],
      ['llm-analytics', 'done'],
    ]);
    expect(queue.tasks.find((task) => task.type === 'llm-analytics')?.enqueuedBy).toBe('plan-3');
    expect(queue.tasks.find((task) => task.type === 'install')?.attempts).toBe(2);
    const audit = await readJsonLines(join(dir, '.drover', 'audit.jsonl'));
    expect(audit.find((event) => event.event === 'task-requeued' && event.taskId === 'install-1')).toMatchObject({ error: { kind: 'no-report' } });
    // read_handoffs really returned the dependencies' handoffs, and enqueue_task the new id.
    const instrument = await readHandoff(dir, 'instrument-4');
    for (const type of ['install', 'init', 'plan']) expect(instrument.did).toContain(`The ${type} step`);
    expect((await readHandoff(dir, 'plan-3')).did).toContain('"id":"llm-analytics-6"');
    expect(await hashTree(dir, ['.drover'])).toEqual(before);
    expect(existsSync(join(dir, '.drover', 'mcp')) ? await readdir(join(dir, '.drover', 'mcp')) : []).toEqual([]);
  });
});

describe('the real CLIs at the edges', () => {
  // Concurrent: each case spends its 20 s waiting for the timeout to fire.
  it.concurrent.for(['claude-code', 'codex'] as const)('%s: a task that passes --task-timeout has the real CLI process tree killed, and the run goes on', { timeout: 180_000 }, async (agent, context) => {
    const { expect } = context;
    const script: FakeScript = (prompt) => (promptType(prompt) === 'install' ? [{ hang: true }] : wholeRun(prompt));
    const { dir, run, fake } = await runWithCli(context, agent, script, ['--task-timeout', '20s', '--max-attempts', '1', '--concurrency', '3']);
    const ended = await Promise.race([fake.hung.then(() => 'hung' as const), run.done.then(() => 'ended' as const)]);
    expect(ended).toBe('hung');
    // The hung CLI and everything it started: every process whose environment names this task.
    const pids = await processesOfTask('install-1', dir);
    expect(pids.length).toBeGreaterThan(0);
    const result = await run.done;
    expect(result.code).toBe(1);
    const queue = await readQueue(dir);
    expect(queue.tasks.find((task) => task.id === 'install-1')).toMatchObject({ status: 'failed', error: { kind: 'timeout' } });
    expect(queue.tasks.find((task) => task.id === 'init-2')?.status, await runLogs(dir, result.stdout)).toBe('done');
    expect(pids.filter(isAlive)).toEqual([]);
  });

  it.for(['claude-code', 'codex'] as const)('%s with an expired token gets 401 and no OAuth metadata: it starts no OAuth flow, cannot act, and exits', { timeout: 120_000 }, async (cli, context) => {
    const fake = await fakeModel(context, (prompt) => [{ call: 'complete_task', input: handoff(promptType(prompt)!) }]);
    const env = await agentCliEnv(fake);
    const endpoint = new McpEndpoint();
    await endpoint.listen();
    const calls: string[] = [];
    const session = {
      allowed: new Set(['complete_task', 'read_handoffs']),
      complete_task: () => {
        calls.push('complete_task');
        return Promise.resolve({ ok: true, value: { status: 'done' } });
      },
    } as unknown as ToolSession;
    const grant = endpoint.grant(session);
    grant.revoke(); // the attempt this token belonged to is over
    const dir = await copyApp(join(REPO_ROOT, 'test/fixtures/apps/express-app'));
    await mkdir(join(dir, '.drover')); // a run's store creates the state dir before any agent starts
    const task: Task = { id: 'install-1', type: 'install', label: 'Install the SDK', status: 'running', dependsOn: [], inputs: {}, attempts: 1, maxAttempts: 1, enqueuedBy: 'orchestrator', depth: 0, optional: false, createdAt: new Date().toISOString() };
    const lines: string[] = [];
    const agent = cli === 'claude-code' ? claudeCodeAgent({ bin: agentCliBin('claude'), env }) : codexAgent({ bin: agentCliBin('codex'), env });
    let failed: unknown;
    try {
      await agent.run(
        task,
        { attempt: 1, tools: session, prompt: '# Task: Install\n\n- task id: `install-1`\n- type: `install`\n- attempt: 1 of 1\n', promptFile: undefined, installDir: dir, stateDir: join(dir, '.drover'), workspace: stateDirWorkspace(join(dir, '.drover')).attempt(task.id), mcp: { url: endpoint.url, token: grant.token }, report: (line) => lines.push(line) },
        new AbortController().signal,
      );
    } catch (error) {
      failed = error;
    } finally {
      await endpoint.close();
    }
    expect(calls).toEqual([]);
    const log = await readFile(join(dir, '.drover', 'logs', 'install-1.log'), 'utf8');
    if (cli === 'codex') {
      // drover's server is `required`: Codex refuses to start a turn without it and exits non-zero (a crashed attempt).
      expect(String(failed)).toContain('exited with');
      expect(log).toMatch(/--- exit [1-9]/);
    } else {
      expect(failed).toBeUndefined();
      expect(log).toContain('--- exit 0');
    }
    expect(log).not.toMatch(/oauth|authorize|browser/i);
  });

  it('a missing CLI is one clear usage error naming the npm package (exit 2), before anything runs', async () => {
    const dir = await copyApp(join(REPO_ROOT, 'test/fixtures/apps/express-app'));
    const result = await startDrover(['run', '--install-dir', dir, '--agent', 'codex'], { PATH: '/nonexistent' }).done;
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('drover: --agent codex needs the "codex" command, which is not on PATH: install it with "npm install -g @openai/codex", or pass --agent-bin PATH\n');
    expect(existsSync(join(dir, '.drover'))).toBe(false);
  });
});

/** The run's output and every agent log, for a failure message: what the real CLI said. */
async function runLogs(dir: string, stdout: string): Promise<string> {
  const logs = join(dir, '.drover', 'logs');
  const files = existsSync(logs) ? await readdir(logs) : [];
  const texts = await Promise.all(files.map(async (file) => `--- ${file}\n${(await readFile(join(logs, file), 'utf8')).slice(-2000)}`));
  return `drover said:\n${stdout}\n${texts.join('\n')}`;
}

/** Pids of live processes whose environment names this task of this run (other test files run agents too). */
async function processesOfTask(taskId: string, installDir: string): Promise<number[]> {
  const out: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const environ = await readFile(`/proc/${entry}/environ`, 'utf8');
      const vars = environ.split('\0');
      if (vars.includes(`DROVER_TASK_ID=${taskId}`) && vars.includes(`DROVER_INSTALL_DIR=${installDir}`)) out.push(Number(entry));
    } catch {
      // Gone, or not ours.
    }
  }
  return out;
}

#!/usr/bin/env node
// A fake agent CLI for drover's end-to-end tests. It behaves like a real coding agent at the
// edges drover sees: it is started as a fresh process per task, reads its prompt file, talks to
// the queue tools with the official MCP client over Streamable HTTP using its bearer token,
// enqueues a follow-up when its prompt asks for one, and completes with a handoff.
//
// FAKE_AGENT_BEHAVIOR is a JSON object mapping a task id, a task type or "*" to a misbehaviour:
//   never-complete | exit-nonzero | hang (before connecting) | stubborn (ignores SIGTERM, hangs) | daemon (leaves a
//   setsid process holding its stdout, then completes) | enqueue-loop | complete-twice | fail |
//   skip (completes as skipped) | meet (writes arrived-<id> in FAKE_AGENT_BARRIER_DIR and completes only once every task in
//   FAKE_AGENT_MEET, a comma list, has arrived: proof they ran at the same time) |
//   wait-release (completes once release-<id> appears in FAKE_AGENT_BARRIER_DIR)
// FAKE_AGENT_READ_HANDOFFS=1: every task agent calls read_handoffs (its dependencies') first and logs the answer.
import { readFile } from 'node:fs/promises';

const env = process.env;
const type = env.DROVER_TASK_TYPE;
const behaviours = JSON.parse(env.FAKE_AGENT_BEHAVIOR ?? '{}');
const behaviour = behaviours[env.DROVER_TASK_ID] ?? behaviours[type] ?? behaviours["*"] ?? "normal";

if (behaviour === 'hang') {
  // Says so before loading the MCP client, so a short --task-timeout finds it already hanging
  // (and the log names its pid) even on a loaded machine.
  // A child in its process group too, so a test can see the whole group is killed.
  const { spawn } = await import('node:child_process');
  const child = spawn('sleep', ['1000'], { stdio: 'ignore' });
  console.log(`fake-agent: ${env.DROVER_TASK_ID} (${type}) pid ${process.pid} hanging, child pid ${child.pid}`);
  setInterval(() => {}, 1000);
  await new Promise(() => {});
}

const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
const { StreamableHTTPClientTransport } = await import('@modelcontextprotocol/sdk/client/streamableHttp.js');

const prompt = await readFile(env.DROVER_PROMPT_FILE, 'utf8');
console.log(`fake-agent: ${env.DROVER_TASK_ID} (${type}) pid ${process.pid} read ${prompt.length} chars of prompt`);

const client = new Client({ name: 'fake-agent', version: '1.0.0' });
await client.connect(new StreamableHTTPClientTransport(new URL(env.DROVER_MCP_URL), { requestInit: { headers: { Authorization: `Bearer ${env.DROVER_MCP_TOKEN}` } } }));
const tools = (await client.listTools()).tools.map((tool) => tool.name);
console.log(`fake-agent: tools ${tools.join(',')}`);

const call = async (name, args) => {
  const result = await client.callTool({ name, arguments: args });
  const text = result.content?.[0]?.text ?? '';
  console.log(`fake-agent: ${name} -> ${result.isError ? 'ERROR ' : ''}${text}`);
  return { ok: !result.isError, text };
};
const handoff = { goal: `Do the ${type} task`, did: `Ran as a fake agent (pid ${process.pid}) and changed nothing.`, forNextAgent: `${type} is done.` };

if (type === 'seed') {
  const install = JSON.parse((await call('enqueue_task', { type: 'install', label: 'Install the SDK', inputs: { via: 'seed-agent' }, reason: 'sdk first' })).text).id;
  const plan = JSON.parse((await call('enqueue_task', { type: 'plan', label: 'Plan the events', inputs: { llmCalls: ['app/api/chat/route.ts:1'], setupTaskIds: [install] }, reason: 'plan' })).text).id;
  await call('enqueue_task', { type: 'report', label: 'Report', dependsOn: [install, plan], reason: 'sum up' });
  await client.close();
  process.exit(0);
}

if (env.FAKE_AGENT_READ_HANDOFFS === '1' && tools.includes('read_handoffs')) await call('read_handoffs', {});

switch (behaviour) {
  case 'never-complete':
    await client.close();
    process.exit(0);
    break;
  case 'exit-nonzero':
    console.error('fake-agent: crashing on purpose');
    process.exit(3);
    break;
  case 'stubborn':
    process.on('SIGTERM', () => console.log('fake-agent: ignoring SIGTERM'));
    console.log('fake-agent: hanging and ignoring SIGTERM');
    setInterval(() => {}, 1000);
    await new Promise(() => {});
    break;
  case 'daemon': {
    const { spawn } = await import('node:child_process');
    const daemon = spawn('setsid', ['sh', '-c', 'echo "fake-agent: daemon pid $$"; exec sleep 1000'], { stdio: ['ignore', 'inherit', 'inherit'], detached: true });
    daemon.unref();
    await new Promise((resolve) => setTimeout(resolve, 200));
    await call('complete_task', { status: 'done', handoff });
    break;
  }
  case 'enqueue-loop':
    for (let i = 0; i < 1000; i += 1) {
      const result = await call('enqueue_task', { type: 'instrument', inputs: { loop: i }, reason: 'more' });
      if (!result.ok) break;
    }
    await call('complete_task', { status: 'done', handoff });
    break;
  case 'complete-twice':
    await call('complete_task', { status: 'done', handoff });
    await call('complete_task', { status: 'failed', handoff });
    break;
  case 'meet':
  case 'wait-release': {
    const { existsSync, writeFileSync } = await import('node:fs');
    const dir = env.FAKE_AGENT_BARRIER_DIR;
    const waitFor = behaviour === 'meet' ? env.FAKE_AGENT_MEET.split(',').map((id) => `${dir}/arrived-${id}`) : [`${dir}/release-${env.DROVER_TASK_ID}`];
    // Logs before it arrives, and writes nothing while it waits: a test that kills drover once this
    // agent has arrived must not find it dead of a write to the broken pipe drover held.
    console.log(`fake-agent: waiting for ${waitFor.join(', ')}`);
    writeFileSync(`${dir}/arrived-${env.DROVER_TASK_ID}`, String(process.pid));
    while (!waitFor.every((file) => existsSync(file))) await new Promise((resolve) => setTimeout(resolve, 20));
    await call('complete_task', { status: 'done', handoff });
    break;
  }
  case 'fail':
    await call('complete_task', { status: 'failed', handoff: { ...handoff, forNextAgent: 'could not do it' } });
    break;
  case 'skip':
    await call('complete_task', { status: 'skipped', handoff: { ...handoff, did: 'Found nothing to do.' } });
    break;
  default: {
    const llm = /llmCalls: \[("[^"]+"(, )?)+\]|llmCalls:\s*\n?\s*[-[]/.test(prompt) && !prompt.includes('llmCalls: []');
    if (type === 'plan' && llm && tools.includes('enqueue_task')) {
      await call('enqueue_task', { type: 'llm-analytics', label: 'Track the LLM calls', inputs: { from: env.DROVER_TASK_ID }, dependsOn: [env.DROVER_TASK_ID], reason: 'the plan found LLM calls' });
    }
    await call('complete_task', { status: 'done', handoff });
  }
}
await client.close();

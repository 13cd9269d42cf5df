import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A deterministic fake model for driving the REAL agent CLIs (Claude Code, Codex) in tests.
 * It speaks the two wire protocols they use — the Anthropic Messages API with streaming (SSE)
 * and the OpenAI Responses API with streaming — and plays a script: for each task (recognised
 * from the prompt drover gave the CLI), a list of drover tool calls to make, one per model turn.
 * The CLI executes each call against drover's real MCP endpoint and sends the result back in
 * the next request, so the conversation's own history says which step comes next: the fake
 * keeps no state between requests.
 */

export type DroverTool = 'enqueue_task' | 'complete_task' | 'read_handoffs';

export type FakeStep =
  /** Call a drover tool; `input` may depend on the results of the earlier calls (their text). */
  | { readonly call: DroverTool; readonly input: Record<string, unknown> | ((results: readonly string[]) => Record<string, unknown>) }
  /** Never answer: the CLI waits on the model (a task that overruns its timeout). */
  | { readonly hang: true }
  /** End the turn with this text (the CLI then exits, whether or not complete_task was called). */
  | { readonly say: string };

/** The steps for one CLI session, from the prompt text it sent (drover's assembled task prompt). */
export type FakeScript = (prompt: string) => readonly FakeStep[];

export interface FakeModelServer {
  /** `ANTHROPIC_BASE_URL` for Claude Code. */
  readonly anthropicBaseUrl: string;
  /** A Codex model provider's `base_url` (requests go to `<base>/responses`). */
  readonly openaiBaseUrl: string;
  /** Requests that reached a model endpoint: a test can wait for one before acting. */
  readonly requests: () => number;
  /** Resolves at the first request that got a `hang` step. */
  readonly hung: Promise<void>;
  close(): Promise<void>;
}

/** The task type in a drover task prompt (`- type: \`plan\``). */
export function promptType(prompt: string): string | undefined {
  return /^- type: `([^`]+)`/m.exec(prompt)?.[1];
}

export async function startFakeModelServer(script: FakeScript): Promise<FakeModelServer> {
  let requests = 0;
  const held = new Set<ServerResponse>();
  let onHung: () => void = () => {};
  const hung = new Promise<void>((resolve) => (onHung = resolve));
  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { type: 'api_error', message: String(error) } }));
    });
  });
  const hold = (res: ServerResponse): void => {
    held.add(res);
    onHung();
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readJson(req);
    const path = (req.url ?? '').split('?')[0]!;
    if (req.method === 'POST' && path === '/anthropic/v1/messages') {
      requests += 1;
      anthropicTurn(body, script, res, hold);
    } else if (req.method === 'POST' && path === '/openai/v1/responses') {
      requests += 1;
      openaiTurn(body, script, res, hold);
    } else {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { type: 'not_found_error', message: `the fake model has no ${req.method} ${path}` } }));
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  return {
    anthropicBaseUrl: `${base}/anthropic`,
    openaiBaseUrl: `${base}/openai/v1`,
    requests: () => requests,
    hung,
    async close() {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

type Json = Record<string, unknown>;
type Block = { type?: string; text?: string; name?: string; input?: unknown; content?: unknown; id?: string; tool_use_id?: string };

/** What the model decides to do next in one session. */
type Move = { kind: 'call'; tool: DroverTool; input: Json } | { kind: 'say'; text: string } | { kind: 'hang' };

function nextMove(script: FakeScript, prompt: string, results: readonly string[]): Move {
  const steps = promptType(prompt) === undefined ? [] : script(prompt);
  const step = steps[results.length];
  if (step === undefined) return { kind: 'say', text: 'Done.' };
  if ('hang' in step) return { kind: 'hang' };
  if ('say' in step) return { kind: 'say', text: step.say };
  return { kind: 'call', tool: step.call, input: typeof step.input === 'function' ? step.input(results) : step.input };
}

// --- Anthropic Messages API (Claude Code) --------------------------------------------------

const DROVER_PREFIX = 'mcp__drover__';

function anthropicTurn(body: Json, script: FakeScript, res: ServerResponse, hold: (res: ServerResponse) => void): void {
  const messages = (body.messages ?? []) as Array<{ role: string; content: string | Block[] }>;
  const blocks = (message: { content: string | Block[] }): Block[] => (typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : message.content);
  const prompt = messages.filter((m) => m.role === 'user').flatMap(blocks).filter((b) => b.type === 'text').map((b) => b.text ?? '').join('\n');
  const calls = messages.filter((m) => m.role === 'assistant').flatMap(blocks).filter((b) => b.type === 'tool_use');
  const droverCallIds = new Set(calls.filter((b) => b.name?.startsWith(DROVER_PREFIX)).map((b) => b.id));
  const results = messages.flatMap(blocks).filter((b) => b.type === 'tool_result' && droverCallIds.has(b.tool_use_id)).map((b) => resultText(b.content));
  const searched = (name: string): boolean => calls.some((b) => b.name === 'ToolSearch' && JSON.stringify(b.input).includes(name));
  // A deferred tool (`defer_loading`) is callable once a ToolSearch has loaded its schema.
  const offered = new Set(((body.tools ?? []) as Array<{ name: string; defer_loading?: boolean }>).filter((tool) => tool.defer_loading !== true || searched(tool.name)).map((tool) => tool.name));
  const move = body.tools === undefined ? ({ kind: 'say', text: 'ok' } as Move) : nextMove(script, prompt, results);
  if (move.kind === 'hang') return hold(res);
  const model = typeof body.model === 'string' ? body.model : 'fake';
  const id = `msg_fake_${messages.length}`;
  let block: Json;
  if (move.kind === 'call' && offered.has(DROVER_PREFIX + move.tool)) {
    block = { type: 'tool_use', id: `toolu_${messages.length}`, name: DROVER_PREFIX + move.tool, input: move.input };
  } else if (move.kind === 'call' && offered.has('ToolSearch') && !searched(DROVER_PREFIX + move.tool)) {
    // Claude Code defers MCP tools: a real model loads their schemas with ToolSearch first.
    block = { type: 'tool_use', id: `toolu_${messages.length}`, name: 'ToolSearch', input: { query: `select:${DROVER_PREFIX}${move.tool}` } };
  } else {
    block = { type: 'text', text: move.kind === 'say' ? move.text : `The tool ${move.tool} is not available to me, so I stop here.` };
  }
  const toolUse = block.type === 'tool_use';
  const events: Array<[string, Json]> = [
    ['message_start', { type: 'message_start', message: { id, type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 10, output_tokens: 1 } } }],
    ['content_block_start', { type: 'content_block_start', index: 0, content_block: toolUse ? { ...block, input: {} } : { type: 'text', text: '' } }],
    ['content_block_delta', { type: 'content_block_delta', index: 0, delta: toolUse ? { type: 'input_json_delta', partial_json: JSON.stringify(block.input) } : { type: 'text_delta', text: block.text } }],
    ['content_block_stop', { type: 'content_block_stop', index: 0 }],
    ['message_delta', { type: 'message_delta', delta: { stop_reason: toolUse ? 'tool_use' : 'end_turn', stop_sequence: null }, usage: { output_tokens: 5 } }],
    ['message_stop', { type: 'message_stop' }],
  ];
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  for (const [event, data] of events) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  res.end();
}

function resultText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((part: Block) => part.text ?? '').join('');
  return '';
}

// --- OpenAI Responses API (Codex) ----------------------------------------------------------

type Item = { type?: string; role?: string; content?: unknown; name?: string; namespace?: string; call_id?: string; output?: unknown };

function openaiTurn(body: Json, script: FakeScript, res: ServerResponse, hold: (res: ServerResponse) => void): void {
  const input = (Array.isArray(body.input) ? body.input : []) as Item[];
  const prompt = input
    .filter((item) => item.role === 'user' && Array.isArray(item.content))
    .flatMap((item) => item.content as Block[])
    .map((part) => part.text ?? '')
    .join('\n');
  const isDrover = (item: Item) => item.namespace === 'mcp__drover' || item.name?.startsWith(DROVER_PREFIX) === true;
  const callIds = new Set(input.filter((item) => item.type === 'function_call' && isDrover(item)).map((item) => item.call_id));
  const results = input.filter((item) => item.type === 'function_call_output' && callIds.has(item.call_id)).map((item) => (typeof item.output === 'string' ? item.output : JSON.stringify(item.output)));
  const move = nextMove(script, prompt, results);
  if (move.kind === 'hang') return hold(res);
  const tools = (body.tools ?? []) as Array<{ type: string; name?: string; tools?: Array<{ name: string }> }>;
  const n = input.length;
  let item: Json;
  if (move.kind === 'call') {
    // Codex offers MCP tools as a `namespace` tool (one function per tool) or, for some models, as flat functions: answer in the form offered.
    const namespace = tools.find((tool) => tool.type === 'namespace' && tool.name === 'mcp__drover');
    const flat = tools.find((tool) => tool.type === 'function' && tool.name === DROVER_PREFIX + move.tool);
    const base = { type: 'function_call', id: `fc_${n}`, call_id: `call_${n}`, arguments: JSON.stringify(move.input), status: 'completed' };
    if (namespace?.tools?.some((tool) => tool.name === move.tool) === true) item = { ...base, namespace: 'mcp__drover', name: move.tool };
    else if (flat !== undefined) item = { ...base, name: flat.name };
    else item = message(n, `The tool ${move.tool} is not available to me, so I stop here.`);
  } else {
    item = message(n, move.text);
  }
  const response = { id: `resp_${n}`, object: 'response', status: 'completed', output: [item], usage: { input_tokens: 10, output_tokens: 5, total_tokens: 15, input_tokens_details: { cached_tokens: 0 }, output_tokens_details: { reasoning_tokens: 0 } } };
  const events: Json[] = [
    { type: 'response.created', response: { ...response, status: 'in_progress', output: [] } },
    { type: 'response.output_item.done', output_index: 0, item },
    { type: 'response.completed', response },
  ];
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  for (const event of events) res.write(`event: ${String(event.type)}\ndata: ${JSON.stringify(event)}\n\n`);
  res.end();
}

function message(n: number, text: string): Json {
  return { type: 'message', id: `msg_${n}`, role: 'assistant', status: 'completed', content: [{ type: 'output_text', text, annotations: [] }] };
}

async function readJson(req: IncomingMessage): Promise<Json> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return {};
  return JSON.parse(text) as Json;
}

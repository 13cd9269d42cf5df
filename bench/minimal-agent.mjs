// The least an agent can do: the MCP handshake and complete_task over plain fetch (no SDK to
// load), so bench:agents measures drover's per-task overhead, not an agent's start-up.
const url = process.env.DROVER_MCP_URL;
const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${process.env.DROVER_MCP_TOKEN}` };
const post = async (body) => {
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
  if (!response.ok && response.status !== 202) throw new Error(`HTTP ${response.status}`);
  return response.status === 202 ? undefined : response.json();
};
await post({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'minimal', version: '1' } } });
await post({ jsonrpc: '2.0', method: 'notifications/initialized' });
const result = await post({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'complete_task', arguments: { status: 'done', handoff: { goal: 'g', did: 'nothing', forNextAgent: 'nothing' } } } });
if (result.result?.isError) throw new Error(result.result.content[0].text);

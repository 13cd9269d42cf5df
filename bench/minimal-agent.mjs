// The least an agent can do: the MCP handshake and complete_task over node:http (no SDK to
// load), so bench:agents measures drover's per-task overhead, not an agent's start-up. Not
// fetch(): a Node process that used fetch() waits about 180 ms at exit for undici's idle
// keep-alive socket, which would be counted as drover's.
import { request } from 'node:http';

const url = new URL(process.env.DROVER_MCP_URL);
const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${process.env.DROVER_MCP_TOKEN}` };

function post(body) {
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => {
        if (res.statusCode === 202) return resolve(undefined);
        if (res.statusCode !== 200) return reject(new Error(`HTTP ${res.statusCode}: ${text}`));
        resolve(JSON.parse(text));
      });
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

await post({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'minimal', version: '1' } } });
await post({ jsonrpc: '2.0', method: 'notifications/initialized' });
const result = await post({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'complete_task', arguments: { status: 'done', handoff: { goal: 'g', did: 'nothing', forNextAgent: 'nothing' } } } });
if (result.result?.isError) throw new Error(result.result.content[0].text);

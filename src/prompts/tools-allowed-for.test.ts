import { describe, expect, it } from 'vitest';
import { toolsAllowedFor } from './tools-allowed-for.js';

const tools = (allowedTools: string[], disallowedTools: string[], seed = false) => toolsAllowedFor({ allowedTools, disallowedTools, seed });

describe('toolsAllowedFor', () => {
  it('allows all three queue tools when nothing restricts them', () => {
    expect(tools([], [])).toEqual(['enqueue_task', 'complete_task', 'read_handoffs']);
  });

  it('removes disallowed tools, by bare or MCP-prefixed name', () => {
    expect(tools([], ['enqueue_task'])).toEqual(['complete_task', 'read_handoffs']);
    expect(tools([], ['mcp__drover__enqueue_task'])).toEqual(['complete_task', 'read_handoffs']);
  });

  it('treats allowedTools as a queue allow-list only when it names a queue tool', () => {
    expect(tools(['Read', 'Grep'], [])).toEqual(['enqueue_task', 'complete_task', 'read_handoffs']);
    expect(tools(['Read', 'complete_task'], [])).toEqual(['complete_task']);
  });

  it('never gives the seed complete_task', () => {
    expect(tools([], [], true)).toEqual(['enqueue_task', 'read_handoffs']);
  });
});

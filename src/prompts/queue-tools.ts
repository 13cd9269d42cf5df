/** The drover tools an agent can call to talk to the queue (SPEC "Agent tools"), in display order. */
export const QUEUE_TOOLS = ['enqueue_task', 'complete_task', 'read_handoffs'] as const;

export type QueueToolName = (typeof QUEUE_TOOLS)[number];

/**
 * The bare tool name: agent CLIs see MCP tools as `mcp__<server>__<tool>`, and prompt authors
 * copy either form into frontmatter, so both must mean the same tool.
 */
export function bareToolName(name: string): string {
  if (!name.startsWith('mcp__')) return name;
  const cut = name.lastIndexOf('__');
  return cut > 3 ? name.slice(cut + 2) : name;
}

export function isQueueTool(name: string): name is QueueToolName {
  return (QUEUE_TOOLS as readonly string[]).includes(name);
}

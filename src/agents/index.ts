export type { AgentContext, AgentRuntime } from './agent-runtime.js';
export { functionAgent } from './function-agent.js';
export { stubAgent, type StubAgentOptions } from './stub-agent.js';
export { commandAgent, type CommandAgentOptions } from './command-agent.js';
export { killLiveProcessGroups } from './live-process-groups.js';
export { reapOrphanedProcessGroups } from './reap-orphaned-process-groups.js';

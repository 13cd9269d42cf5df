export type { AgentContext, AgentHints, AgentRuntime } from './agent-runtime.js';
export { functionAgent } from './function-agent.js';
export { stubAgent, type StubAgentOptions } from './stub-agent.js';
export { commandAgent, type CommandAgentOptions } from './command-agent.js';
export { claudeCodeAgent, claudeCodeArgs, type CliAgentOptions } from './claude-code-agent.js';
export { codexAgent, codexArgs } from './codex-agent.js';
export { findAgentBin, AGENT_CLIS, type AgentCliName } from './find-agent-bin.js';

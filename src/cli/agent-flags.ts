import type { Command} from 'commander';
import { Option } from 'commander';
import type { AgentRuntime } from '../agents/agent-runtime.js';
import { claudeCodeAgent } from '../agents/claude-code-agent.js';
import { codexAgent } from '../agents/codex-agent.js';
import { commandAgent } from '../agents/command-agent.js';
import { findAgentBin } from '../agents/find-agent-bin.js';
import { stubAgent } from '../agents/stub-agent.js';
import { UsageError } from '../errors/usage-error.js';
import { stubFollowUps } from '../programs/integrate/stub-follow-ups.js';
import { parseCount, parseDuration } from '../util/parse-duration.js';

export type AgentKind = 'stub' | 'command' | 'claude-code' | 'codex';

/** The flags that choose and run the agents, shared by `drover run` and `drover worker`. */
export interface AgentFlags {
  agent?: AgentKind;
  agentCmd?: string;
  agentBin?: string;
  agentArg: string[];
  concurrency?: string;
  taskTimeout?: string;
  stubDelay?: string;
  prompts?: string;
}

/** Adds the agent flags to a command. */
export function addAgentOptions(command: Command): Command {
  return command
    .addOption(new Option('--agent <kind>', 'which agent runs each task: stub (default), claude-code, codex, or command with --agent-cmd').choices(['stub', 'claude-code', 'codex', 'command']))
    .option('--agent-bin <path>', 'the executable for --agent claude-code or codex (default: claude or codex on PATH)')
    .option('--agent-arg <arg>', 'an argument appended to the claude-code or codex command line; repeat for more (--agent-arg=--verbose)', (value: string, previous: string[]) => [...previous, value], [] as string[])
    .option('--agent-cmd <cmd>', 'the agent command line for --agent command ({prompt_file}, {mcp_config}, {task_id}, {install_dir} are replaced)')
    .option('--concurrency <n>', 'tasks running at once (default 1)')
    .option('--task-timeout <duration>', 'stop an attempt after this long, e.g. 10m')
    .option('--stub-delay <duration>', 'how long each stub task takes (default 0; env DROVER_STUB_DELAY)')
    .option('--prompts <dir>', 'agent prompts that shadow the bundled ones, file by file');
}

export interface ChosenAgent {
  readonly kind: AgentKind;
  readonly agent: AgentRuntime;
  /** Process agents reach the queue tools over MCP on 127.0.0.1; the stub calls them in-process. */
  readonly serveMcp: boolean;
  readonly concurrency: number;
  readonly taskTimeoutMs: number | undefined;
}

/** Checks the agent flags against each other and builds the agent, or says in one line what is wrong (exit 2). */
export function agentFromFlags(flags: AgentFlags): ChosenAgent {
  const kind = flags.agent ?? (flags.agentCmd !== undefined ? 'command' : 'stub');
  if (kind === 'command' && flags.agentCmd === undefined) throw new UsageError('--agent command needs --agent-cmd "CMD"');
  if (flags.agentCmd !== undefined && kind !== 'command') throw new UsageError(`--agent-cmd goes with --agent command, not --agent ${kind}`);
  const cliAgent = kind === 'claude-code' || kind === 'codex' ? kind : undefined;
  if (cliAgent === undefined && (flags.agentBin !== undefined || flags.agentArg.length > 0)) throw new UsageError('--agent-bin and --agent-arg go with --agent claude-code or --agent codex');
  const agentBin = cliAgent === undefined ? undefined : findAgentBin(cliAgent, flags.agentBin);
  const stubDelayText = flags.stubDelay ?? process.env.DROVER_STUB_DELAY;
  const stubDelayMs = stubDelayText === undefined ? 0 : parseDuration(stubDelayText, flags.stubDelay !== undefined ? '--stub-delay' : 'DROVER_STUB_DELAY');
  const concurrency = flags.concurrency === undefined ? 1 : parseCount(flags.concurrency, '--concurrency', 1, 64);
  const taskTimeoutMs = flags.taskTimeout === undefined ? undefined : parseDuration(flags.taskTimeout, '--task-timeout');
  const agent =
    kind === 'command'
      ? commandAgent({ command: flags.agentCmd! })
      : kind === 'claude-code'
        ? claudeCodeAgent({ bin: agentBin!, extraArgs: flags.agentArg })
        : kind === 'codex'
          ? codexAgent({ bin: agentBin!, extraArgs: flags.agentArg })
          : stubAgent({ delayMs: stubDelayMs, followUps: stubFollowUps });
  return { kind, agent, serveMcp: kind !== 'stub', concurrency, taskTimeoutMs };
}

import { Command, Option } from 'commander';
import { claudeCodeAgent } from '../agents/claude-code-agent.js';
import { codexAgent } from '../agents/codex-agent.js';
import { commandAgent } from '../agents/command-agent.js';
import { findAgentBin } from '../agents/find-agent-bin.js';
import type { QueueState } from '../queue/queue-state.js';
import { killLiveProcessGroups } from '../agents/live-process-groups.js';
import { stubAgent } from '../agents/stub-agent.js';
import { UsageError } from '../errors/usage-error.js';
import { runIntegrate } from '../programs/integrate/run-integrate.js';
import type { ResumeMode } from '../programs/run-session.js';
import { stubFollowUps } from '../programs/integrate/stub-follow-ups.js';
import { parseCount, parseDuration } from '../util/parse-duration.js';
import { resolveStateDir } from '../util/state-paths.js';
import { VERSION } from './version.js';
import type { CliContext } from './cli-context.js';
import { confirmResume } from './confirm-resume.js';
import { chooseUiMode, type UiMode } from '../ui/choose-ui-mode.js';
import { stripTerminalControls } from '../ui/to-terminal-text.js';
import { createRunObservers } from './run-observers.js';
import { installSignalHandlers } from './signal-handlers.js';

type AgentKind = 'stub' | 'command' | 'claude-code' | 'codex';

interface RunFlags {
  installDir?: string;
  app?: string;
  stateDir?: string;
  agent?: AgentKind;
  agentCmd?: string;
  agentBin?: string;
  agentArg: string[];
  seed: 'explorer' | 'agent';
  concurrency?: string;
  taskTimeout?: string;
  maxAttempts?: string;
  stubDelay?: string;
  resume?: boolean;
  fresh?: boolean;
  ui?: UiMode;
  telemetry: boolean;
  prompts?: string;
  plan?: string;
  recordsOut?: string;
  dashboard?: boolean;
}

/** `drover run`: inspect a repository, seed the task graph, and drain it with a fresh agent per task. */
export function runCommand(context: CliContext): Command {
  return new Command('run')
    .description('Inspect a repository, seed a graph of tasks, and drain it with a fresh agent per task. Resumable.')
    .option('--install-dir <dir>', 'the project to work on')
    .option('--app <dir>', 'the app to work on, as a folder inside the install dir, when the repository holds several (e.g. apps/web)')
    .option('--state-dir <dir>', 'where the run is persisted (default: <install-dir>/.drover)')
    .addOption(new Option('--agent <kind>', 'which agent runs each task: stub (default), claude-code, codex, or command with --agent-cmd').choices(['stub', 'claude-code', 'codex', 'command']))
    .option('--agent-bin <path>', 'the executable for --agent claude-code or codex (default: claude or codex on PATH)')
    .option('--agent-arg <arg>', 'an argument appended to the claude-code or codex command line; repeat for more (--agent-arg=--verbose)', (value: string, previous: string[]) => [...previous, value], [] as string[])
    .option('--agent-cmd <cmd>', 'the agent command line for --agent command ({prompt_file}, {mcp_config}, {task_id}, {install_dir} are replaced)')
    .addOption(new Option('--seed <how>', 'how the task graph is seeded').choices(['explorer', 'agent']).default('explorer'))
    .option('--concurrency <n>', 'tasks running at once (default 1)')
    .option('--task-timeout <duration>', 'stop an attempt after this long, e.g. 10m')
    .option('--max-attempts <n>', 'attempts per task before it fails (default 2)')
    .option('--stub-delay <duration>', 'how long each stub task takes (default 0; env DROVER_STUB_DELAY)')
    .option('--resume', 'continue the unfinished run in the state dir')
    .option('--fresh', 'move any earlier run aside and start over')
    .addOption(new Option('--ui <mode>', 'progress display (default: tui on a terminal, plain otherwise)').choices(['tui', 'plain', 'json']))
    .option('--no-telemetry', 'send no telemetry (events.jsonl is still written locally)')
    .option('--prompts <dir>', 'agent prompts that shadow the bundled ones, file by file')
    .option('--plan <file>', 'execute a fanout plan as queue tasks (with --agent command)')
    .option('--records-out <file>', 'with --plan: where to write the records for drover fanout reconcile')
    .option('--dashboard', 'serve the dashboard (drover dashboard) beside the run while it runs; its URL is printed on stderr')
    .action(async (flags: RunFlags) => {
      context.exitCode = await run(flags, context);
    });
}

async function run(flags: RunFlags, context: CliContext): Promise<number> {
  if (flags.resume === true && flags.fresh === true) throw new UsageError('--resume and --fresh exclude each other');
  if ((flags.plan === undefined) !== (flags.recordsOut === undefined)) throw new UsageError('--plan and --records-out go together');
  const agentKind = flags.agent ?? (flags.agentCmd !== undefined ? 'command' : 'stub');
  if (agentKind === 'command' && flags.agentCmd === undefined) throw new UsageError('--agent command needs --agent-cmd "CMD"');
  if (flags.agentCmd !== undefined && agentKind !== 'command') throw new UsageError(`--agent-cmd goes with --agent command, not --agent ${agentKind}`);
  const cliAgent = agentKind === 'claude-code' || agentKind === 'codex' ? agentKind : undefined;
  if (cliAgent === undefined && (flags.agentBin !== undefined || flags.agentArg.length > 0)) throw new UsageError('--agent-bin and --agent-arg go with --agent claude-code or --agent codex');
  const agentBin = cliAgent === undefined ? undefined : findAgentBin(cliAgent, flags.agentBin);
  if (flags.plan !== undefined && agentKind === 'stub') throw new UsageError('--plan needs a real agent: --agent claude-code, --agent codex, or --agent command --agent-cmd "CMD"');
  if (flags.installDir === undefined && flags.plan === undefined) throw new UsageError('--install-dir is required');
  if (flags.app !== undefined && flags.plan !== undefined) throw new UsageError('--app goes with --install-dir, not --plan');
  if (flags.seed === 'agent' && agentKind === 'stub') throw new UsageError('--seed agent needs a real agent (--agent claude-code, codex or command); the stub cannot plan');
  const stubDelayText = flags.stubDelay ?? process.env.DROVER_STUB_DELAY;
  const stubDelayMs = stubDelayText === undefined ? 0 : parseDuration(stubDelayText, flags.stubDelay !== undefined ? '--stub-delay' : 'DROVER_STUB_DELAY');
  const concurrency = flags.concurrency === undefined ? 1 : parseCount(flags.concurrency, '--concurrency', 1, 64);
  const maxAttempts = flags.maxAttempts === undefined ? undefined : parseCount(flags.maxAttempts, '--max-attempts', 1, 20);
  const taskTimeoutMs = flags.taskTimeout === undefined ? undefined : parseDuration(flags.taskTimeout, '--task-timeout');
  const resume: ResumeMode = flags.resume === true ? 'resume' : flags.fresh === true ? 'fresh' : 'auto';

  const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true;
  const controller = new AbortController();
  const ui: UiMode = chooseUiMode(flags.ui, process.stdout);
  const installDir = flags.installDir ?? process.cwd();
  // Built before the signal handlers, which use it; it may load the live view, so it is awaited.
  const observers = await createRunObservers({ ui, context, stateDir: resolveStateDir(installDir, flags.stateDir), telemetry: flags.telemetry, version: VERSION, onInterrupt: () => signals.interrupt('view'), onForceQuit: () => signals.force() });
  const signals = installSignalHandlers({
    onGraceful: (source) => {
      if (source === 'signal') observers.notice('Stopping: running tasks are being aborted; the run stays resumable. Press Ctrl-C again to force.');
      controller.abort();
    },
    onForce: () => {
      killLiveProcessGroups();
      process.exit(130);
    },
  });
  let dashboard: { close(): Promise<void> } | undefined;
  try {
    // Before the run starts (and the live view draws), so the line is not drawn over; loaded only when asked for.
    if (flags.dashboard === true) dashboard = await (await import('./start-run-dashboard.js')).startRunDashboard(resolveStateDir(installDir, flags.stateDir), context);
    const session = {
      installDir,
      ...(flags.stateDir !== undefined ? { stateDir: flags.stateDir } : {}),
      agent:
        agentKind === 'command'
          ? commandAgent({ command: flags.agentCmd! })
          : agentKind === 'claude-code'
            ? claudeCodeAgent({ bin: agentBin!, extraArgs: flags.agentArg })
            : agentKind === 'codex'
              ? codexAgent({ bin: agentBin!, extraArgs: flags.agentArg })
              : stubAgent({ delayMs: stubDelayMs, followUps: stubFollowUps }),
      serveMcp: agentKind !== 'stub',
      ...(flags.prompts !== undefined ? { promptsDir: flags.prompts } : {}),
      concurrency,
      ...(taskTimeoutMs !== undefined ? { taskTimeoutMs } : {}),
      ...(maxAttempts !== undefined ? { maxAttempts } : {}),
      resume,
      ...(resume === 'auto' && interactive && ui !== 'json' ? { confirmResume: (state: QueueState) => confirmResume(state, controller.signal) } : {}),
      observers: observers.list,
      signal: controller.signal,
    };
    const result =
      flags.plan !== undefined
        ? await (await import('../programs/fanout/run-fanout-plan.js')).runFanoutPlan({ ...session, planFile: flags.plan, recordsOut: flags.recordsOut! })
        : await runIntegrate({ ...session, seed: flags.seed, stubPrompts: agentKind === 'stub', ...(flags.app !== undefined ? { app: flags.app } : {}) });
    for (const warning of result.warnings) context.stderr.write(`drover: warning: ${stripTerminalControls(warning)}\n`);
    return result.exitCode;
  } finally {
    signals.dispose();
    await dashboard?.close();
  }
}

import { Command, Option } from 'commander';
import type { QueueState } from '../queue/queue-state.js';
import type { LiveRunWriter } from '../backend/backend.js';
import { killLiveProcessGroups } from '../workspace/index.js';
import { UsageError } from '../errors/usage-error.js';
import { runIntegrate } from '../programs/integrate/run-integrate.js';
import type { ResumeMode } from '../programs/run-session.js';
import { parseCount } from '../util/parse-duration.js';
import { addAgentOptions, agentFromFlags, type AgentFlags } from './agent-flags.js';
import { addLeaseOption, addStoreOption, leaseMs, storeUrl, type StoreFlags } from './store-flags.js';
import { resolveStateDir } from '../util/state-dir.js';
import { VERSION } from './version.js';
import type { CliContext } from './cli-context.js';
import { confirmResume } from './confirm-resume.js';
import { chooseUiMode, type UiMode } from '../ui/choose-ui-mode.js';
import { stripTerminalControls } from '../ui/to-terminal-text.js';
import { createRunObservers } from './run-observers.js';
import { installSignalHandlers } from './signal-handlers.js';

interface RunFlags extends AgentFlags, StoreFlags {
  installDir?: string;
  app?: string;
  stateDir?: string;
  seed: 'explorer' | 'agent';
  maxAttempts?: string;
  resume?: boolean;
  seedOnly?: boolean;
  fresh?: boolean;
  ui?: UiMode;
  telemetry: boolean;
  plan?: string;
  recordsOut?: string;
  dashboard?: boolean;
  allowActions?: boolean;
}

/** `drover run`: inspect a repository, seed the task graph, and drain it with a fresh agent per task. */
export function runCommand(context: CliContext): Command {
  const command = new Command('run')
    .description('Inspect a repository, seed a graph of tasks, and drain it with a fresh agent per task. Resumable.')
    .option('--install-dir <dir>', 'the project to work on')
    .option('--app <dir>', 'the app to work on, as a folder inside the install dir, when the repository holds several (e.g. apps/web)')
    .option('--state-dir <dir>', 'where the run is persisted (default: <install-dir>/.drover); with --store, only this process\'s prompts and logs')
    .addOption(new Option('--seed <how>', 'how the task graph is seeded').choices(['explorer', 'agent']).default('explorer'))
    .option('--max-attempts <n>', 'attempts per task before it fails (default 2)')
    .option('--resume', 'continue the unfinished run in the state dir')
    .option('--fresh', 'move any earlier run aside and start over')
    .addOption(new Option('--ui <mode>', 'progress display (default: tui on a terminal, plain otherwise)').choices(['tui', 'plain', 'json']))
    .option('--no-telemetry', 'send no telemetry (events.jsonl is still written locally)')
    .option('--plan <file>', 'execute a fanout plan as queue tasks (with --agent command)')
    .option('--records-out <file>', 'with --plan: where to write the records for drover fanout reconcile');
  addAgentOptions(command);
  addStoreOption(command, 'keep the run in PostgreSQL, where any drover worker can work it');
  addLeaseOption(command);
  command.option('--dashboard', 'serve the dashboard (drover dashboard) beside the run while it runs; its URL is printed on stderr');
  command.option('--allow-actions', 'with --dashboard: allow retrying a failed task and cancelling the run from the page');
  command.option('--seed-only', 'with --store: create and seed the run, print its id, and leave the work to drover worker processes');
  return command
    .action(async (flags: RunFlags) => {
      context.exitCode = await run(flags, context);
    });
}

async function run(flags: RunFlags, context: CliContext): Promise<number> {
  if (flags.resume === true && flags.fresh === true) throw new UsageError('--resume and --fresh exclude each other');
  if (flags.allowActions === true && flags.dashboard !== true) throw new UsageError('--allow-actions goes with --dashboard');
  if ((flags.plan === undefined) !== (flags.recordsOut === undefined)) throw new UsageError('--plan and --records-out go together');
  const chosen = agentFromFlags(flags);
  const agentKind = chosen.kind;
  if (flags.plan !== undefined && agentKind === 'stub') throw new UsageError('--plan needs a real agent: --agent claude-code, --agent codex, or --agent command --agent-cmd "CMD"');
  if (flags.installDir === undefined && flags.plan === undefined) throw new UsageError('--install-dir is required');
  if (flags.app !== undefined && flags.plan !== undefined) throw new UsageError('--app goes with --install-dir, not --plan');
  if (flags.seed === 'agent' && agentKind === 'stub') throw new UsageError('--seed agent needs a real agent (--agent claude-code, codex or command); the stub cannot plan');
  const maxAttempts = flags.maxAttempts === undefined ? undefined : parseCount(flags.maxAttempts, '--max-attempts', 1, 20);
  const store = storeUrl(flags);
  const lease = leaseMs(flags);
  if (store === undefined && lease !== undefined) throw new UsageError('--lease goes with --store (or DROVER_DATABASE_URL)');
  if (store === undefined && flags.seedOnly === true) throw new UsageError('--seed-only goes with --store (or DROVER_DATABASE_URL)');
  // drover worker works every run with the integration prompts: a fanout plan's tasks are worked by its own drover run.
  if (flags.plan !== undefined && flags.seedOnly === true) throw new UsageError('--plan with --seed-only: drover worker cannot run a fanout plan\'s tasks yet; run it without --seed-only');
  if (store !== undefined && (flags.resume === true || flags.fresh === true)) throw new UsageError('--resume and --fresh are for a run in the state dir; a run on --store is continued with drover worker --store URL --run ID');
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
  // The run's single writer, once it has started: the dashboard's actions are recorded through it.
  let writer: LiveRunWriter | undefined;
  try {
    // Before the run starts (and the live view draws), so the line is not drawn over; loaded only when asked for.
    if (flags.dashboard === true) dashboard = await (await import('./start-run-dashboard.js')).startRunDashboard(store !== undefined ? { store } : { stateDir: resolveStateDir(installDir, flags.stateDir) }, context, flags.allowActions === true ? { writer: () => writer } : undefined);
    const session = {
      installDir,
      ...(flags.stateDir !== undefined ? { stateDir: flags.stateDir } : {}),
      agent: chosen.agent,
      serveMcp: chosen.serveMcp,
      ...(flags.prompts !== undefined ? { promptsDir: flags.prompts } : {}),
      ...(store !== undefined ? { store: { url: store, ...(lease !== undefined ? { leaseMs: lease } : {}), seedOnly: flags.seedOnly === true } } : {}),
      concurrency: chosen.concurrency,
      ...(chosen.taskTimeoutMs !== undefined ? { taskTimeoutMs: chosen.taskTimeoutMs } : {}),
      ...(maxAttempts !== undefined ? { maxAttempts } : {}),
      resume,
      ...(resume === 'auto' && interactive && ui !== 'json' ? { confirmResume: (state: QueueState) => confirmResume(state, controller.signal) } : {}),
      observers: observers.list,
      signal: controller.signal,
      onWriter: (live: LiveRunWriter | undefined) => {
        writer = live;
      },
    };
    const result =
      flags.plan !== undefined
        ? await (await import('../programs/fanout/run-fanout-plan.js')).runFanoutPlan({ ...session, planFile: flags.plan, recordsOut: flags.recordsOut! })
        : await runIntegrate({ ...session, seed: flags.seed, stubPrompts: agentKind === 'stub', ...(flags.app !== undefined ? { app: flags.app } : {}) });
    for (const warning of result.warnings) context.stderr.write(`drover: warning: ${stripTerminalControls(warning)}\n`);
    if (result.verdict.status === 'cancelled') context.stderr.write(`${stripTerminalControls(cancelledLine(result.runId, result.state))}\n`);
    if (store !== undefined && ui !== 'json') context.stdout.write(`${flags.seedOnly === true ? 'seeded' : 'ran'} run ${result.runId}${flags.seedOnly === true ? `: work it with drover worker --store URL --run ${result.runId}` : ''}\n`);
    return result.exitCode;
  } finally {
    signals.dispose();
    await dashboard?.close();
  }
}

/** The summary line of a cancelled run: who cancelled it, from where, when, and how to go on. */
function cancelledLine(runId: string, state: QueueState): string {
  const cancel = state.meta.cancel;
  const who = cancel === undefined ? 'on request' : `from the ${cancel.by}${cancel.address !== undefined ? ` (${cancel.address})` : ''} at ${cancel.at}`;
  return `drover: run ${runId} was cancelled ${who}; its running attempts were given back (drover run --resume continues it)`;
}

import { Command } from 'commander';
import { killLiveProcessGroups } from '../workspace/index.js';
import { describeDatabaseUrl, parseDatabaseUrl } from '../backend/postgres/postgres-errors.js';
import { isDroverError } from '../errors/drover-error.js';
import { UsageError } from '../errors/usage-error.js';
import { enqueuePolicy } from '../programs/enqueue-policy.js';
import { openPostgresStore } from '../programs/open-postgres-store.js';
import { loadProgramPrompts } from '../programs/prepare-task.js';
import { programWorker } from '../programs/program-worker.js';
import { INTEGRATE_SEEDER, integrateSeed } from '../programs/integrate/run-integrate.js';
import { SEED_TASK_ID, seederOf } from '../queue/seed-task.js';
import { runExitCode } from '../programs/run-exit-code.js';
import { restoreQueueState } from '../queue/snapshot.js';
import { computeVerdict } from '../queue/verdict.js';
import type { WorkerNotice } from '../runner/worker.js';
import type { McpEndpoint } from '../tools/mcp/mcp-endpoint.js';
import { stripTerminalControls } from '../ui/to-terminal-text.js';
import { ExitCode } from '../errors/exit-codes.js';
import { addAgentOptions, agentFromFlags, type AgentFlags } from './agent-flags.js';
import type { CliContext } from './cli-context.js';
import { installSignalHandlers } from './signal-handlers.js';
import { addLeaseOption, addStoreOption, leaseMs, storeUrl, type StoreFlags } from './store-flags.js';

/** The programs `drover worker` runs right (`RunIdentity.program`): the integration prompts and seeder only. */
const SERVED: readonly string[] = [INTEGRATE_SEEDER];

interface WorkerFlags extends AgentFlags, StoreFlags {
  run?: string;
  workdir?: string;
  stateDir?: string;
}

/** `drover worker`: claim and run tasks of runs kept in PostgreSQL, on this machine, beside any number of other workers. */
export function workerCommand(context: CliContext): Command {
  const command = new Command('worker')
    .description('Work runs kept in PostgreSQL: claim ready tasks, run a fresh agent per task in --workdir, report through the database. Start as many as you like, on any machine.')
    .option('--run <id>', 'work this run only, and exit with its verdict once it has ended (default: every running run, until stopped)')
    .option('--workdir <dir>', 'the checkout the agents work in on this machine (default: the current directory)')
    .option('--state-dir <dir>', "this worker's own directory for prompts, agent logs and process records (default: <workdir>/.drover-worker)");
  addStoreOption(command, 'the database the runs are kept in');
  addLeaseOption(command);
  addAgentOptions(command);
  return command.action(async (flags: WorkerFlags) => {
    context.exitCode = await work(flags, context);
  });
}

async function work(flags: WorkerFlags, context: CliContext): Promise<number> {
  const url = storeUrl(flags);
  if (url === undefined) throw new UsageError('drover worker needs --store postgres://… (or DROVER_DATABASE_URL)');
  const chosen = agentFromFlags(flags);
  const lease = leaseMs(flags);
  const workdir = flags.workdir ?? process.cwd();
  const stateDir = flags.stateDir ?? `${workdir.replace(/\/+$/, '')}/.drover-worker`;
  const prompts = await loadProgramPrompts({ overrideDir: flags.prompts, stub: chosen.kind === 'stub' });
  const say = (line: string): void => void context.stdout.write(`${stripTerminalControls(line)}\n`);
  // Made before the backend, whose retry waits it ends: Ctrl-C during an outage stops at once, not after the backoff.
  const controller = new AbortController();
  const backend = await openPostgresStore(url, enqueuePolicy(prompts), {
    onRetry: (retry) => say(`database unreachable (${retry.operation}: ${retry.error.message}); retrying in ${Math.round(retry.delayMs / 100) / 10}s`),
    concurrency: chosen.concurrency,
    ...(lease !== undefined ? { leaseMs: lease } : {}),
    signal: controller.signal,
  });
  const signals = installSignalHandlers({
    onGraceful: () => {
      say('stopping: the running agents are stopped and their tasks given back; press Ctrl-C again to force');
      controller.abort();
    },
    onForce: () => {
      killLiveProcessGroups();
      process.exit(ExitCode.interrupted);
    },
  });
  let mcp: McpEndpoint | undefined;
  try {
    if (flags.run !== undefined) {
      const run = await backend.readRun(flags.run);
      if (run === undefined) throw new UsageError(`--run ${flags.run}: no such run in ${describeStore(url)}`);
      // A run of another program (a fanout plan's) needs its own prompts and plan: this worker would run its tasks wrong.
      const program = (await backend.listRuns()).find((summary) => summary.runId === flags.run)?.program;
      if (program === undefined || !SERVED.includes(program)) {
        throw new UsageError(`--run ${flags.run}: run of program ${program ?? '(none recorded)'}, and drover worker serves ${SERVED.join(', ')} runs only${program?.startsWith('fanout:') === true ? ' (a fanout plan run is worked by its drover run --plan --store process)' : ''}`);
      }
      // Otherwise the worker would wait without a word until the seed step ends.
      if (!run.seeded && run.status === 'running') {
        const seed = run.tasks.find((task) => task.id === SEED_TASK_ID);
        const here = seed !== undefined && seederOf(seed) === INTEGRATE_SEEDER;
        context.stderr.write(`drover: run ${stripTerminalControls(flags.run)} is not seeded yet: ${here ? 'its seed task runs on the first worker to claim it' : 'waiting for its seed step (drover run --store) to finish'}\n`);
      }
    }
    mcp = chosen.serveMcp ? new (await import('../tools/mcp/mcp-endpoint.js')).McpEndpoint() : undefined;
    await mcp?.listen();
    const worker = programWorker(backend, prompts, {
      agent: chosen.agent,
      // The integrate seed step runs on any worker: it explores this worker's checkout (the seed task carries the rest).
      seeders: new Map([[INTEGRATE_SEEDER, integrateSeed({ agent: chosen.agent, prompts })]]),
      programs: SERVED,
      workdir,
      stateDir,
      concurrency: chosen.concurrency,
      ...(flags.run !== undefined ? { runId: flags.run } : {}),
      ...(lease !== undefined ? { leaseMs: lease } : {}),
      ...(chosen.taskTimeoutMs !== undefined ? { taskTimeoutMs: chosen.taskTimeoutMs } : {}),
      ...(mcp !== undefined ? { mcp } : {}),
      signal: controller.signal,
      onNotice: (notice) => say(describeNotice(notice)),
    });
    say(`worker ${worker.id}: working ${flags.run !== undefined ? `run ${flags.run}` : `every running ${SERVED.join(', ')} run (runs of other programs are left to their own workers)`} in ${describeStore(url)}; serves ${SERVED.join(', ')}`);
    let outcome: Awaited<ReturnType<typeof worker.run>>;
    try {
      outcome = await worker.run();
    } catch (error) {
      // Stopped while the database was away: what could not be given back returns when its lease ends.
      if (controller.signal.aborted && isDroverError(error) && error.code === 'interrupted') {
        say(`stopped while the database was unreachable: attempts not given back return to the run when their leases end`);
        return ExitCode.interrupted;
      }
      throw error;
    }
    if (outcome.reason === 'stopped') return ExitCode.interrupted;
    const verdict = computeVerdict(restoreQueueState(outcome.snapshot));
    return outcome.snapshot.status === 'interrupted' ? ExitCode.interrupted : outcome.snapshot.status === 'cancelled' ? ExitCode.cancelled : runExitCode(verdict);
  } finally {
    signals.dispose();
    await mcp?.close();
    await backend.close();
  }
}

/** One line per thing the worker did: what a log shows, and what tests wait for. */
function describeNotice(notice: WorkerNotice): string {
  switch (notice.kind) {
    case 'reaped':
      return `killed ${notice.pgids.length} agent process group(s) a stopped worker left running (pgid ${notice.pgids.join(', ')})`;
    case 'claimed':
      return `started ${notice.ref.taskId} (${notice.task.type}) attempt ${notice.ref.attempt} of run ${notice.ref.runId}`;
    case 'lease-lost':
      return `lost the lease of ${notice.ref.taskId} attempt ${notice.ref.attempt}: stopping its agent; another worker may run it`;
    case 'attempt-ended':
      return `ended ${notice.ref.taskId} attempt ${notice.ref.attempt}: ${notice.end.kind}${notice.fence === 'applied' ? '' : ` (${notice.fence}: not recorded)`}`;
    case 'run-ended':
      return `run ${notice.runId} ended: ${notice.status}`;
    case 'retrying':
      return `${notice.what} failed (${notice.message}); retrying in ${Math.round(notice.inMs / 100) / 10}s`;
  }
}

export function describeStore(url: string): string {
  const parsed = parseDatabaseUrl(url);
  const schema = parsed.searchParams.get('schema');
  return `${describeDatabaseUrl(parsed)}${schema !== null ? ` (schema ${schema})` : ''}`;
}

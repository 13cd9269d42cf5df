import { join } from 'node:path';
import { DroverError } from '../errors/drover-error.js';
import { ExitCode, exitCodeFor } from '../errors/exit-codes.js';
import { UsageError } from '../errors/usage-error.js';
import type { CliContext } from './cli-context.js';
import { stripTerminalControls } from '../ui/to-terminal-text.js';
import { readFanoutPlan } from '../programs/fanout/read-fanout-plan.js';
import { configItems, readFanoutConfig, writeFanoutOutput } from './fanout-command.js';
import { openObjectList } from './fanout/read-object-list.js';
import { planFromSource } from './fanout/plan-from-source.js';
import { reconcileFromSource } from './fanout/reconcile-from-source.js';

/**
 * `homeboy-generic-fanout-reconcile`: the reference script's command line, so Homeboy scripts can
 * swap it for drover unchanged. `--config --items --output` plans; adding `--records` reconciles
 * (against `--plan`, or a plan rebuilt from the config and items). Departures from the reference
 * (exit codes, flag checking, `--strict`) are listed in docs/fanout-compatibility.md.
 */
const BIN = 'homeboy-generic-fanout-reconcile';
const USAGE = `Usage: ${BIN} --config <config.json> [--items <items.json>] [--records <records.json>] [--plan <plan.json>] [--output <plan-or-result.json>] [--strict]

Plan:      ${BIN} --config fanout-config.json --items items.json --output fanout-plan.json
Reconcile: ${BIN} --config fanout-config.json --plan fanout-plan.json --records task-records.json --output fanout-result.json

Without --output the document goes to stdout (in plan mode, to --plan when given, as the reference does).
--strict exits 1 when the reconciled status is "failed". Exit codes: 0 ok, 1 failed (--strict), 2 bad usage or input.
`;

const VALUE_FLAGS = ['config', 'items', 'records', 'plan', 'output'] as const;
type ValueFlag = (typeof VALUE_FLAGS)[number];

interface HomeboyArgs {
  readonly values: Partial<Record<ValueFlag, string>>;
  readonly strict: boolean;
  readonly help: boolean;
}

export async function homeboyMain(argv: readonly string[], streams: { stdout?: NodeJS.WritableStream; stderr?: NodeJS.WritableStream } = {}): Promise<number> {
  const context: CliContext = { exitCode: ExitCode.ok, stdout: streams.stdout ?? process.stdout, stderr: streams.stderr ?? process.stderr };
  try {
    const args = parseHomeboyArgs(argv);
    if (args.help) {
      context.stdout.write(USAGE);
      return ExitCode.ok;
    }
    await run(args, context);
    return context.exitCode;
  } catch (error) {
    if (error instanceof DroverError) {
      context.stderr.write(`${BIN}: ${stripTerminalControls(error.message)}\n`);
      return exitCodeFor(error.code);
    }
    context.stderr.write(`${BIN}: internal error: ${stripTerminalControls(error instanceof Error ? error.message : String(error))}\n`);
    return ExitCode.failed;
  }
}

async function run(args: HomeboyArgs, context: CliContext): Promise<void> {
  const { config: configFile, items: itemsFile, records: recordsFile, plan: planFile, output } = args.values;
  if (configFile === undefined) throw new UsageError('--config is required (see --help)');
  const config = await readFanoutConfig(configFile);
  const items = itemsFile === undefined ? configItems(config, configFile) : await openObjectList(itemsFile, 'items');
  const sources = { config: configFile, items: itemsFile ?? configFile };

  if (recordsFile === undefined) {
    const plan = await planFromSource(config, items, sources);
    await writeFanoutOutput(plan, output ?? planFile, context);
    return;
  }
  const plan: unknown = planFile === undefined ? await planFromSource(config, items, sources) : await readFanoutPlan(planFile);
  const records = await openObjectList(recordsFile, 'records');
  const result = await reconcileFromSource(config, plan, records, { sources: { ...sources, plan: planFile ?? configFile, records: recordsFile }, defaultStatusMapping: 'homeboy-agent-task' });
  await writeFanoutOutput(result, output, context);
  const runFile = fanoutRunFile();
  if (runFile !== undefined) await writeFanoutOutput(result, runFile, context);
  if (args.strict && result.status === 'failed') context.exitCode = ExitCode.failed;
}

/** The reference also wrote the run to this file when Homeboy's runtime set these variables. */
function fanoutRunFile(): string | undefined {
  const file = process.env['HOMEBOY_RUNTIME_AGENT_FANOUT_RUN_FILE'];
  if (file !== undefined && file !== '') return file;
  const dir = process.env['HOMEBOY_RUNTIME_AGENT_RUN_DIR'];
  return dir !== undefined && dir !== '' ? join(dir, 'fanout-run.json') : undefined;
}

/**
 * The reference's flags, checked: `--flag value` or `--flag=value`; a flag given twice, a flag
 * without its value, an unknown flag or a stray argument is a usage error (the reference ignored
 * them or read a missing value as "not given").
 */
function parseHomeboyArgs(argv: readonly string[]): HomeboyArgs {
  const values: Partial<Record<ValueFlag, string>> = {};
  let strict = false;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] ?? '';
    if (token === '--help' || token === '-h') {
      help = true;
      continue;
    }
    if (token === '--strict') {
      strict = true;
      continue;
    }
    const eq = token.indexOf('=');
    const name = (eq === -1 ? token : token.slice(0, eq)).replace(/^--/, '');
    if (!token.startsWith('--') || !isValueFlag(name)) throw new UsageError(token.startsWith('-') ? `unknown option ${token} (see --help)` : `unexpected argument "${token}" (see --help)`);
    let value: string | undefined;
    if (eq !== -1) value = token.slice(eq + 1);
    else {
      value = argv[i + 1];
      if (value !== undefined && !value.startsWith('--')) i++;
      else value = undefined;
    }
    if (value === undefined || value === '') throw new UsageError(`--${name} needs a file name`);
    if (values[name] !== undefined) throw new UsageError(`--${name} given twice`);
    values[name] = value;
  }
  return { values, strict, help };
}

function isValueFlag(name: string): name is ValueFlag {
  return (VALUE_FLAGS as readonly string[]).includes(name);
}

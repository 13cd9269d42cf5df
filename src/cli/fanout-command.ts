import { Command } from 'commander';
import { ExitCode } from '../errors/exit-codes.js';
import { InputError } from '../errors/input-error.js';
import { UsageError } from '../errors/usage-error.js';
import { defineFanoutConfigSchema } from '../fanout/schemas/define-fanout-config-schema.js';
import { isFanoutConfig } from '../fanout/schemas/is-fanout-config.js';
import { checkWithSchema } from '../util/check-with-schema.js';
import { isPlainObject, type JsonObject } from '../util/is-plain-object.js';
import { describeValue } from '../util/describe-value.js';
import type { CliContext } from './cli-context.js';
import { checkObjectList } from './fanout/check-object-list.js';
import { readJsonDocument } from '../util/read-json-document.js';
import { listSource, openObjectList, readObjectList, type ObjectListSource } from './fanout/read-object-list.js';
import { writeJsonOutput } from './write-output.js';

/**
 * `drover fanout plan|reconcile|findings`. Each subcommand loads its own engine when it runs (a
 * plan never loads the reconciler, nor a reconcile the planner): at 1k items, start-up is most
 * of the time. Every input is read and validated before anything is written,
 * so a bad input leaves no partial `--output` behind. The file-reading helpers are shared with
 * the `homeboy-generic-fanout-reconcile` compatibility bin.
 */
export function fanoutCommand(context: CliContext): Command {
  const fanout = new Command('fanout')
    .description('Plan grouped task requests from items, and reconcile executed records against the plan.')
    .configureOutput({
      writeOut: (text) => context.stdout.write(text),
      writeErr: (text) => context.stderr.write(text),
      outputError: (text, write) => write(`drover: ${text.replace(/^error: /, '')}`),
    });

  fanout
    .command('plan')
    .description('Group items and render one task request per group (a homeboy/fanout-reconcile-plan/v1 document).')
    .requiredOption('--config <file>', 'fanout config (homeboy/generic-fanout-reconcile-config/v1)')
    .option('--items <file>', 'items: a JSON array, an object with an "items" array, or JSON Lines (default: the config\'s items)')
    .option('--output <file>', 'write the plan here (atomically; through a symlink to its target; `-` for stdout) instead of stdout')
    .action(async (options: { config: string; items?: string; output?: string }) => {
      const config = await readFanoutConfig(options.config);
      const items = options.items === undefined ? configItems(config, options.config) : await openObjectList(options.items, 'items');
      if (items === undefined && !hasGroups(config)) throw new UsageError(`--items is required: ${options.config} has no "items" or "groups"`);
      const { planFromSource } = await import('./fanout/plan-from-source.js');
      const plan = await planFromSource(config, items, { config: options.config, items: options.items ?? options.config });
      await writeFanoutOutput(plan, options.output, context);
    });

  fanout
    .command('reconcile')
    .description('Match executed records to a plan\'s tasks (a homeboy/generic-fanout-reconcile-result/v1 document).')
    .requiredOption('--config <file>', 'fanout config (the one the plan was built with)')
    .requiredOption('--plan <file>', 'the plan from `drover fanout plan`')
    .requiredOption('--records <file>', 'records: a JSON array, an object with a "records" array, or JSON Lines')
    .option('--output <file>', 'write the result here (atomically; through a symlink to its target; `-` for stdout) instead of stdout')
    .option('--strict', 'exit 1 when the result status is "failed"')
    .action(async (options: { config: string; plan: string; records: string; output?: string; strict?: boolean }) => {
      const config = await readFanoutConfig(options.config);
      const [{ readFanoutPlan }, { reconcileFromSource }] = await Promise.all([import('../programs/fanout/read-fanout-plan.js'), import('./fanout/reconcile-from-source.js')]);
      const plan = await readFanoutPlan(options.plan);
      const records = await openObjectList(options.records, 'records');
      const result = await reconcileFromSource(config, plan, records, { sources: { config: options.config, plan: options.plan, records: options.records } });
      await writeFanoutOutput(result, options.output, context);
      if (options.strict === true && result.status === 'failed') context.exitCode = ExitCode.failed;
    });

  fanout
    .command('findings')
    .description('Plan one task request per group of findings from finding packets (a homeboy/fanout-reconcile-plan/v1 document).')
    .requiredOption('--packets <file>', 'finding packets: a JSON array, an object with a "packets" array, or JSON Lines')
    .option('--config <file>', 'config fields (orchestrator, task_request_template, runtime_execution, finding_policy)')
    .option('--policy <file>', 'the grouping policy (group_by, group_key_template, ...); default the config\'s finding_policy')
    .option('--output <file>', 'write the plan here (atomically; through a symlink to its target; `-` for stdout) instead of stdout')
    .action(async (options: { packets: string; config?: string; policy?: string; output?: string }) => {
      const config = options.config === undefined ? {} : await readObjectDocument(options.config);
      const policy = options.policy === undefined ? undefined : await readObjectDocument(options.policy);
      const packets = await readObjectList(options.packets, 'packets');
      const sources = { config: options.config ?? 'config', items: options.packets, policy: options.policy ?? options.config ?? 'policy' };
      const { createFindingPacketFanoutPlan } = await import('../fanout/findings/create-finding-packet-fanout-plan.js');
      const plan = createFindingPacketFanoutPlan({ ...config, packets, ...(policy === undefined ? {} : { policy }) }, sources);
      await writeFanoutOutput(plan, options.output, context);
    });

  return fanout;
}

async function readObjectDocument(file: string): Promise<JsonObject> {
  const value = await readJsonDocument(file);
  if (!isPlainObject(value)) throw new InputError(`expected object, got ${describeValue(value)}`, { file, jsonPath: '$' });
  return value;
}

/** Reads a fanout config and checks it against the config schema (zod is loaded only to word an error). */
export async function readFanoutConfig(file: string): Promise<JsonObject> {
  const value = await readJsonDocument(file);
  checkWithSchema(isFanoutConfig, defineFanoutConfigSchema, value, file);
  return value as JsonObject;
}

/** The config's own `items`, each checked to be an object; `undefined` when it has none. */
export function configItems(config: JsonObject, file: string): ObjectListSource | undefined {
  if (config['items'] === undefined) return undefined;
  return listSource(checkObjectList(config['items'], file, ['items']));
}


/** Writes pretty JSON to `output` (atomically, parents created) or stdout; a write failure is bad input. */
export async function writeFanoutOutput(value: unknown, output: string | undefined, context: CliContext): Promise<void> {
  try {
    await writeJsonOutput(value, output, context);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (output === undefined || code === undefined) throw error;
    throw new InputError(`cannot write the output (${code})`, { file: output });
  }
}

function hasGroups(config: JsonObject): boolean {
  return Array.isArray(config['groups']) && config['groups'].length > 0;
}

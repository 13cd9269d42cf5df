import { compileOutcomeClasses, type OutcomeClassConfig, type OutcomeClassPolicy } from '../reconcile/classify-outcome.js';
import type { StatusMapping } from '../schemas/fanout-config-keys.js';
import { defineFanoutConfigSchema } from '../schemas/define-fanout-config-schema.js';
import { isFanoutConfig } from '../schemas/is-fanout-config.js';
import { checkWithSchema } from '../../util/check-with-schema.js';
import { CONFIG_SCHEMA, GENERIC_FANOUT_RECONCILE_RECONCILIATION_SCHEMA, GENERIC_FANOUT_RECONCILE_SUCCESS_STATUSES, PLAN_SCHEMA, RESULT_SCHEMA } from '../schemas/fanout-schema-ids.js';
import type { FanoutSources } from './fanout-sources.js';
import { sourceName } from './fanout-sources.js';
import { isPlainObject, type JsonObject } from '../../util/is-plain-object.js';
import { parseDotPath } from '../json/parse-dot-path.js';

/**
 * A validated config with its aliases resolved and its defaults applied. Aliases are resolved in
 * the reference's order, first truthy value wins (so `runtime` beats `runtime_execution`).
 */
export interface CompiledFanoutConfig {
  /** The config as given; templates read it as `{{config.<path>}}`. */
  readonly raw: JsonObject;
  readonly source: string;
  readonly schema: string;
  readonly orchestrator: JsonObject;
  readonly items: readonly unknown[] | undefined;
  readonly groups: readonly unknown[] | undefined;
  /** One or more parsed dot paths; their non-empty values are joined with ":". */
  readonly groupKeyPaths: readonly (readonly string[])[];
  readonly taskRequestTemplate: JsonObject;
  /** The key the template came from, for error messages. */
  readonly taskRequestTemplateKey: string;
  readonly runtime: unknown;
  readonly planSchema: string;
  readonly summary: JsonObject;
  readonly reconciliationSchema: string;
  readonly successStatuses: ReadonlySet<string>;
  readonly outcomePath: readonly string[];
  readonly resultSchema: string;
  readonly baseRun: JsonObject;
  readonly includeSummary: boolean;
  /** `undefined` when the config does not say; callers pick their own default. */
  readonly statusMapping: StatusMapping | undefined;
  readonly outcomeClasses: OutcomeClassPolicy;
}

export function compileFanoutConfig(config: unknown, sources?: FanoutSources): CompiledFanoutConfig {
  const source = sourceName(sources, 'config');
  const raw = (config ?? {}) as JsonObject;
  checkWithSchema(isFanoutConfig, defineFanoutConfigSchema, raw, source);
  const template = pick(raw, ['task_request_template', 'taskRequestTemplate']);
  const groupKeyPath = pick(raw, ['group_key_path', 'groupKeyPath', 'group_by', 'groupBy']).value as string | string[] | undefined;
  const successStatuses = raw['success_statuses'] as string[] | undefined;
  return {
    raw,
    source,
    schema: stringOr(pick(raw, ['schema']).value, CONFIG_SCHEMA),
    orchestrator: objectOr(raw['orchestrator']),
    items: raw['items'] as unknown[] | undefined,
    groups: raw['groups'] as unknown[] | undefined,
    groupKeyPaths: (Array.isArray(groupKeyPath) ? groupKeyPath : [groupKeyPath ?? 'group_key']).map(parseDotPath),
    taskRequestTemplate: objectOr(template.value),
    taskRequestTemplateKey: template.key ?? 'task_request_template',
    runtime: pick(raw, ['runtime', 'runtime_execution', 'runtimeExecution', 'executor']).value,
    planSchema: stringOr(pick(raw, ['plan_schema', 'planSchema']).value, PLAN_SCHEMA),
    summary: objectOr(raw['summary']),
    reconciliationSchema: stringOr(pick(raw, ['reconciliation_schema', 'reconciliationSchema']).value, GENERIC_FANOUT_RECONCILE_RECONCILIATION_SCHEMA),
    successStatuses: new Set(successStatuses?.map((status) => status.trim()) ?? GENERIC_FANOUT_RECONCILE_SUCCESS_STATUSES),
    outcomePath: parseDotPath(stringOr(pick(raw, ['outcome_path', 'outcomePath']).value, 'outcome')),
    resultSchema: stringOr(pick(raw, ['result_schema', 'resultSchema']).value, RESULT_SCHEMA),
    baseRun: objectOr(raw['base_run']),
    includeSummary: raw['include_summary'] !== false,
    statusMapping: pick(raw, ['status_mapping', 'statusMapping']).value as StatusMapping | undefined,
    outcomeClasses: compileOutcomeClasses(raw['outcome_classes'] as OutcomeClassConfig | undefined),
  };
}

function pick(raw: JsonObject, keys: readonly string[]): { key: string | undefined; value: unknown } {
  for (const key of keys) {
    const value = Object.hasOwn(raw, key) ? raw[key] : undefined;
    if (value) return { key, value };
  }
  return { key: undefined, value: undefined };
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' && value !== '' ? value : fallback;
}

function objectOr(value: unknown): JsonObject {
  return isPlainObject(value) ? value : {};
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/run-cli.js';

/**
 * The public surface, pinned (ARCHITECTURE.md habit 6, issue 11): every name each entry point of
 * package.json "exports" gives users, values and types alike. Adding, removing or renaming one
 * fails here on purpose — update the list in the same change, and say so in CHANGELOG.md, since
 * it is a promise to (or a break for) users.
 */
const PINNED: Record<string, { values: string[]; types: string[] }> = {
  '.': {
    values: [
      'DEFAULT_LIMITS', 'DEFAULT_MAX_ATTEMPTS', 'DEFAULT_STATE_DIR_NAME', 'DroverError', 'ExitCode', 'FileStore', 'InputError',
      'MemoryStore', 'QUEUE_TOOL_NAMES', 'RunQueue', 'StateWriteError', 'TERMINAL_STATUSES', 'UsageError', 'claudeCodeAgent',
      'codexAgent', 'commandAgent', 'createToolSession', 'drainQueue', 'exitCodeFor', 'functionAgent', 'isDroverError',
      'isStateWriteError', 'isTerminal', 'nodeStateFs', 'runExitCode', 'runFanoutPlan', 'runIntegrate', 'runSession', 'statePaths',
      'stubAgent'
    ],
    types: [
      'AgentContext', 'AgentHints', 'AgentRuntime', 'AttemptEnd', 'AttemptWorkspace', 'BatchEnqueue', 'Caller', 'CliAgentOptions', 'CommandAgentOptions',
      'CompleteTaskInput', 'Detected', 'DrainOptions', 'DrainResult', 'DroverErrorCode', 'EnqueuePolicy', 'EnqueueRequest',
      'EnqueueTaskInput', 'EnqueuedBy', 'FileStoreOptions', 'Handoff', 'HandoffCopyFs', 'HandoffInput', 'PreparedTask',
      'ProgramDefinition', 'QueueEvent', 'QueueEventName', 'QueueLimits', 'QueueListener', 'QueueOperations', 'QueueState',
      'QueueToolName', 'ReadHandoffsInput', 'ResumeMode', 'RunEndInfo', 'RunFanoutPlanOptions', 'RunFanoutPlanResult', 'RunIdentity',
      'RunIntegrateOptions', 'RunMeta', 'RunObserver', 'RunStartInfo', 'RunStatus', 'SeedContext', 'SessionOptions', 'SessionResult',
      'StagedListener', 'StateFile', 'StateFs', 'StatePaths', 'Store', 'StoredRun', 'StubAgentOptions', 'Task', 'TaskError',
      'TaskStatus', 'ToolOutcome', 'ToolSession', 'Verdict'
    ],
  },
  './queue': {
    values: [
      'DEFAULT_LIMITS', 'DEFAULT_MAX_ATTEMPTS', 'TASK_ID_PATTERN', 'TERMINAL_STATUSES', 'ancestors', 'applyEvent', 'canonicalJson',
      'computeVerdict', 'decideBlocked', 'decideCancel', 'decideEnqueue', 'decideRetry', 'dooms', 'emptyQueueState', 'isTerminal',
      'readyTasks', 'restoreQueueState', 'satisfies', 'stageCancel', 'stoppedVerdict', 'takeReady', 'toSnapshot'
    ],
    types: [
      'ActionActor', 'BlockDecision', 'CancelDecision', 'Detected', 'EnqueueDecision', 'EnqueuePolicy', 'EnqueueRequest', 'EnqueuedBy',
      'GuardName', 'GuardTrippedEvent', 'Handoff', 'QueueEvent', 'QueueEventDraft', 'QueueEventName', 'QueueLimits', 'QueueSnapshot',
      'QueueState', 'RetryDecision', 'RunCancelRequestedEvent', 'RunEndInfo', 'RunFinishVerdict', 'RunFinishedEvent', 'RunMeta',
      'RunObserver', 'RunResumedEvent', 'RunSeededEvent', 'RunStartInfo', 'RunStartedEvent', 'RunStatus', 'Task', 'TaskBlockedEvent',
      'TaskCompletedEvent', 'TaskEnqueuedEvent', 'TaskError', 'TaskFailedEvent', 'TaskRequeuedEvent', 'TaskRetriedEvent',
      'TaskSkippedEvent', 'TaskStartedEvent', 'TaskStatus', 'Verdict'
    ],
  },
  './testing': {
    values: [
      'MemoryStore', 'QueueBuilder', 'TEST_POLICY', 'functionAgent', 'memoryLocation'
    ],
    types: [
      'MemoryLocation'
    ],
  },
  './fanout': {
    values: [
      'AGENT_TASK_FANOUT_AGGREGATE_SCHEMA', 'AGENT_TASK_FANOUT_PLAN_SCHEMA', 'CONFIG_SCHEMA',
      'DEFAULT_FINDING_PACKET_TASK_REQUEST_TEMPLATE', 'FANOUT_RECONCILE_PLAN_SCHEMA', 'FANOUT_RECONCILE_RECORD_STATUSES',
      'FINDING_PACKET_CONFIG_SCHEMA', 'GENERIC_FANOUT_RECONCILE_CONFIG_SCHEMA', 'GENERIC_FANOUT_RECONCILE_RECONCILIATION_SCHEMA',
      'GENERIC_FANOUT_RECONCILE_RESULT_SCHEMA', 'GENERIC_FANOUT_RECONCILE_SUCCESS_STATUSES',
      'GENERIC_FINDING_PACKET_FANOUT_CONFIG_SCHEMA', 'OUTCOME_CLASSES', 'PLAN_SCHEMA', 'RESULT_SCHEMA', 'STATUS_MAPPINGS', 'compileTemplate',
      'createFanoutPlanner', 'createFanoutReconciler', 'createFindingPacketFanoutPlan', 'createFindingPacketReconcileInput', 'createGenericFanoutReconcilePlan',
      'createGenericFanoutReconcileResult', 'fanoutConfigSchema', 'fanoutJsonSchemas', 'fanoutPlanInputSchema', 'fanoutPlanSchema',
      'fanoutResultSchema', 'findingPolicySchema', 'groupFindingPacketItems', 'materializeFindingPacketFanoutConfig',
      'normalizeFindingPacketItems', 'normalizeFindingPolicy', 'planFanout', 'projectAgentTaskFanoutPlan', 'reconcileFanout',
      'renderTemplate'
    ],
    types: [
      'CompiledTemplate', 'DuplicateRecord', 'FanoutConfigInput', 'FanoutGroup', 'FanoutPlan', 'FanoutPlanGroup', 'FanoutPlanSummary',
      'FanoutPlanner', 'FanoutPlannerInput', 'FanoutPlannerOptions', 'FanoutReconciler', 'FanoutReconcilerInput', 'FanoutReconcilerOptions',
      'FanoutReconciliation', 'FanoutResult', 'FanoutRunStatus', 'FanoutSources', 'FanoutTaskRequest', 'FindingPacketItem',
      'FindingPacketReconcileInput', 'FindingPolicy', 'FindingPolicyInput', 'JsonObject', 'MaterializedFindingPacketFanout',
      'NoChangeTask', 'OutcomeClass', 'PlanFanoutInput', 'PlanFanoutOptions', 'ReconcileFanoutInput', 'ReconcileFanoutOptions', 'StatusMapping', 'TemplateContext',
      'UnmatchedReason', 'UnmatchedRecord'
    ],
  },
  './telemetry': {
    values: [
      'DEFAULT_POSTHOG_HOST', 'RunMetricsTracker', 'TELEMETRY_EVENT_NAMES', 'anonymousDistinctId', 'createJsonlSink',
      'createOtelSpanObserver', 'createPostHogSink', 'createTelemetryObserver', 'eventTimeMs', 'queueEventToTelemetry',
      'resolvePostHogConfig', 'runEndToTelemetry', 'runStartToTelemetry'
    ],
    types: [
      'BeginOptions', 'EventTiming', 'JsonlSink', 'JsonlSinkOptions', 'OtelSpanObserver', 'OtelSpanObserverOptions', 'PostHogConfig',
      'PostHogSink', 'PostHogSinkOptions', 'RunMetrics', 'TelemetryContext', 'TelemetryEvent', 'TelemetryEventName',
      'TelemetryObserver', 'TelemetryObserverOptions', 'TelemetryProperties', 'TelemetryValue'
    ],
  },
};

/** The source file behind an "exports" entry (`./dist/x/index.js` is built from `src/x/index.ts`). */
function sourceOf(entry: string): string {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { exports: Record<string, { default: string }> };
  return join(REPO_ROOT, pkg.exports[entry]!.default.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts'));
}

/** Every exported name of each file, split into values (present at run time) and types only. */
function exportsOf(files: string[]): Map<string, { values: string[]; types: string[] }> {
  const program = ts.createProgram(files, { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, strict: true, skipLibCheck: true, noEmit: true, jsx: ts.JsxEmit.ReactJSX });
  const checker = program.getTypeChecker();
  const result = new Map<string, { values: string[]; types: string[] }>();
  for (const file of files) {
    const source = program.getSourceFile(file)!;
    const values: string[] = [];
    const types: string[] = [];
    for (const symbol of checker.getExportsOfModule(checker.getSymbolAtLocation(source)!)) {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      const typeOnly = symbol.declarations?.some((declaration) => ts.isTypeOnlyImportOrExportDeclaration(declaration)) === true;
      (!typeOnly && target.flags & ts.SymbolFlags.Value ? values : types).push(symbol.name);
    }
    result.set(file, { values: values.sort(), types: types.sort() });
  }
  return result;
}

describe('the public API', () => {
  it('package.json "exports" has exactly the pinned entry points', () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
    expect(Object.keys(pkg.exports).filter((entry) => entry !== './package.json').sort()).toEqual(Object.keys(PINNED).sort());
  });

  it('each entry point exports exactly its pinned names', () => {
    const entries = Object.keys(PINNED);
    const found = exportsOf(entries.map(sourceOf));
    const actual = Object.fromEntries(entries.map((entry) => [entry, found.get(sourceOf(entry))]));
    if (process.env.DROVER_PRINT_API === '1') process.stdout.write(`${JSON.stringify(actual)}\n`);
    expect(actual).toEqual(PINNED);
  });
});

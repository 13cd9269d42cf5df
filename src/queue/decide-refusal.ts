import type { GuardName } from './events.js';

/** What a refusal may write to the log: the caller's input is echoed in messages, so it is cut. */
export const MAX_GUARD_MESSAGE = 600;
export const MAX_GUARD_TYPE = 64;

export interface RefusalDecision {
  /** The guard the caller is answered with: `refusal-budget` once past the budget. */
  readonly guard: GuardName;
  readonly message: string;
  /** Whether this refusal is recorded as `guard-tripped`: each one up to the budget, and the first past it. */
  readonly log: boolean;
  readonly type?: string;
}

/**
 * The refusal budget (the same rule as `RunQueue`): `count` is this refusal's number within
 * the attempt (or the seed step). Up to `budget` each is logged as itself, cut short; the one
 * past it is logged once as `refusal-budget` (the attempt then ends as a runaway); later ones
 * are answered the same way but no longer logged, so an agent in a loop cannot grow the log.
 */
export function decideRefusal(count: number, budget: number, callerKind: 'orchestrator' | 'task', guard: GuardName, message: string, type?: string): RefusalDecision {
  const cutType = type === undefined ? {} : { type: cut(type, MAX_GUARD_TYPE) };
  if (count <= budget) return { guard, message: cut(message, MAX_GUARD_MESSAGE), log: true, ...cutType };
  const text = `Too many refused calls: this ${callerKind === 'task' ? 'attempt' : 'seed step'} made ${count} (the limit is ${budget}), so it is being stopped as a runaway agent. Stop calling tools.`;
  return { guard: 'refusal-budget', message: text, log: count === budget + 1, ...cutType };
}

/** The error an attempt that went past its refusal budget ends with. */
export function runawayMessage(budget: number): string {
  return `runaway agent: more than ${budget} of its tool calls in this attempt were refused, so it was stopped`;
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

import { createHash, randomUUID } from 'node:crypto';

/**
 * The PostHog `distinct_id` for a run: a digest of the run id, so every process session of one
 * run (a resume included) is one anonymous actor, and nothing about the user or the machine
 * goes into it. Without a run id it is random.
 */
export function anonymousDistinctId(runId: string): string {
  if (runId === '') return `drover-${randomUUID()}`;
  return `drover-${createHash('sha256').update(`drover-run:${runId}`).digest('hex').slice(0, 32)}`;
}

import { ExitCode } from '../errors/exit-codes.js';
import type { RunEndInfo } from '../queue/run-observer.js';

/** SPEC exit codes for a run: 0 done, 1 failed or blocked, 5 cancelled on request, 130 interrupted (resumable). */
export function runExitCode(verdict: RunEndInfo['verdict']): number {
  switch (verdict.status) {
    case 'done':
      return ExitCode.ok;
    case 'interrupted':
      return ExitCode.interrupted;
    case 'cancelled':
      return ExitCode.cancelled;
    case 'failed':
    case 'blocked':
    case 'incomplete':
      return ExitCode.failed;
  }
}

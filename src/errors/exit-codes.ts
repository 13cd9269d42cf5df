import type { DroverErrorCode } from './drover-error.js';

/** The exit codes of every drover command (SPEC "Exit codes"). */
export const ExitCode = {
  ok: 0,
  failed: 1,
  badInput: 2,
  locked: 3,
  /** The state directory could not be written (full disk, read-only, permission denied): nothing was lost, the run resumes once it can write again. */
  stateUnwritable: 4,
  /** The run was cancelled on request (from the dashboard): its running attempts were given back; `--resume` continues it. */
  cancelled: 5,
  interrupted: 130,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export function exitCodeFor(code: DroverErrorCode): ExitCode {
  switch (code) {
    case 'usage':
    case 'input-invalid':
    case 'state-corrupt':
      return ExitCode.badInput;
    case 'state-locked':
      return ExitCode.locked;
    case 'state-unwritable':
      return ExitCode.stateUnwritable;
    case 'interrupted':
      return ExitCode.interrupted;
    case 'guard':
    case 'tool-denied':
    case 'internal':
      return ExitCode.failed;
  }
}

import { DroverError } from './drover-error.js';

/** Plain words for the errno codes a full, read-only or foreign state directory produces. */
const CAUSES: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EIO: 'input/output error',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  EFBIG: 'file too large',
  ENOTDIR: 'a path component is not a directory',
  EISDIR: 'is a directory',
  ELOOP: 'is a symbolic link',
};

/**
 * drover could not persist part of a run: a full disk, a read-only or foreign state directory.
 * It is never an agent's failure, so it never costs an attempt; the run stops cleanly (exit 4)
 * and resumes once the state directory can be written again.
 */
export class StateWriteError extends DroverError {
  readonly path: string;
  readonly errno: string | undefined;

  constructor(path: string, cause: unknown, verb = 'could not write') {
    const errno = (cause as NodeJS.ErrnoException | undefined)?.code;
    const reason = errno !== undefined && CAUSES[errno] !== undefined ? `${CAUSES[errno]} (${errno})` : firstLine(cause);
    super('state-unwritable', `${path}: ${verb}: ${reason}`, { cause });
    this.name = 'StateWriteError';
    this.path = path;
    this.errno = errno;
  }
}

export function isStateWriteError(value: unknown): value is StateWriteError {
  return value instanceof StateWriteError;
}

/** Wraps an I/O failure on `path` (a StateWriteError passes through unchanged). */
export function stateWriteError(path: string, cause: unknown, verb?: string): StateWriteError {
  return cause instanceof StateWriteError ? cause : new StateWriteError(path, cause, verb);
}

function firstLine(cause: unknown): string {
  const text = cause instanceof Error ? cause.message : String(cause);
  return text.split('\n')[0] ?? text;
}

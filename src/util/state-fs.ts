import { constants } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';

/** An open file in the state directory: the few operations drover's writers use. */
export interface StateFile {
  write(data: string | Uint8Array): Promise<unknown>;
  datasync(): Promise<void>;
  sync(): Promise<void>;
  /** Through the open handle, never by path: a link planted at the path later is not followed. */
  truncate(length: number): Promise<void>;
  stat(): Promise<{ readonly size: number }>;
  close(): Promise<void>;
}

/**
 * The I/O boundary of everything drover writes into a state directory. Production uses
 * `nodeStateFs`; tests pass a wrapper that fails chosen calls (ENOSPC on the third write, EROFS on
 * a rename) to prove that each write failure stops a run cleanly. Flags are numeric so callers can
 * add O_NOFOLLOW: nothing in the state directory is ever opened through a symbolic link.
 */
export interface StateFs {
  open(path: string, flags: number, mode?: number): Promise<StateFile>;
  rename(from: string, to: string): Promise<void>;
  /** Creates one directory (not its parents); resolves if it already exists. */
  mkdir(path: string): Promise<void>;
  rm(path: string): Promise<void>;
}

export const nodeStateFs: StateFs = {
  open: (path, flags, mode) => open(path, flags, mode),
  rename: (from, to) => rename(from, to),
  mkdir: async (path) => {
    await mkdir(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  },
  rm: (path) => rm(path, { force: true }),
};

/** O_NOFOLLOW where the platform has it (every platform Node supports except Windows). */
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;

/** Open flags for appending to a state file, never through a link. */
export const APPEND_FLAGS = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | NOFOLLOW;
/** Open flags for a fresh temp file: O_EXCL refuses an existing file or link at that path. */
export const CREATE_NEW_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NOFOLLOW;
/** Open flags for reading a state file, never through a link. */
export const READ_FLAGS = constants.O_RDONLY | NOFOLLOW;

import { nodeStateFs, type StateFile, type StateFs } from '../../src/util/state-fs.js';

export type FsOp = 'open' | 'write' | 'sync' | 'rename' | 'mkdir' | 'truncate';

/**
 * A `StateFs` that fails chosen calls with a real-looking errno error (ENOSPC by default), at
 * the I/O boundary drover writes through — no global patching of node:fs.
 */
export function faultyFs(fails: (op: FsOp, path: string) => boolean, code = 'ENOSPC'): StateFs {
  const fault = (op: FsOp, path: string): void => {
    if (fails(op, path)) throw Object.assign(new Error(`${code}: injected failure, ${op} '${path}'`), { code, syscall: op, path });
  };
  return {
    async open(path, flags, mode) {
      fault('open', path);
      const file = await nodeStateFs.open(path, flags, mode);
      const wrapped: StateFile = {
        write: async (data) => {
          fault('write', path);
          return file.write(data);
        },
        datasync: async () => {
          fault('sync', path);
          return file.datasync();
        },
        sync: async () => {
          fault('sync', path);
          return file.sync();
        },
        truncate: async (length) => {
          fault('truncate', path);
          return file.truncate(length);
        },
        stat: () => file.stat(),
        close: () => file.close(),
      };
      return wrapped;
    },
    async rename(from, to) {
      fault('rename', to);
      return nodeStateFs.rename(from, to);
    },
    async mkdir(path) {
      fault('mkdir', path);
      return nodeStateFs.mkdir(path);
    },
    rm: (path) => nodeStateFs.rm(path),
  };
}

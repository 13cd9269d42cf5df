import { lstat, open, readlink, realpath, stat, type FileHandle } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { CliContext } from './cli-context.js';
import { jsonChunks } from './json-chunks.js';
import { writeFileAtomicWith } from '../util/write-file-atomic.js';

/** Output is gathered into pieces of about this size before each write. */
const FLUSH_CHARS = 1 << 20;

/**
 * Writes a JSON document (pretty, newline-terminated) as it is serialised, to:
 * - stdout, without `output` or with `-`; `/dev/stdout` and `/dev/stderr` (and their /dev/fd and
 *   /proc/self/fd names) are the command's own streams, which may be sockets that cannot be opened;
 * - a FIFO, a device or a socket (`/dev/stdout`, `/dev/null`, a named pipe), or any path under
 *   /dev, directly: such a file cannot be replaced, only written;
 * - otherwise atomically: a temp file beside the target, fsynced, renamed over it. A symlink is
 *   followed first (dangling ones too), so the link stays and its target gets the new content.
 */
export async function writeJsonOutput(value: unknown, output: string | undefined, context: CliContext): Promise<void> {
  const stream = output === undefined ? context.stdout : standardStream(output, context);
  if (stream !== undefined || output === undefined) {
    await writeChunks(value, (text) => writeStream(stream ?? context.stdout, text));
    return;
  }
  const info = await statOrUndefined(output);
  if (info?.isDirectory() === true) throw Object.assign(new Error(`${output} is a directory`), { code: 'EISDIR' });
  if (info !== undefined && (!info.isFile() || resolve(output).startsWith('/dev/'))) {
    const handle = await open(output, 'w');
    try {
      await writeChunks(value, (text) => writeHandle(handle, text));
    } finally {
      await handle.close();
    }
    return;
  }
  await writeAtomic(info === undefined ? await followDanglingLinks(output) : await realpath(output), value);
}

const STANDARD_STREAMS: ReadonlyMap<string, 'stdout' | 'stderr'> = new Map([
  ['-', 'stdout'],
  ['/dev/stdout', 'stdout'],
  ['/dev/fd/1', 'stdout'],
  ['/proc/self/fd/1', 'stdout'],
  ['/dev/stderr', 'stderr'],
  ['/dev/fd/2', 'stderr'],
  ['/proc/self/fd/2', 'stderr'],
]);

function standardStream(output: string, context: CliContext): NodeJS.WritableStream | undefined {
  const which = STANDARD_STREAMS.get(output);
  return which === undefined ? undefined : context[which];
}

async function writeAtomic(file: string, value: unknown): Promise<void> {
  await writeFileAtomicWith(file, (handle) => writeChunks(value, (text) => writeHandle(handle, text)));
}

async function writeChunks(value: unknown, write: (text: string) => Promise<void>): Promise<void> {
  let pending = '';
  for (const chunk of jsonChunks(value)) {
    // Plain pieces stay synchronous (an await per piece costs a microtask each); a lazy array is
    // awaited piece by piece and flushed as it goes, so it is never held whole.
    if (typeof chunk === 'string') {
      pending += chunk;
      if (pending.length < FLUSH_CHARS) continue;
      await write(pending);
      pending = '';
      continue;
    }
    for await (const piece of chunk) {
      pending += piece;
      if (pending.length < FLUSH_CHARS) continue;
      await write(pending);
      pending = '';
    }
  }
  if (pending !== '') await write(pending);
}

async function writeHandle(handle: FileHandle, text: string): Promise<void> {
  await handle.write(text);
}

function writeStream(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((done, fail) => {
    const onError = (error: Error) => fail(error);
    stream.once('error', onError);
    const flushed = stream.write(text);
    const finish = () => {
      stream.removeListener('error', onError);
      done();
    };
    if (flushed) finish();
    else stream.once('drain', finish);
  });
}

async function statOrUndefined(file: string): Promise<Stats | undefined> {
  try {
    return await stat(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Where a path that does not exist yet should be created: the end of its (dangling) link chain. */
async function followDanglingLinks(file: string): Promise<string> {
  let current = resolve(file);
  for (let hops = 0; hops < 40; hops++) {
    let info: Stats;
    try {
      info = await lstat(current);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return current;
      throw error;
    }
    if (!info.isSymbolicLink()) return current;
    current = resolve(dirname(current), await readlink(current));
  }
  throw Object.assign(new Error(`${file}: too many symbolic links`), { code: 'ELOOP' });
}

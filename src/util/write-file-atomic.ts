import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Writes a file so that readers see either the old or the new content, never a torn one:
 * write a temp file beside it, fsync, rename over the target. With `durable` the directory is
 * fsynced too, so the rename itself survives a power cut.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array, options: { durable?: boolean } = {}): Promise<void> {
  await writeFileAtomicWith(file, (handle) => handle.writeFile(data), options);
}

/** `writeFileAtomic` for content written piece by piece (a streamed JSON document): `fill` writes the temp file. */
export async function writeFileAtomicWith(file: string, fill: (handle: FileHandle) => Promise<void>, options: { durable?: boolean } = {}): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  const handle = await open(temp, 'wx');
  try {
    await fill(handle);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  await rename(temp, file);
  if (options.durable === true) await syncDirectory(dirname(file));
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

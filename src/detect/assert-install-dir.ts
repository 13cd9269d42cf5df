import { statSync } from 'node:fs';
import { InputError } from '../errors/input-error.js';

/** Fails with one actionable line when `--install-dir` is missing or not a directory. */
export function assertInstallDir(installDir: string): void {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(installDir).isDirectory();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(code === 'ENOENT' ? 'install directory not found' : `cannot read install directory (${code ?? 'unknown error'})`, { file: installDir });
  }
  if (!isDirectory) throw new InputError('is not a directory, expected the project to inspect', { file: installDir });
}

/**
 * Every error drover raises on purpose carries a stable `code`. The CLI maps codes to exit
 * codes once (`exitCodeFor`), and the agent tools map them to tool errors, so no caller has to
 * parse messages.
 */
export type DroverErrorCode =
  | 'usage'
  | 'input-invalid'
  | 'state-locked'
  | 'state-corrupt'
  | 'state-unwritable'
  | 'interrupted'
  | 'guard'
  | 'tool-denied'
  | 'internal';

export class DroverError extends Error {
  readonly code: DroverErrorCode;

  constructor(code: DroverErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DroverError';
    this.code = code;
  }
}

export function isDroverError(value: unknown): value is DroverError {
  return value instanceof DroverError;
}

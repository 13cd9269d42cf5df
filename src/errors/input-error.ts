import { DroverError } from './drover-error.js';

/**
 * Bad input from a file, a flag or a wire. The message is one line a user can act on:
 * `items.json: $.items[3].category: expected string, got number`.
 */
export class InputError extends DroverError {
  readonly file: string | undefined;
  readonly jsonPath: string | undefined;

  constructor(detail: string, where: { file?: string | undefined; jsonPath?: string | undefined } = {}) {
    super('input-invalid', formatInputMessage(detail, where));
    this.name = 'InputError';
    this.file = where.file;
    this.jsonPath = where.jsonPath;
  }
}

function formatInputMessage(detail: string, where: { file?: string | undefined; jsonPath?: string | undefined }): string {
  const parts: string[] = [];
  if (where.file !== undefined) parts.push(where.file);
  if (where.jsonPath !== undefined) parts.push(where.jsonPath);
  parts.push(detail);
  return parts.join(': ');
}

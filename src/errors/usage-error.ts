import { DroverError } from './drover-error.js';

/** A command line that cannot be acted on: unknown flag, missing value, flags that exclude each other. */
export class UsageError extends DroverError {
  constructor(message: string) {
    super('usage', message);
    this.name = 'UsageError';
  }
}

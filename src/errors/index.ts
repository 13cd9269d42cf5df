export { DroverError, isDroverError, type DroverErrorCode } from './drover-error.js';
export { InputError } from './input-error.js';
export { UsageError } from './usage-error.js';
export { ExitCode, exitCodeFor } from './exit-codes.js';

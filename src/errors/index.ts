export { DroverError, isDroverError, type DroverErrorCode } from './drover-error.js';
export { InputError } from './input-error.js';
export { UsageError } from './usage-error.js';
export { ExitCode, exitCodeFor } from './exit-codes.js';
export { StateWriteError, isStateWriteError, stateWriteError } from './state-write-error.js';

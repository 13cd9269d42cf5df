export type * from './backend.js';
export { ARTIFACT_LOG_TAIL_BYTES } from './backend.js';
export { LocalBackend, type LocalBackendOptions, StateDirReader, type StateDirReaderOptions } from './local/index.js';

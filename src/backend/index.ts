export type * from './backend.js';
export { LocalBackend, type LocalBackendOptions, StateDirReader, type StateDirReaderOptions } from './local/index.js';

export { LocalBackend, type LocalBackendOptions } from './local-backend.js';
export { StateDirReader, type StateDirReaderOptions } from './state-dir-reader.js';
export { StateDirActions, type StateDirActionsOptions } from './state-dir-actions.js';

export type { Store, StoredRun } from './store.js';
export { FileStore, type FileStoreOptions } from './file/file-store.js';
export { MemoryStore, memoryLocation, type MemoryLocation } from './memory/memory-store.js';
export { recoverState } from './recover-state.js';
export { nodeStateFs, type StateFs, type StateFile } from '../util/state-fs.js';

export type * from './backend.js';
export { LocalBackend, type LocalBackendOptions } from './local/index.js';

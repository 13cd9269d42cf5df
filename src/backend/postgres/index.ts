export { PostgresBackend, type PostgresBackendOptions } from './postgres-backend.js';

export { PostgresBackend, type PostgresBackendOptions } from './postgres-backend.js';
export { DatabaseUnreachableError, isDatabaseUnreachableError, type DatabaseRetry } from './database-retry.js';

export { DEFAULT_MAX_GIVE_BACKS, PostgresBackend, poolSizeFor, queryTimeoutFor, type PostgresBackendOptions } from './postgres-backend.js';
export { DatabaseUnreachableError, isDatabaseUnreachableError, type DatabaseRetry } from './database-retry.js';

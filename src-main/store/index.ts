/**
 * The store's public entry: open the SQLite store, and find where it lives by default. Callers
 * program against the Store interface (store.ts); the SQLite files behind it are private.
 */
export type {
  RunPatch,
  RunRecord,
  StepRange,
  Store,
  WeightsCheckpoint,
} from './store';
export { openSqliteStore } from './sqlite/open';
export { StoreOpenError, type StoreOpenFailure } from './sqlite/errors';
export { SCHEMA_VERSION } from './sqlite/schema';
export { ABANDONED_RUN_ERROR } from './sqlite/sqlite-store';
export { appDataDir, databasePath, defaultDatabasePath } from './paths';

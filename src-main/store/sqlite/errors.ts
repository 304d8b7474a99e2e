/** Why a file could not be opened as the Scorebench store. In every case the file is left as it was. */
export type StoreOpenFailure =
  /** Not a SQLite database at all. */
  | 'not-sqlite'
  /** A SQLite database, but another application's (no Scorebench application_id, not empty). */
  | 'foreign'
  /** A Scorebench database whose schema is newer than this code knows. */
  | 'newer-schema'
  /** The file, or the folder it is in (where SQLite keeps its log), cannot be written. */
  | 'read-only'
  /** An older Scorebench database that needs migrating, whose backup copy could not be written. */
  | 'backup-failed';

export class StoreOpenError extends Error {
  constructor(
    readonly reason: StoreOpenFailure,
    readonly file: string,
    message: string,
  ) {
    super(message);
    this.name = 'StoreOpenError';
  }
}

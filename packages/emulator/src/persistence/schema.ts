/**
 * Versioned SQLite files. Each file records its schema in `PRAGMA user_version`; opening one runs the
 * migrations from its version to this release's in one transaction, and a file from a newer release is
 * refused before anything is written to it (a downgrade must never rewrite data it does not understand).
 */
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import Database from 'better-sqlite3';

/** Exit code of the CLIs when the data directory was written by a newer release. */
export const SCHEMA_TOO_NEW_EXIT_CODE = 3;

export class SchemaTooNewError extends Error {
  readonly exitCode = SCHEMA_TOO_NEW_EXIT_CODE;
  constructor(
    readonly file: string,
    readonly found: number,
    readonly supported: number,
  ) {
    super(
      `${file} has schema version ${found}, written by a newer release than this one (which reads up to ` +
        `version ${supported}). It was left untouched: run the newer release, or use another data directory.`,
    );
    this.name = 'SchemaTooNewError';
  }
}

export interface VersionedSchema {
  /** What the file holds, for messages. */
  name: string;
  /** This release's version. */
  current: number;
  /**
   * The version of a file that predates user_version (0 on disk) but has tables: the first release
   * wrote no version. Undefined when every release of this file recorded one.
   */
  unversioned?: (db: Database.Database) => number | undefined;
  /** Page size of a new file (SQLite's default, 4096, when unset); it cannot change once written. */
  pageSize?: number;
  /** migrations[v] takes a file from version v - 1 to v; migrations[1] creates the schema from nothing. */
  migrations: Record<number, (db: Database.Database) => void>;
}

/** The schema version stored in a file, without writing to it (0: new or empty). */
export function storedVersion(db: Database.Database, schema: VersionedSchema): number {
  const v = db.pragma('user_version', { simple: true }) as number;
  if (v !== 0) return v;
  return schema.unversioned?.(db) ?? 0;
}

/**
 * Opens `file` at this release's schema: refuses a newer one (SchemaTooNewError) before any write,
 * then migrates in one transaction. Returns the version found and the database, in WAL mode.
 */
export function openVersioned(
  file: string,
  schema: VersionedSchema,
): { db: Database.Database; from: number; migrated: boolean } {
  refuseNewer(file, schema);
  const db = new Database(file);
  try {
    const from = storedVersion(db, schema);
    if (from > schema.current) throw new SchemaTooNewError(file, from, schema.current);
    if (from === 0 && schema.pageSize) db.pragma(`page_size = ${schema.pageSize}`);
    // WAL survives a killed process: a committed transaction is in the log before commit returns.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    // A file at this version that never recorded it (the first release wrote none) is stamped too.
    if (from < schema.current || (db.pragma('user_version', { simple: true }) as number) !== schema.current)
      db.transaction(() => {
        for (let v = from + 1; v <= schema.current; v++) {
          const step = schema.migrations[v];
          if (!step) throw new Error(`${schema.name}: no migration to schema version ${v}`);
          step(db);
        }
        db.pragma(`user_version = ${schema.current}`);
      })();
    return { db, from, migrated: from < schema.current };
  } catch (e) {
    db.close();
    throw e;
  }
}

/**
 * Throws SchemaTooNewError when `file` is from a newer release. Reads the header without SQLite: even a
 * read-only connection to a WAL file creates files beside it, and a refused data directory must be left
 * exactly as it was. Run for every file of a directory before opening any of them.
 */
export function refuseNewer(file: string, schema: VersionedSchema): void {
  const found = headerVersion(file);
  if (found !== undefined && found > schema.current) throw new SchemaTooNewError(file, found, schema.current);
}

/**
 * user_version from the file's header (offset 60), when the header is the whole truth: the file exists,
 * looks like SQLite and has no write-ahead log beside it (whose frames may hold a newer header).
 */
function headerVersion(file: string): number | undefined {
  if (!existsSync(file) || existsSync(`${file}-wal`)) return undefined;
  const fd = openSync(file, 'r');
  try {
    const header = Buffer.alloc(100);
    if (readSync(fd, header, 0, 100, 0) < 100) return undefined;
    if (header.subarray(0, 16).toString('latin1') !== 'SQLite format 3\0') return undefined;
    return header.readUInt32BE(60);
  } finally {
    closeSync(fd);
  }
}

/** Whether a table exists (for files that predate versioning). */
export function hasTable(db: Database.Database, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

/**
 * Where the simulation's rows live between runs: a SQLite file (committed before each response, so an
 * acknowledged change survives a crash), or nowhere with --in-memory.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import type { Change } from '@mfc/engine';
import { hasTable, openVersioned, type VersionedSchema } from './schema.js';

export interface StateStore {
  readonly kind: 'sqlite' | 'memory';
  /** Where the lifecycle rows live (undefined in memory). */
  readonly dataDir?: string;
  /** Whether the previous run ended with close() (false after a crash, or on a new store). */
  readonly cleanShutdown: boolean;
  load(): Change[];
  commit(changes: Change[]): void;
  clear(): void;
  close(): void;
}

export class MemoryStateStore implements StateStore {
  readonly kind = 'memory';
  readonly cleanShutdown = true;
  load(): Change[] {
    return [];
  }
  commit(): void {}
  clear(): void {}
  close(): void {}
}

export const LIFECYCLE_FILE = 'emulator.sqlite';

/**
 * The lifecycle file's versions. 1: the first release (rows only, no user_version on disk). 2: adds
 * store_info, which says which release wrote the file and whether its last run shut down cleanly.
 */
export const LIFECYCLE_SCHEMA: VersionedSchema = {
  name: 'lifecycle state',
  current: 2,
  unversioned: (db) => (hasTable(db, 'rows') ? 1 : undefined),
  migrations: {
    1: (db) =>
      db.exec(
        'CREATE TABLE IF NOT EXISTS rows (tbl TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (tbl, key)) WITHOUT ROWID',
      ),
    2: (db) => {
      db.exec('CREATE TABLE store_info (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID');
      // A file from the first release had no shutdown marker: treat its last run as clean.
      db.prepare("INSERT INTO store_info (key, value) VALUES ('clean_shutdown', '1')").run();
    },
  },
};

export class SqliteStateStore implements StateStore {
  readonly kind = 'sqlite';
  private db: Database.Database;
  private upsert: Database.Statement;
  private remove: Database.Statement;
  private writeAll: (changes: Change[]) => void;

  private setInfo: Database.Statement;
  readonly cleanShutdown: boolean;
  /** The schema version the file had before this release opened it. */
  readonly migratedFrom: number;

  constructor(readonly dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    const { db, from } = openVersioned(join(dataDir, LIFECYCLE_FILE), LIFECYCLE_SCHEMA);
    this.db = db;
    this.migratedFrom = from;
    this.setInfo = this.db.prepare(
      'INSERT INTO store_info (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
    const clean = this.db.prepare("SELECT value FROM store_info WHERE key = 'clean_shutdown'").get() as
      { value: string } | undefined;
    this.cleanShutdown = from === 0 || clean?.value === '1';
    // Until close() says otherwise, this run has not ended cleanly.
    this.setInfo.run('clean_shutdown', '0');
    this.upsert = this.db.prepare(
      'INSERT INTO rows (tbl, key, value) VALUES (?, ?, ?) ON CONFLICT (tbl, key) DO UPDATE SET value = excluded.value',
    );
    this.remove = this.db.prepare('DELETE FROM rows WHERE tbl = ? AND key = ?');
    this.writeAll = this.db.transaction((changes: Change[]) => {
      for (const c of changes)
        if (c.value === undefined) this.remove.run(c.table, c.key);
        else this.upsert.run(c.table, c.key, JSON.stringify(c.value));
    });
  }

  load(): Change[] {
    return (
      this.db.prepare('SELECT tbl, key, value FROM rows').all() as { tbl: string; key: string; value: string }[]
    ).map((r) => ({
      table: r.tbl,
      key: r.key,
      value: JSON.parse(r.value) as unknown,
    }));
  }

  commit(changes: Change[]): void {
    if (changes.length > 0) this.writeAll(changes);
  }

  clear(): void {
    this.db.exec('DELETE FROM rows');
  }

  close(): void {
    this.setInfo.run('clean_shutdown', '1');
    this.db.close();
  }
}

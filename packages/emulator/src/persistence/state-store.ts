/**
 * Where the simulation's rows live between runs: a SQLite file (committed before each response, so an
 * acknowledged change survives a crash), or nowhere with --in-memory.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Change } from '@mfc/engine';

export interface StateStore {
  readonly kind: 'sqlite' | 'memory';
  load(): Change[];
  commit(changes: Change[]): void;
  clear(): void;
  close(): void;
}

export class MemoryStateStore implements StateStore {
  readonly kind = 'memory';
  load(): Change[] {
    return [];
  }
  commit(): void {}
  clear(): void {}
  close(): void {}
}

export class SqliteStateStore implements StateStore {
  readonly kind = 'sqlite';
  private db: Database.Database;
  private upsert: Database.Statement;
  private remove: Database.Statement;
  private writeAll: (changes: Change[]) => void;

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    this.db = new Database(join(dataDir, 'emulator.sqlite'));
    // WAL survives a killed process: a committed transaction is in the log before commit returns.
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS rows (tbl TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (tbl, key)) WITHOUT ROWID',
    );
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
    this.db.close();
  }
}

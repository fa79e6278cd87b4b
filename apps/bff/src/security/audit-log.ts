/** The audit log: one SQLite row per mutation, in WAL mode, so it survives restarts and crashes. */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type Database from 'better-sqlite3';
import type { AuditEntry } from '@mfc/contracts';
import { hasTable, openVersioned, type VersionedSchema } from '@mfc/emulator';

/** The audit file's versions. 1: the first release's table (which wrote no user_version). */
export const AUDIT_SCHEMA: VersionedSchema = {
  name: 'audit log',
  current: 1,
  unversioned: (db) => (hasTable(db, 'audit') ? 1 : undefined),
  migrations: {
    1: (db) =>
      db.exec(`
        CREATE TABLE IF NOT EXISTS audit (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          at INTEGER NOT NULL,
          user TEXT NOT NULL,
          role TEXT NOT NULL,
          action TEXT NOT NULL,
          target TEXT NOT NULL,
          params TEXT NOT NULL,
          outcome TEXT NOT NULL CHECK (outcome IN ('success', 'failure', 'denied')),
          operation_id TEXT,
          error TEXT
        );
        CREATE INDEX IF NOT EXISTS audit_user ON audit (user, id);
        CREATE INDEX IF NOT EXISTS audit_target ON audit (target, id);
        CREATE INDEX IF NOT EXISTS audit_action ON audit (action, id);
      `),
  },
};

export type NewAuditEntry = Omit<AuditEntry, 'id'>;

export interface AuditFilter {
  /** Entries with an id below this (paging backwards from the newest). */
  before?: number;
  /** At most this many (default 100). */
  limit?: number;
  user?: string;
  action?: string;
  target?: string;
}

interface Row {
  id: number;
  at: number;
  user: string;
  role: string;
  action: string;
  target: string;
  params: string;
  outcome: AuditEntry['outcome'];
  operation_id: string | null;
  error: string | null;
}

export class AuditLog {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;

  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    // WAL: a committed entry is on disk before record() returns, and readers never block the writer.
    // A file from a newer release is refused untouched (SchemaTooNewError).
    this.db = openVersioned(file, AUDIT_SCHEMA).db;
    this.insert = this.db.prepare(
      `INSERT INTO audit (at, user, role, action, target, params, outcome, operation_id, error)
       VALUES (@at, @user, @role, @action, @target, @params, @outcome, @operationId, @error)`,
    );
  }

  /** Stores an entry and returns its id (ids only grow, so they order entries). */
  record(entry: NewAuditEntry): number {
    const info = this.insert.run({
      at: Math.round(entry.at),
      user: entry.user,
      role: entry.role,
      action: entry.action,
      target: entry.target,
      params: JSON.stringify(entry.params ?? {}),
      outcome: entry.outcome,
      operationId: entry.operationId ?? null,
      error: entry.error ?? null,
    });
    return Number(info.lastInsertRowid);
  }

  /** Newest first. */
  list(filter: AuditFilter = {}): AuditEntry[] {
    const where: string[] = [];
    const args: Record<string, string | number> = { limit: Math.max(1, Math.min(filter.limit ?? 100, 10_000)) };
    if (filter.before !== undefined) {
      where.push('id < @before');
      args.before = filter.before;
    }
    for (const key of ['user', 'action', 'target'] as const) {
      const value = filter[key];
      if (value === undefined) continue;
      where.push(`${key} = @${key}`);
      args[key] = value;
    }
    const sql = `SELECT * FROM audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT @limit`;
    return (this.db.prepare(sql).all(args) as Row[]).map(toEntry);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function toEntry(row: Row): AuditEntry {
  return {
    id: row.id,
    at: row.at,
    user: row.user,
    role: row.role,
    action: row.action,
    target: row.target,
    params: JSON.parse(row.params) as Record<string, unknown>,
    outcome: row.outcome,
    ...(row.operation_id !== null ? { operationId: row.operation_id } : {}),
    ...(row.error !== null ? { error: row.error } : {}),
  };
}

/**
 * The embedded store: one SQLite file in the data directory (audit.sqlite, in WAL mode), for a single BFF
 * process. Version 1 was the first release's audit log; version 2 adds sessions (a restart no longer
 * signs everyone out), login lockout, rate-limit counters and preferences. Calls are synchronous under
 * the async interface: better-sqlite3 commits before it returns.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AuditEntry } from '@mfc/contracts';
import type Database from 'better-sqlite3';
import { hasTable, openVersioned, type VersionedSchema } from '@mfc/emulator';
import type {
  AuditFilter,
  AuditRepo,
  LockoutRepo,
  LockoutRule,
  NewAuditEntry,
  PreferencesRepo,
  RateCount,
  RateLimitRepo,
  SessionFound,
  SessionLimits,
  SessionRecord,
  SessionRepo,
  SessionUser,
  SharedStore,
} from './types.js';

export const STORE_SCHEMA: VersionedSchema = {
  name: 'audit log and sessions',
  current: 2,
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
    2: (db) =>
      db.exec(`
        CREATE TABLE sessions (
          id TEXT PRIMARY KEY,
          user_name TEXT NOT NULL,
          role TEXT NOT NULL,
          csrf_token TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          last_seen_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX sessions_created ON sessions (created_at);
        CREATE TABLE login_failures (
          username TEXT PRIMARY KEY,
          failures INTEGER NOT NULL,
          last_failure_at INTEGER NOT NULL,
          locked_until INTEGER
        ) WITHOUT ROWID;
        CREATE TABLE rate_limits (key TEXT PRIMARY KEY, hits INTEGER NOT NULL, reset_at INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE preferences (user_name TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at INTEGER NOT NULL) WITHOUT ROWID;
      `),
  },
};

interface SessionRow {
  id: string;
  user_name: string;
  role: SessionUser['role'];
  csrf_token: string;
  created_at: number;
  last_seen_at: number;
}

interface AuditRow {
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

export function sessionExpiry(
  s: { createdAt: number; lastSeenAt: number },
  limits: SessionLimits,
  now: number,
): 'expired' | 'idle' | undefined {
  if (now >= s.createdAt + limits.ttlMs) return 'expired';
  if (now >= s.lastSeenAt + limits.idleTimeoutMs) return 'idle';
  return undefined;
}

export function toAuditEntry(row: AuditRow): AuditEntry {
  return {
    id: Number(row.id),
    at: Number(row.at),
    user: row.user,
    role: row.role,
    action: row.action,
    target: row.target,
    params: (typeof row.params === 'string' ? JSON.parse(row.params) : row.params) as Record<string, unknown>,
    outcome: row.outcome,
    ...(row.operation_id !== null ? { operationId: row.operation_id } : {}),
    ...(row.error !== null ? { error: row.error } : {}),
  };
}

export const auditLimit = (filter: AuditFilter) => Math.max(1, Math.min(filter.limit ?? 100, 10_000));

export class SqliteStore implements SharedStore {
  readonly kind = 'sqlite';
  readonly db: Database.Database;
  readonly sessions: SessionRepo;
  readonly lockout: LockoutRepo;
  readonly rateLimits: RateLimitRepo;
  readonly audit: AuditRepo;
  readonly preferences: PreferencesRepo;

  /** `file` is a path (created with its folder) or ':memory:'; `clock` is the store's clock (tests move it). */
  constructor(
    file: string,
    private readonly clock: () => number = Date.now,
  ) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    // A file from a newer release is refused untouched (SchemaTooNewError).
    this.db = openVersioned(file, STORE_SCHEMA).db;
    this.sessions = this.sessionRepo();
    this.lockout = this.lockoutRepo();
    this.rateLimits = this.rateLimitRepo();
    this.audit = this.auditRepo();
    this.preferences = this.preferencesRepo();
  }

  async now(): Promise<number> {
    return this.clock();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private sessionRepo(): SessionRepo {
    const db = this.db;
    const insert = db.prepare(
      'INSERT INTO sessions (id, user_name, role, csrf_token, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const select = db.prepare('SELECT * FROM sessions WHERE id = ?');
    const remove = db.prepare('DELETE FROM sessions WHERE id = ?');
    const touch = db.prepare('UPDATE sessions SET last_seen_at = ? WHERE id = ?');
    const setUser = db.prepare('UPDATE sessions SET user_name = ?, role = ? WHERE id = ?');
    return {
      create: async (id, user, csrfToken) => {
        const now = this.clock();
        insert.run(id, user.name, user.role, csrfToken, now, now);
        return { id, user: { ...user }, csrfToken, createdAt: now, lastSeenAt: now };
      },
      lookup: async (id, limits): Promise<SessionFound> => {
        const row = select.get(id) as SessionRow | undefined;
        if (!row) return { reason: 'unknown' };
        const session = toSession(row);
        const now = this.clock();
        const expiry = sessionExpiry(session, limits, now);
        if (expiry) {
          remove.run(id);
          return { reason: expiry };
        }
        return { session, now };
      },
      touch: async (id) => void touch.run(this.clock(), id),
      setUser: async (id, user) => void setUser.run(user.name, user.role, id),
      destroy: async (id) => void remove.run(id),
      prune: async (limits, max) => {
        const now = this.clock();
        db.prepare('DELETE FROM sessions WHERE created_at <= ? OR last_seen_at <= ?').run(
          now - limits.ttlMs,
          now - limits.idleTimeoutMs,
        );
        db.prepare(
          'DELETE FROM sessions WHERE id IN (SELECT id FROM sessions ORDER BY created_at DESC LIMIT -1 OFFSET ?)',
        ).run(max);
      },
    };
  }

  private lockoutRepo(): LockoutRepo {
    const db = this.db;
    const select = db.prepare('SELECT * FROM login_failures WHERE username = ?');
    const upsert = db.prepare(
      `INSERT INTO login_failures (username, failures, last_failure_at, locked_until) VALUES (@u, @f, @now, @locked)
       ON CONFLICT (username) DO UPDATE SET failures = @f, last_failure_at = @now, locked_until = @locked`,
    );
    const remove = db.prepare('DELETE FROM login_failures WHERE username = ?');
    type Row = { failures: number; last_failure_at: number; locked_until: number | null };
    // A lock that ran out, or failures older than a lock period, start a fresh count.
    const live = (row: Row | undefined, rule: LockoutRule, now: number) =>
      row && !(row.locked_until !== null ? now >= row.locked_until : now - row.last_failure_at >= rule.lockMs)
        ? row
        : undefined;
    return {
      lockedForMs: async (username, rule) => {
        const now = this.clock();
        const row = live(select.get(username) as Row | undefined, rule, now);
        return row?.locked_until != null ? row.locked_until - now : 0;
      },
      fail: async (username, rule) =>
        db.transaction(() => {
          const now = this.clock();
          const row = live(select.get(username) as Row | undefined, rule, now);
          const failures = (row?.failures ?? 0) + 1;
          const locked = failures >= rule.maxFailures ? now + rule.lockMs : null;
          upsert.run({ u: username, f: failures, now, locked });
          return locked !== null ? locked - now : 0;
        })(),
      clear: async (username) => void remove.run(username),
    };
  }

  private rateLimitRepo(): RateLimitRepo {
    const db = this.db;
    const hit = db.prepare(
      `INSERT INTO rate_limits (key, hits, reset_at) VALUES (@key, 1, @now + @window)
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN reset_at <= @now THEN 1 ELSE hits + 1 END,
         reset_at = CASE WHEN reset_at <= @now THEN @now + @window ELSE reset_at END
       RETURNING hits, reset_at`,
    );
    const unhit = db.prepare('UPDATE rate_limits SET hits = hits - 1 WHERE key = ? AND hits > 0 AND reset_at > ?');
    const reset = db.prepare('DELETE FROM rate_limits WHERE key = ?');
    const prune = db.prepare('DELETE FROM rate_limits WHERE reset_at <= ?');
    let counted = 0;
    return {
      hit: async (key, windowMs): Promise<RateCount> => {
        const now = this.clock();
        // Old windows are dropped now and then, so spraying keys cannot grow the table without bound.
        if (++counted % 1000 === 0) prune.run(now);
        const row = hit.get({ key, now, window: windowMs }) as { hits: number; reset_at: number };
        return { hits: row.hits, resetAt: row.reset_at, now };
      },
      unhit: async (key) => void unhit.run(key, this.clock()),
      reset: async (key) => void reset.run(key),
    };
  }

  private auditRepo(): AuditRepo {
    const db = this.db;
    const insert = db.prepare(
      `INSERT INTO audit (at, user, role, action, target, params, outcome, operation_id, error)
       VALUES (@at, @user, @role, @action, @target, @params, @outcome, @operationId, @error)`,
    );
    return {
      record: async (entry: NewAuditEntry) => Number(insert.run(auditParams(entry)).lastInsertRowid),
      list: async (filter: AuditFilter = {}) => {
        const where: string[] = [];
        const args: Record<string, string | number> = { limit: auditLimit(filter) };
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
        return (db.prepare(sql).all(args) as AuditRow[]).map(toAuditEntry);
      },
    };
  }

  private preferencesRepo(): PreferencesRepo {
    const select = this.db.prepare('SELECT value FROM preferences WHERE user_name = ?');
    const upsert = this.db.prepare(
      `INSERT INTO preferences (user_name, value, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (user_name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    );
    return {
      get: async (user) => {
        const row = select.get(user) as { value: string } | undefined;
        return row ? (JSON.parse(row.value) as Record<string, unknown>) : {};
      },
      set: async (user, preferences) => void upsert.run(user, JSON.stringify(preferences), this.clock()),
    };
  }
}

function toSession(row: SessionRow): SessionRecord {
  return {
    id: row.id,
    user: { name: row.user_name, role: row.role },
    csrfToken: row.csrf_token,
    createdAt: Number(row.created_at),
    lastSeenAt: Number(row.last_seen_at),
  };
}

export function auditParams(entry: NewAuditEntry) {
  return {
    at: Math.round(entry.at),
    user: entry.user,
    role: entry.role,
    action: entry.action,
    target: entry.target,
    params: JSON.stringify(entry.params ?? {}),
    outcome: entry.outcome,
    operationId: entry.operationId ?? null,
    error: entry.error ?? null,
  };
}

/**
 * The shared store on PostgreSQL (MFC_DATABASE_URL), for several BFF replicas: sessions, audit, lockout,
 * rate limits and preferences in tables any replica reads. Every time is the database server's (now()),
 * compared in SQL, so replicas agree on a session's age whatever their own clocks say. A connection the
 * pool cannot get within a couple of seconds surfaces as StoreUnavailableError (503 with a retry hint).
 */
import type { AuditEntry } from '@mfc/contracts';
import pg from 'pg';
import { migrate } from './postgres-migrations.js';
import { auditLimit, toAuditEntry } from './sqlite-store.js';
import {
  StoreUnavailableError,
  type AuditFilter,
  type AuditRepo,
  type LockoutRepo,
  type NewAuditEntry,
  type PreferencesRepo,
  type RateLimitRepo,
  type SessionFound,
  type SessionRecord,
  type SessionRepo,
  type SessionUser,
  type SharedStore,
} from './types.js';

/** SQL for a timestamptz as epoch milliseconds. */
const ms = (column: string) => `floor(extract(epoch from ${column}) * 1000)::float8`;

/** Errors that mean the database cannot be reached (not a bad query). */
export function isUnreachable(e: unknown): boolean {
  const err = e as { code?: string; message?: string };
  if (!err || typeof err !== 'object') return false;
  if (err.code && /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|ETIMEDOUT|EHOSTUNREACH|EPIPE|57P0[1-3]|08\w{3})$/.test(err.code))
    return true;
  return /Connection terminated|timeout exceeded when trying to connect|connect ECONNREFUSED|Client has encountered a connection error/i.test(
    err.message ?? '',
  );
}

export interface PostgresStoreOptions {
  url: string;
  /** Connections in the pool (default 10). */
  max?: number;
  /** How long a query waits for a connection before the store counts as unreachable (default 2 s). */
  connectTimeoutMs?: number;
  /** Application name in pg_stat_activity. */
  applicationName?: string;
}

export class PostgresStore implements SharedStore {
  readonly kind = 'postgres';
  readonly pool: pg.Pool;
  readonly sessions: SessionRepo;
  readonly lockout: LockoutRepo;
  readonly rateLimits: RateLimitRepo;
  readonly audit: AuditRepo;
  readonly preferences: PreferencesRepo;

  private constructor(options: PostgresStoreOptions) {
    this.pool = new pg.Pool({
      connectionString: options.url,
      max: options.max ?? 10,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 2_000,
      idleTimeoutMillis: 30_000,
      application_name: options.applicationName ?? 'mfc-bff',
    });
    // An idle client losing its connection (the server restarted) must not crash the process.
    this.pool.on('error', () => {});
    this.sessions = this.sessionRepo();
    this.lockout = this.lockoutRepo();
    this.rateLimits = this.rateLimitRepo();
    this.audit = this.auditRepo();
    this.preferences = this.preferencesRepo();
  }

  /** Connects, applies the migrations this release has (under an advisory lock), and returns the store. */
  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const store = new PostgresStore(options);
    try {
      await migrate(store.pool);
    } catch (e) {
      await store.pool.end().catch(() => {});
      throw e;
    }
    return store;
  }

  async now(): Promise<number> {
    const { rows } = await this.q<{ now: number }>(`SELECT ${ms('clock_timestamp()')} AS now`);
    return Number(rows[0]!.now);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  /** One statement on a pooled connection; an unreachable database becomes StoreUnavailableError. */
  async q<R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<pg.QueryResult<R>> {
    try {
      return await this.pool.query<R>(sql, params);
    } catch (e) {
      if (isUnreachable(e))
        throw new StoreUnavailableError(`The database cannot be reached: ${(e as Error).message}`, 5, { cause: e });
      throw e;
    }
  }

  private sessionRepo(): SessionRepo {
    const columns = `id, user_name, role, csrf_token, ${ms('created_at')} AS created_at, ${ms('last_seen_at')} AS last_seen_at`;
    const toSession = (r: Record<string, unknown>): SessionRecord => ({
      id: r.id as string,
      user: { name: r.user_name as string, role: r.role as SessionUser['role'] },
      csrfToken: r.csrf_token as string,
      createdAt: Number(r.created_at),
      lastSeenAt: Number(r.last_seen_at),
    });
    return {
      create: async (id, user, csrfToken) => {
        const { rows } = await this.q(
          `INSERT INTO sessions (id, user_name, role, csrf_token) VALUES ($1, $2, $3, $4) RETURNING ${columns}`,
          [id, user.name, user.role, csrfToken],
        );
        return toSession(rows[0]!);
      },
      lookup: async (id, limits): Promise<SessionFound> => {
        // Judged and, when over, removed in one statement on the server's clock.
        const { rows } = await this.q(
          `WITH s AS (
             SELECT ${columns}, ${ms('clock_timestamp()')} AS now,
               CASE WHEN clock_timestamp() >= created_at + $2 * interval '1 millisecond' THEN 'expired'
                    WHEN clock_timestamp() >= last_seen_at + $3 * interval '1 millisecond' THEN 'idle' END AS expiry
             FROM sessions WHERE id = $1
           ), gone AS (DELETE FROM sessions WHERE id IN (SELECT id FROM s WHERE expiry IS NOT NULL))
           SELECT * FROM s`,
          [id, limits.ttlMs, limits.idleTimeoutMs],
        );
        const row = rows[0];
        if (!row) return { reason: 'unknown' };
        if (row.expiry) return { reason: row.expiry as 'expired' | 'idle' };
        return { session: toSession(row), now: Number(row.now) };
      },
      touch: async (id) =>
        void (await this.q('UPDATE sessions SET last_seen_at = clock_timestamp() WHERE id = $1', [id])),
      setUser: async (id, user) =>
        void (await this.q('UPDATE sessions SET user_name = $2, role = $3 WHERE id = $1', [id, user.name, user.role])),
      destroy: async (id) => void (await this.q('DELETE FROM sessions WHERE id = $1', [id])),
      prune: async (limits, max) => {
        await this.q(
          `DELETE FROM sessions WHERE created_at <= now() - $1 * interval '1 millisecond'
             OR last_seen_at <= now() - $2 * interval '1 millisecond'`,
          [limits.ttlMs, limits.idleTimeoutMs],
        );
        await this.q('DELETE FROM sessions WHERE id IN (SELECT id FROM sessions ORDER BY created_at DESC OFFSET $1)', [
          max,
        ]);
      },
    };
  }

  private lockoutRepo(): LockoutRepo {
    // A row is live while its lock holds, or (unlocked) while its last failure is within a lock period ($2).
    const live = (t = '') =>
      `(CASE WHEN ${t}locked_until IS NOT NULL THEN clock_timestamp() < ${t}locked_until
             ELSE clock_timestamp() - ${t}last_failure_at < $2 * interval '1 millisecond' END)`;
    const failures = `(CASE WHEN ${live('f.')} THEN f.failures + 1 ELSE 1 END)`;
    const left = `${ms('locked_until')} - ${ms('clock_timestamp()')} AS left`;
    return {
      lockedForMs: async (username, rule) => {
        const { rows } = await this.q<{ left: number | null }>(
          `SELECT ${left} FROM login_failures WHERE username = $1 AND locked_until IS NOT NULL AND ${live()}`,
          [username, rule.lockMs],
        );
        return rows[0]?.left ? Math.max(0, Number(rows[0].left)) : 0;
      },
      fail: async (username, rule) => {
        // One atomic upsert: concurrent failures on several replicas all count.
        const { rows } = await this.q<{ left: number | null }>(
          `INSERT INTO login_failures AS f (username, failures, last_failure_at, locked_until)
           VALUES ($1, 1, clock_timestamp(), CASE WHEN 1 >= $3 THEN clock_timestamp() + $2 * interval '1 millisecond' END)
           ON CONFLICT (username) DO UPDATE SET
             failures = ${failures},
             last_failure_at = clock_timestamp(),
             locked_until = CASE WHEN ${failures} >= $3 THEN clock_timestamp() + $2 * interval '1 millisecond' END
           RETURNING ${left}`,
          [username, rule.lockMs, rule.maxFailures],
        );
        return rows[0]?.left ? Math.max(0, Number(rows[0].left)) : 0;
      },
      clear: async (username) => void (await this.q('DELETE FROM login_failures WHERE username = $1', [username])),
    };
  }

  private rateLimitRepo(): RateLimitRepo {
    let counted = 0;
    return {
      hit: async (key, windowMs) => {
        if (++counted % 1000 === 0) await this.q('DELETE FROM rate_limits WHERE reset_at <= now()');
        const { rows } = await this.q<{ hits: number; reset_at: number; now: number }>(
          `INSERT INTO rate_limits AS r (key, hits, reset_at) VALUES ($1, 1, clock_timestamp() + $2 * interval '1 millisecond')
           ON CONFLICT (key) DO UPDATE SET
             hits = CASE WHEN r.reset_at <= clock_timestamp() THEN 1 ELSE r.hits + 1 END,
             reset_at = CASE WHEN r.reset_at <= clock_timestamp() THEN clock_timestamp() + $2 * interval '1 millisecond' ELSE r.reset_at END
           RETURNING hits, ${ms('reset_at')} AS reset_at, ${ms('clock_timestamp()')} AS now`,
          [key, windowMs],
        );
        const row = rows[0]!;
        return { hits: Number(row.hits), resetAt: Number(row.reset_at), now: Number(row.now) };
      },
      unhit: async (key) =>
        void (await this.q(
          'UPDATE rate_limits SET hits = hits - 1 WHERE key = $1 AND hits > 0 AND reset_at > clock_timestamp()',
          [key],
        )),
      reset: async (key) => void (await this.q('DELETE FROM rate_limits WHERE key = $1', [key])),
    };
  }

  private auditRepo(): AuditRepo {
    return {
      record: async (entry: NewAuditEntry) => {
        const { rows } = await this.q<{ id: string }>(
          `INSERT INTO audit (at, user_name, role, action, target, params, outcome, operation_id, error)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
          [
            Math.round(entry.at),
            entry.user,
            entry.role,
            entry.action,
            entry.target,
            JSON.stringify(entry.params ?? {}),
            entry.outcome,
            entry.operationId ?? null,
            entry.error ?? null,
          ],
        );
        return Number(rows[0]!.id);
      },
      list: async (filter: AuditFilter = {}): Promise<AuditEntry[]> => {
        const where: string[] = [];
        const params: unknown[] = [];
        const add = (sql: string, value: unknown) => {
          params.push(value);
          where.push(sql.replace('?', `$${params.length}`));
        };
        if (filter.before !== undefined) add('id < ?', filter.before);
        if (filter.user !== undefined) add('user_name = ?', filter.user);
        if (filter.action !== undefined) add('action = ?', filter.action);
        if (filter.target !== undefined) add('target = ?', filter.target);
        params.push(auditLimit(filter));
        const { rows } = await this.q(
          `SELECT id, at, user_name AS user, role, action, target, params, outcome, operation_id, error FROM audit
           ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${params.length}`,
          params,
        );
        return rows.map((r) => toAuditEntry(r as Parameters<typeof toAuditEntry>[0]));
      },
    };
  }

  private preferencesRepo(): PreferencesRepo {
    return {
      get: async (user) => {
        const { rows } = await this.q<{ value: Record<string, unknown> }>(
          'SELECT value FROM preferences WHERE user_name = $1',
          [user],
        );
        return rows[0]?.value ?? {};
      },
      set: async (user, preferences) =>
        void (await this.q(
          `INSERT INTO preferences (user_name, value) VALUES ($1, $2)
           ON CONFLICT (user_name) DO UPDATE SET value = excluded.value, updated_at = now()`,
          [user, JSON.stringify(preferences)],
        )),
    };
  }
}

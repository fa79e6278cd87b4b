/**
 * Read-only answers of the service shared by the replicas for a few seconds (PostgreSQL's read_cache
 * table): what one replica read, the others reuse instead of asking AWS again, so three replicas watching
 * a fleet make about the calls one makes. Expiry is on the database server's clock.
 */
import type pg from 'pg';

export interface ReadCache {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Drops every entry whose key starts with the prefix (after a change made through this BFF). */
  invalidate(prefix: string): Promise<void>;
}

export class PostgresReadCache implements ReadCache {
  private writes = 0;

  constructor(private readonly pool: pg.Pool) {}

  async get(key: string): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ value: string }>(
      'SELECT value FROM read_cache WHERE key = $1 AND expires_at > clock_timestamp()',
      [key],
    );
    return rows[0]?.value;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    // Expired rows go now and then, so the table holds about what the last few seconds read.
    if (++this.writes % 500 === 0)
      await this.pool.query('DELETE FROM read_cache WHERE expires_at <= clock_timestamp()');
    await this.pool.query(
      `INSERT INTO read_cache (key, value, expires_at) VALUES ($1, $2, clock_timestamp() + $3 * interval '1 millisecond')
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`,
      [key, value, ttlMs],
    );
  }

  async invalidate(prefix: string): Promise<void> {
    await this.pool.query("DELETE FROM read_cache WHERE key LIKE $1 || '%'", [prefix.replace(/[%_\\]/g, '\\$&')]);
  }
}

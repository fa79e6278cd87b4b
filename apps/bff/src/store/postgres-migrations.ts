/**
 * Schema migrations for the PostgreSQL store, versioned in the repository (apps/bff/migrations/postgres,
 * NNN_name.sql) and applied at start under an advisory lock, so replicas starting together apply each
 * migration once: the first takes the lock and migrates, the others wait for it and find nothing to do.
 * A database migrated by a newer release is refused (its schema is not this release's to write).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/postgres/', import.meta.url));
/** The advisory lock key of migrations (any fixed 64-bit number; "mfc-migr" in ASCII). */
const MIGRATION_LOCK = 0x6d66632d6d696772n;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_[\w-]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 3)), name: f.slice(4, -4), sql: readFileSync(`${dir}/${f}`, 'utf8') }));
}

export class DatabaseTooNewError extends Error {
  readonly exitCode = 3;
  constructor(
    readonly found: number,
    readonly supported: number,
  ) {
    super(
      `The database has schema version ${found}, migrated by a newer release than this one (which knows up to ` +
        `version ${supported}). It was left untouched: run the newer release, or point MFC_DATABASE_URL elsewhere.`,
    );
    this.name = 'DatabaseTooNewError';
  }
}

/** Applies the migrations the database lacks; returns the versions applied. */
export async function migrate(pool: pg.Pool, migrations = readMigrations()): Promise<number[]> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK.toString()]);
    try {
      await client.query(
        `CREATE TABLE IF NOT EXISTS schema_migrations (
           version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
      );
      const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
      const have = new Set(rows.map((r) => r.version));
      const latest = Math.max(0, ...migrations.map((m) => m.version));
      const newest = Math.max(0, ...have);
      if (newest > latest) throw new DatabaseTooNewError(newest, latest);
      const applied: number[] = [];
      for (const m of migrations) {
        if (have.has(m.version)) continue;
        await client.query('BEGIN');
        try {
          await client.query(m.sql);
          await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
          await client.query('COMMIT');
        } catch (e) {
          await client.query('ROLLBACK');
          throw new Error(`migration ${m.version} (${m.name}) failed: ${(e as Error).message}`, { cause: e });
        }
        applied.push(m.version);
      }
      return applied;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK.toString()]);
    }
  } finally {
    client.release();
  }
}

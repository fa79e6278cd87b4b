/**
 * A real PostgreSQL server for the tests, started and stopped by the tests themselves: Debian's
 * postgresql package (installed with apt-get when missing, as the Chromium of the browser tests is), a
 * fresh cluster in a temporary folder owned by the `postgres` user (PostgreSQL refuses to run as root),
 * listening on 127.0.0.1 at a free port, with fsync off (test data). Each caller gets its own database.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './free-port.js';

export interface PostgresServer {
  port: number;
  /** A connection URL to a database on this server (default: postgres). */
  url(database?: string): string;
  /** Creates a fresh database and returns its URL. */
  createDatabase(prefix?: string): Promise<string>;
  /** Stops the server at once (SIGKILL-like: immediate mode) or cleanly. */
  stop(mode?: 'fast' | 'immediate'): void;
  /** Starts it again on the same port and data (after stop). */
  start(): void;
  /** Removes the cluster's folder (after stop). */
  remove(): void;
}

/** Installs Debian's postgresql when it is missing (the test run's global setup, once). */
export function ensurePostgres(): string {
  return binDir(true);
}

function binDir(install = false): string {
  const find = () => {
    const root = '/usr/lib/postgresql';
    if (!existsSync(root)) return undefined;
    const versions = readdirSync(root)
      .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    return versions[0] ? join(root, versions[0], 'bin') : undefined;
  };
  const found = find();
  if (found) return found;
  if (!install) throw new Error('PostgreSQL is not installed: the test setup (test/ensure-postgres.ts) installs it');
  if (process.getuid?.() !== 0)
    throw new Error('PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): apt-get install postgresql');
  // The tests install what they need, as the browser tests install Chromium.
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'postgresql'], { stdio: 'inherit', env });
  const installed = find();
  if (!installed) throw new Error('apt-get installed postgresql, but no initdb was found under /usr/lib/postgresql');
  return installed;
}

export async function startPostgres(): Promise<PostgresServer> {
  const bin = binDir();
  const asRoot = process.getuid?.() === 0;
  const owner = asRoot ? 'postgres' : userInfo().username;
  const dir = mkdtempSync(join(tmpdir(), 'mfc-pg-'));
  const data = join(dir, 'data');
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', owner]).toString().trim());
    const gid = Number(execFileSync('id', ['-g', owner]).toString().trim());
    chownSync(dir, uid, gid);
    chmodSync(dir, 0o700);
  }
  // Run as the owner: runuser when root, directly otherwise.
  const run = (cmd: string, args: string[]) => {
    const [file, argv] = asRoot ? ['runuser', ['-u', owner, '--', join(bin, cmd), ...args]] : [join(bin, cmd), args];
    const r = spawnSync(file, argv, { encoding: 'utf8', cwd: dir });
    if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr || r.stdout}`);
  };
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-instructions']);
  const port = await freePort();
  const start = () =>
    run('pg_ctl', [
      '-D',
      data,
      '-l',
      join(dir, 'server.log'),
      '-w',
      '-t',
      '60',
      '-o',
      `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`,
      'start',
    ]);
  start();
  let running = true;
  const url = (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`;
  let n = 0;
  const server: PostgresServer = {
    port,
    url,
    async createDatabase(prefix = 'mfc') {
      const name = `${prefix}_${process.pid}_${++n}_${Date.now() % 100000}`;
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    stop(mode = 'fast') {
      if (!running) return;
      running = false;
      run('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']);
    },
    start() {
      if (running) return;
      start();
      running = true;
    },
    remove() {
      if (running) server.stop('immediate');
      rmSync(dir, { recursive: true, force: true });
    },
  };
  // A test run that dies leaves no server behind.
  process.once('exit', () => {
    try {
      server.remove();
    } catch {
      // best effort at exit
    }
  });
  return server;
}

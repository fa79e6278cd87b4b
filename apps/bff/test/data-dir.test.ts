/**
 * The BFF's data directory across releases: the first release's whole directory (its audit log and its
 * embedded emulator's state, written by that release's code) opens with everything in it; a directory with
 * a file from a newer release stops the BFF with exit code 3 and a message naming the file, untouched.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type * as C from '@mfc/contracts';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { STORE_SCHEMA as AUDIT_SCHEMA } from '../src/store/sqlite-store.js';
import { startTestBff } from './harness.js';

const run = promisify(execFile);
const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const AUDIT_FIXTURE = fileURLToPath(new URL('./fixtures/release-1-audit.sqlite', import.meta.url));
const EMULATOR_FIXTURE = fileURLToPath(
  new URL('../../../packages/emulator/test/fixtures/release-1-data-dir/emulator.sqlite', import.meta.url),
);

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A copy of the first release's data directory. */
function releaseOneDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mfc-data-dir-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'emulator'));
  copyFileSync(AUDIT_FIXTURE, join(dir, 'audit.sqlite'));
  copyFileSync(EMULATOR_FIXTURE, join(dir, 'emulator', 'emulator.sqlite'));
  return dir;
}

const setVersion = (file: string, v: number) => {
  const db = new Database(file);
  db.pragma(`user_version = ${v}`);
  db.close();
};

/** Every file under a directory with its hash. */
function snapshot(dir: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) Object.assign(out, snapshot(path, `${prefix}${name}/`));
    else out[prefix + name] = createHash('sha256').update(readFileSync(path)).digest('hex');
  }
  return out;
}

describe('a data directory from the first release', () => {
  it('opens under the BFF: its audit entries and its applications are all there', async () => {
    const dir = releaseOneDataDir();
    const { bff, client } = await startTestBff({ MFC_IN_MEMORY: '0', MFC_DATA_DIR: dir, MFC_DEMO: '1' });
    try {
      const audit = await client.get<{ entries: C.AuditEntry[] }>('/api/audit');
      expect(audit.status).toBe(200);
      const old = audit.body.entries.filter((e) => e.user === 'demo-operator' && e.id <= 2);
      expect(old.map((e) => [e.action, e.target, e.outcome])).toEqual([
        ['createSnapshot', 'inventory-aggregator/before-upgrade', 'failure'],
        ['POST /api/applications/:name/start', 'returns-forecaster', 'success'],
      ]);
      const fleet = await client.get<C.FleetResponse>('/api/applications');
      expect(fleet.body.applications.map((a) => a.name).sort()).toEqual([
        'clickstream-sessionizer',
        'inventory-aggregator',
        'metrics-exporter',
        'orders-enricher',
        'payments-fraud-detector',
        'returns-forecaster',
      ]);
      // The demo is not seeded again over a directory that has state.
      expect(fleet.body.applications.find((a) => a.name === 'returns-forecaster')?.status).toBe('RUNNING');
    } finally {
      await bff.close();
    }
    const db = new Database(join(dir, 'audit.sqlite'), { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(AUDIT_SCHEMA.current);
    db.close();
  });
});

describe('a data directory with a file from a newer release', () => {
  const start = (dir: string) =>
    run(process.execPath, ['--conditions=source', '--import', 'tsx', MAIN], {
      env: { ...process.env, PORT: '0', MFC_DATA_DIR: dir, LOG_LEVEL: 'silent' },
      timeout: 60_000,
    }).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );

  it.each([
    ['the audit log', 'audit.sqlite', AUDIT_SCHEMA.current + 1],
    ['the emulator state', 'emulator/emulator.sqlite', 7],
  ])('%s: the BFF exits with 3, names the file and changes nothing', { timeout: 60_000 }, async (_what, file, v) => {
    const dir = releaseOneDataDir();
    setVersion(join(dir, file), v);
    const before = snapshot(dir);
    const out = await start(dir);
    expect(out.code).toBe(3);
    expect(out.stderr).toContain(join(dir, file));
    expect(out.stderr).toContain(`schema version ${v}`);
    expect(snapshot(dir)).toEqual(before);
  });
});

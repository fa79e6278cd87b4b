/**
 * Upgrade safety: a data directory written by the first release (fixtures/release-1-data-dir, produced by
 * that release's code) opens, migrated, with every application as it was; a data directory from a newer
 * schema is refused with a clear message and exit code 3, and not a byte of it changes.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as ka from '@aws-sdk/client-kinesis-analytics-v2';
import { ListAliasesCommand } from '@aws-sdk/client-kms';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SchemaTooNewError } from '../src/persistence/schema.js';
import { LIFECYCLE_FILE, LIFECYCLE_SCHEMA } from '../src/persistence/state-store.js';
import { TELEMETRY_FILE } from '../src/persistence/telemetry-store.js';
import { startEmulator } from '../src/server.js';
import { startTestEmulator, tempDir } from './harness.js';
import { clients, metricSeries } from './telemetry-reads.js';

const run = promisify(execFile);
const FIXTURE = fileURLToPath(new URL('./fixtures/release-1-data-dir/emulator.sqlite', import.meta.url));
const CLI = fileURLToPath(new URL('../src/cli.ts', import.meta.url));

const dirs: { remove(): void }[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove();
});

function fixtureCopy(): string {
  const d = tempDir();
  dirs.push(d);
  copyFileSync(FIXTURE, join(d.dir, LIFECYCLE_FILE));
  return d.dir;
}

const version = (file: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return db.pragma('user_version', { simple: true }) as number;
  } finally {
    db.close();
  }
};

const setVersion = (file: string, v: number) => {
  const db = new Database(file);
  db.pragma(`user_version = ${v}`);
  db.close();
};

/** Every file of a directory with its hash. */
const snapshot = (dir: string) =>
  Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((f) => [
        f,
        createHash('sha256')
          .update(readFileSync(join(dir, f)))
          .digest('hex'),
      ]),
  );

/** What the first release stored, read straight from its rows. */
function storedApps(file: string): Record<string, string> {
  const db = new Database(file, { readonly: true });
  const rows = db.prepare("SELECT value FROM rows WHERE tbl = 'apps'").all() as { value: string }[];
  db.close();
  return Object.fromEntries(
    rows.map((r) => JSON.parse(r.value) as { name: string; status: string }).map((a) => [a.name, a.status]),
  );
}

describe('a data directory from the first release', () => {
  it('opens migrated: the same applications, keys and clock, then telemetry is recorded', async () => {
    const data = fixtureCopy();
    expect(version(join(data, LIFECYCLE_FILE))).toBe(0);
    const expected = storedApps(join(data, LIFECYCLE_FILE));
    expect(Object.keys(expected)).toHaveLength(6);
    const t = await startTestEmulator({ inMemory: false, dataDir: data, speed: 0 });
    try {
      expect(version(join(data, LIFECYCLE_FILE))).toBe(LIFECYCLE_SCHEMA.current);
      const listed = (await t.ka.send(new ka.ListApplicationsCommand({}))).ApplicationSummaries!;
      expect(Object.fromEntries(listed.map((s) => [s.ApplicationName, s.ApplicationStatus]))).toEqual(expected);
      const d = await t.ka.send(new ka.DescribeApplicationCommand({ ApplicationName: 'payments-fraud-detector' }));
      expect(
        d.ApplicationDetail?.ApplicationConfigurationDescription?.ApplicationEncryptionConfigurationDescription
          ?.KeyType,
      ).toBe('CUSTOMER_MANAGED_KEY');
      const aliases = await t.kms.send(new ListAliasesCommand({}));
      expect(aliases.Aliases?.map((a) => a.AliasName)).toContain('alias/mfc-demo-state');
      // The old release kept no metric history; from now on it is kept.
      const before = ((await t.admin('/_emulator/clock')) as { now: number }).now;
      await t.admin('/_emulator/clock', { advanceMs: 3 * 60_000 });
      const series = await metricSeries(clients(t.emu.url).cw, 'clickstream-sessionizer', before, before + 4 * 60_000, [
        'uptime',
      ]);
      expect(series.uptime).toHaveLength(3);
    } finally {
      await t.close();
    }
    expect(existsSync(join(data, TELEMETRY_FILE))).toBe(true);
    // Opened again: already at this release's schema, nothing to migrate, same applications.
    const again = await startTestEmulator({ inMemory: false, dataDir: data, speed: 0 });
    try {
      const listed = (await again.ka.send(new ka.ListApplicationsCommand({}))).ApplicationSummaries!;
      expect(listed).toHaveLength(6);
    } finally {
      await again.close();
    }
  });
});

describe('a data directory from a newer release', () => {
  it('is refused before anything is written to it', async () => {
    const data = fixtureCopy();
    setVersion(join(data, LIFECYCLE_FILE), LIFECYCLE_SCHEMA.current + 1);
    const before = snapshot(data);
    const err = await startEmulator({ dataDir: data, port: 0 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SchemaTooNewError);
    expect((err as Error).message).toContain(join(data, LIFECYCLE_FILE));
    expect((err as Error).message).toMatch(/newer release/);
    expect(snapshot(data)).toEqual(before);
  });

  it('a newer telemetry file is refused too, with the lifecycle file left as it was', async () => {
    const d = tempDir();
    dirs.push(d);
    const t = await startTestEmulator({ inMemory: false, dataDir: d.dir, speed: 0, demo: true });
    await t.close();
    setVersion(join(d.dir, TELEMETRY_FILE), 2);
    const before = snapshot(d.dir);
    await expect(startEmulator({ dataDir: d.dir, port: 0 })).rejects.toThrow(SchemaTooNewError);
    expect(snapshot(d.dir)).toEqual(before);
  });

  it('mfc-emulator exits with code 3 and names the file', { timeout: 60_000 }, async () => {
    const data = fixtureCopy();
    setVersion(join(data, LIFECYCLE_FILE), 99);
    const before = snapshot(data);
    const out = await run(process.execPath, [
      '--conditions=source',
      '--import',
      'tsx',
      CLI,
      '--port',
      '0',
      '--data-dir',
      data,
    ]).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(out.code).toBe(3);
    expect(out.stderr).toContain(join(data, LIFECYCLE_FILE));
    expect(out.stderr).toContain('schema version 99');
    expect(snapshot(data)).toEqual(before);
  });
});

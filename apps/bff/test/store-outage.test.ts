/**
 * The shared database going away, for real (the PostgreSQL server stopped and started again): at start the
 * BFF refuses to run with a clear message and exit code 4; while running, requests that need it answer 503
 * with Retry-After and nothing is changed; when it returns, the same session works again. An audit entry
 * the database cannot take waits in the data directory and reaches the database when it answers.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ka from '@aws-sdk/client-kinesis-analytics-v2';
import type * as C from '@mfc/contracts';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditWriter } from '../src/security/audit-writer.js';
import { PostgresStore } from '../src/store/postgres-store.js';
import { eventually, startTestBff, type Client } from './harness.js';
import { startPostgres, type PostgresServer } from './postgres-server.js';
import { bffProcess, killAll } from './processes.js';

const SECRET = 'outage-test-secret-0123456789abcdef01234567';
let pg: PostgresServer;
const dir = mkdtempSync(join(tmpdir(), 'mfc-outage-'));

beforeAll(async () => {
  pg = await startPostgres();
}, 120_000);
afterAll(() => {
  killAll();
  pg?.remove();
  rmSync(dir, { recursive: true, force: true });
});

describe('the database unreachable', { timeout: 120_000 }, () => {
  it('at start: the BFF stops with where and why, exit code 4', async () => {
    const url = `postgres://postgres@127.0.0.1:1/nowhere`;
    const err = await bffProcess({ MFC_DATABASE_URL: url, MFC_SESSION_SECRET: SECRET, MFC_IN_MEMORY: '1' }).then(
      () => undefined,
      (e: Error) => e.message,
    );
    expect(err).toMatch(/exited 4/);
    expect(err).toMatch(/the database at postgres:\/\/postgres@127\.0\.0\.1:1\/nowhere cannot be reached/);
  });

  it('while running: 503 with Retry-After, nothing changed, the session back when it returns', async () => {
    const url = await pg.createDatabase('outage');
    const { bff, client } = await startTestBff({ MFC_DATABASE_URL: url, MFC_SESSION_SECRET: SECRET });
    try {
      await expectWorks(client);
      const sdk = new ka.KinesisAnalyticsV2Client({
        endpoint: bff.emulator!.url,
        region: 'us-east-1',
        credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      });
      const status = async () =>
        (await sdk.send(new ka.DescribeApplicationCommand({ ApplicationName: 'clickstream-sessionizer' })))
          .ApplicationDetail!.ApplicationStatus;
      const before = await status();

      pg.stop('fast');
      const read = await client.get<C.ErrorBody>('/api/applications');
      expect(read.status).toBe(503);
      expect(read.body.error.name).toBe('StoreUnavailable');
      expect(read.headers.get('retry-after')).toBe('5');
      const stop = await client.post<C.ErrorBody>('/api/applications/clickstream-sessionizer/stop', {});
      expect(stop.status).toBe(503);
      expect(await status()).toBe(before);
      expect((await fetch(`${bff.url}/api/ready`)).status).toBe(503);

      pg.start();
      await eventually(() => expectWorks(client), 20_000);
      expect((await fetch(`${bff.url}/api/ready`)).status).toBe(200);
    } finally {
      await bff.close();
    }
  });

  it('an audit entry waits on disk while the database is down, and is written when it returns', async () => {
    const store = await PostgresStore.open({ url: await pg.createDatabase('spill'), connectTimeoutMs: 500 });
    const spill = join(dir, 'audit-pending.jsonl');
    const writer = new AuditWriter(store.audit, spill, pino({ level: 'silent' }));
    const entry = (target: string) => ({
      at: Date.now(),
      user: 'alice',
      role: 'operator',
      action: 'POST /applications/:name/stop',
      target,
      params: {},
      outcome: 'success' as const,
    });
    try {
      pg.stop('fast');
      await writer.record(entry('while-down-1'));
      await writer.record(entry('while-down-2'));
      expect(writer.backlog).toBe(2);
      expect(readFileSync(spill, 'utf8').trim().split('\n')).toHaveLength(2);

      // A BFF started meanwhile finds them too (the spill file is read at start).
      const restarted = new AuditWriter(store.audit, spill, pino({ level: 'silent' }));
      expect(restarted.backlog).toBe(2);
      restarted.close();

      pg.start();
      await eventually(async () => {
        await writer.flush();
        expect(writer.backlog).toBe(0);
      }, 20_000);
      expect(existsSync(spill)).toBe(false);
      expect((await store.audit.list()).map((e) => e.target)).toEqual(['while-down-2', 'while-down-1']);
    } finally {
      writer.close();
      await store.close();
    }
  });
});

async function expectWorks(client: Client): Promise<void> {
  const fleet = await client.get<C.FleetResponse>('/api/applications');
  expect(fleet.status).toBe(200);
}

/** Pre-flight answers for every demo code package, a disabled key, the KPU limit and the snapshot quota. */
import type * as C from '@mfc/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bff } from '../src/server.js';
import { eventually, startTestBff, type Client } from './harness.js';

let bff: Bff;
let client: Client;

beforeAll(async () => {
  ({ bff, client } = await startTestBff());
});
afterAll(() => bff.close());

const update = (app: string, body: object) =>
  client.post<C.PreflightResponse>(`/api/applications/${app}/preflight`, {
    action: 'update',
    update: { expectedVersionId: 1, ...body },
  });
const deploy = (key: string, extra: object = {}) =>
  update('clickstream-sessionizer', { code: { bucket: 'mfc-demo-artifacts', key: `sessionizer/${key}` }, ...extra });

describe('pre-flight of an update of a running application', () => {
  it.each([
    'sessionizer-1.0.0.jar',
    'sessionizer-1.1.0.jar',
    'sessionizer-1.2.0-bad-main.jar',
    'sessionizer-1.3.0-poison-pill.jar',
    'sessionizer-1.4.0-slow-sink.jar',
    'sessionizer-1.5.0-missing-main.jar',
    'sessionizer-1.6.0-fail-on-init.jar',
    'sessionizer-1.7.0-fail-on-restore.jar',
  ])('%s keeps every stateful operator: ok', async (key) => {
    const r = await deploy(key);
    expect(r.status).toBe(200);
    expect(r.body.ok).toBe(true);
    expect(r.body.droppedUids).toEqual([]);
    expect(r.body.items.map((i) => i.code)).toContain('update-snapshot');
    expect(r.body.kpus).toEqual({ current: 2, next: 2, limit: 64 });
  });

  it('sessionizer-2.0.0-drops-enrich would drop enrich’s state: blocked without AllowNonRestoredState', async () => {
    const r = await deploy('sessionizer-2.0.0-drops-enrich.jar');
    expect(r.body.ok).toBe(false);
    expect(r.body.droppedUids).toEqual(['enrich']);
    expect(r.body.items.find((i) => i.code === 'state-not-restorable')).toMatchObject({ severity: 'blocking' });
    const allowed = await deploy('sessionizer-2.0.0-drops-enrich.jar', { allowNonRestoredState: true });
    expect(allowed.body.ok).toBe(true);
    expect(allowed.body.items.find((i) => i.code === 'state-dropped')).toMatchObject({ severity: 'warning' });
  });

  it('knows the KPUs the new parallelism needs and the 64-KPU limit', async () => {
    const r = await update('clickstream-sessionizer', {
      parallelism: { parallelism: 130, parallelismPerKpu: 2, autoScaling: false },
    });
    expect(r.body.kpus).toEqual({ current: 2, next: 65, limit: 64 });
    expect(r.body.ok).toBe(false);
    expect(r.body.items.find((i) => i.code === 'kpu-limit')?.message).toMatch(/65 KPUs/);
  });

  it('refuses a stale version', async () => {
    const r = await client.post<C.PreflightResponse>('/api/applications/orders-enricher/preflight', {
      action: 'update',
      update: { expectedVersionId: 1, snapshotsEnabled: true },
    });
    expect(r.body.items.find((i) => i.code === 'stale-version')).toMatchObject({ severity: 'blocking' });
  });

  it('for a READY application, warns what the next start will do', async () => {
    const r = await client.post<C.PreflightResponse>('/api/applications/inventory-aggregator/preflight', {
      action: 'update',
      update: {
        expectedVersionId: 1,
        code: { bucket: 'mfc-demo-artifacts', key: 'sessionizer/sessionizer-2.0.0-drops-enrich.jar' },
      },
    });
    expect(r.body.ok).toBe(true);
    expect(r.body.droppedUids).toEqual(['enrich']);
    expect(r.body.items.find((i) => i.code === 'state-not-restorable')).toMatchObject({ severity: 'warning' });
    expect(r.body.items.find((i) => i.code === 'state-not-restorable')!.message).toMatch(/the next start will fail/);
  });
});

describe('pre-flight of a start', () => {
  it('names the snapshot it will restore and the quota', async () => {
    const r = await client.post<C.PreflightResponse>('/api/applications/inventory-aggregator/preflight', {
      action: 'start',
    });
    expect(r.body.ok).toBe(true);
    expect(r.body.restore?.snapshotName).toMatch(/^stop-snapshot-inventory-aggregator-/);
    expect(r.body.snapshotQuota).toEqual({ used: 2, limit: 1000 });
    const skip = await client.post<C.PreflightResponse>('/api/applications/inventory-aggregator/preflight', {
      action: 'start',
      restoreType: 'SKIP_RESTORE_FROM_SNAPSHOT',
    });
    expect(skip.body.items.map((i) => i.code)).toContain('skip-restore');
    const missing = await client.post<C.PreflightResponse>('/api/applications/inventory-aggregator/preflight', {
      action: 'start',
      restoreType: 'RESTORE_FROM_CUSTOM_SNAPSHOT',
      snapshotName: 'nope',
    });
    expect(missing.body.ok).toBe(false);
  });

  it('blocks a restore from a snapshot whose key is disabled', async () => {
    await client.post('/api/applications/payments-fraud-detector/stop', {});
    await eventually(async () => {
      const v = await client.get<C.ApplicationView>('/api/applications/payments-fraud-detector');
      if (v.body.status !== 'READY') throw new Error(v.body.status);
    });
    const key = (await client.get<C.KeysResponse>('/api/keys')).body.keys[0]!;
    await client.post(`/api/keys/${key.keyId}/actions`, { action: 'disable', confirm: key.keyId });
    const r = await client.post<C.PreflightResponse>('/api/applications/payments-fraud-detector/preflight', {
      action: 'start',
    });
    expect(r.body.ok).toBe(false);
    expect(r.body.restore).toMatchObject({ keyArn: key.arn, keyState: 'Disabled' });
    expect(r.body.items.find((i) => i.code === 'key-unusable')?.message).toMatch(/Disabled: the restore will fail/);
    void bff;
  });
});

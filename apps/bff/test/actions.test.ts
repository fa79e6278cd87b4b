/** Acting through the BFF: roles, CSRF, typed confirmations, each action's effect, and the audit log. */
import type * as C from '@mfc/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bff } from '../src/server.js';
import { Client, eventually, startTestBff } from './harness.js';

let bff: Bff;
let client: Client;

beforeAll(async () => {
  ({ bff, client } = await startTestBff());
});
afterAll(() => bff.close());

const view = async (name: string) => (await client.get<C.ApplicationView>(`/api/applications/${name}`)).body;
const waitFor = (name: string, status: string) =>
  eventually(async () => {
    const v = await view(name);
    if (v.status !== status || v.currentOperation) throw new Error(`${name} is ${v.status}`);
    return v;
  });

describe('safety', () => {
  it('no session → 401; a mutation without the CSRF token → 403', async () => {
    const anonymous = new Client(bff.url);
    expect((await anonymous.get('/api/applications')).status).toBe(401);
    const noToken = await client.post<C.ErrorBody>('/api/applications/returns-forecaster/start', {}, { csrf: null });
    expect(noToken.status).toBe(403);
    expect(noToken.body.error.name).toBe('CsrfTokenInvalid');
    const wrong = await client.post<C.ErrorBody>(
      '/api/applications/returns-forecaster/start',
      {},
      { csrf: 'x'.repeat(43) },
    );
    expect(wrong.status).toBe(403);
  });

  it('a viewer cannot force stop (or do anything else)', async () => {
    const viewer = new Client(bff.url);
    await viewer.signIn();
    const switched = await viewer.post<C.SessionInfo>('/api/session/role', { role: 'viewer' });
    expect(switched.body.user.role).toBe('viewer');
    const r = await viewer.post<C.ErrorBody>('/api/applications/orders-enricher/stop', {
      force: true,
      confirm: 'orders-enricher',
    });
    expect(r.status).toBe(403);
    expect(r.body.error.name).toBe('Forbidden');
    expect((await viewer.get('/api/applications/orders-enricher')).status).toBe(200);
    expect((await view('orders-enricher')).status).toBe('RUNNING');
  });

  it('destructive actions need the application name typed', async () => {
    const r = await client.post<C.ErrorBody>('/api/applications/orders-enricher/stop', {
      force: true,
      confirm: 'orders',
    });
    expect(r.status).toBe(400);
    expect(r.body.error.name).toBe('ConfirmationRequired');
    expect((await client.post('/api/applications/orders-enricher/rollback', { expectedVersionId: 2 })).status).toBe(
      400,
    );
    expect((await client.del('/api/applications/returns-forecaster', { confirm: 'nope' })).status).toBe(400);
  });

  it('invalid input is a 400 naming the field; malformed JSON too', async () => {
    const r = await client.post<C.ErrorBody>('/api/applications/returns-forecaster/start', {
      restoreType: 'RESTORE_FROM_CUSTOM_SNAPSHOT',
    });
    expect(r.status).toBe(400);
    expect(r.body.error.issues?.[0]?.path).toBe('snapshotName');
    const res = await fetch(`${bff.url}/api/applications/returns-forecaster/start`, {
      method: 'POST',
      headers: {
        cookie: client.cookie!,
        'x-csrf-token': client.session!.csrfToken,
        'content-type': 'application/json',
      },
      body: '{oops',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as C.ErrorBody).error.name).toBe('MalformedJson');
  });
});

describe('actions', () => {
  it('start → RUNNING, with the operation id in the answer and the audit log', async () => {
    const r = await client.post<C.ActionResponse>('/api/applications/returns-forecaster/start', {
      restoreType: 'RESTORE_FROM_LATEST_SNAPSHOT',
    });
    expect(r.status).toBe(202);
    expect(r.body.operationId).toMatch(/^\w{12}$/);
    await waitFor('returns-forecaster', 'RUNNING');
    const audit = await client.get<C.AuditResponse>('/api/audit?limit=20');
    const entry = audit.body.entries.find((e) => e.operationId === r.body.operationId)!;
    expect(entry).toMatchObject({
      user: 'demo-operator',
      role: 'operator',
      target: 'returns-forecaster',
      outcome: 'success',
    });
    expect(entry.params).toEqual({ restoreType: 'RESTORE_FROM_LATEST_SNAPSHOT' });
  });

  it('creates a snapshot and deletes it with the snapshot name typed', async () => {
    expect((await client.post('/api/applications/returns-forecaster/snapshots', { name: 'bff-snap' })).status).toBe(
      202,
    );
    await eventually(async () => {
      const s = await client.get<C.SnapshotsResponse>('/api/applications/returns-forecaster/snapshots');
      expect(s.body.snapshots.find((x) => x.name === 'bff-snap')?.status).toBe('READY');
    });
    expect(
      (await client.del('/api/applications/returns-forecaster/snapshots/bff-snap', { confirm: 'wrong' })).status,
    ).toBe(400);
    expect(
      (await client.del('/api/applications/returns-forecaster/snapshots/bff-snap', { confirm: 'bff-snap' })).status,
    ).toBe(202);
    await eventually(async () => {
      const s = await client.get<C.SnapshotsResponse>('/api/applications/returns-forecaster/snapshots');
      expect(s.body.snapshots.map((x) => x.name)).not.toContain('bff-snap');
    });
  });

  it('a stale update is refused with the AWS error kept (409)', async () => {
    const r = await client.post<C.ErrorBody>('/api/applications/returns-forecaster/update', {
      expectedVersionId: 99,
      parallelism: { parallelism: 2, parallelismPerKpu: 1, autoScaling: false },
    });
    expect(r.status).toBe(409);
    expect(r.body.error.name).toBe('ConcurrentModificationException');
  });

  it('updates parallelism, then force stops with no snapshot taken', async () => {
    const before = await view('returns-forecaster');
    const u = await client.post<C.ActionResponse>('/api/applications/returns-forecaster/update', {
      expectedVersionId: before.versionId,
      parallelism: { parallelism: 4, parallelismPerKpu: 2, autoScaling: false },
    });
    expect(u.status).toBe(202);
    const after = await waitFor('returns-forecaster', 'RUNNING');
    expect(after.parallelism).toMatchObject({ parallelism: 4, kpus: 2 });
    const snapshotsBefore = (await client.get<C.SnapshotsResponse>('/api/applications/returns-forecaster/snapshots'))
      .body.snapshots.length;
    const f = await client.post<C.ActionResponse>('/api/applications/returns-forecaster/stop', {
      force: true,
      confirm: 'returns-forecaster',
    });
    expect(f.body.message).toMatch(/no snapshot/);
    await waitFor('returns-forecaster', 'READY');
    expect(
      (await client.get<C.SnapshotsResponse>('/api/applications/returns-forecaster/snapshots')).body.snapshots,
    ).toHaveLength(snapshotsBefore);
  });

  it('rolls the looping application back', async () => {
    const v = await view('orders-enricher');
    const r = await client.post<C.ActionResponse>('/api/applications/orders-enricher/rollback', {
      expectedVersionId: v.versionId,
      confirm: 'orders-enricher',
    });
    expect(r.status).toBe(202);
    const after = await waitFor('orders-enricher', 'RUNNING');
    expect(after).toMatchObject({ rolledBackFrom: 2, rolledBackTo: 1, versionId: 3 });
    expect(after.code?.fileKey).toBe('sessionizer/sessionizer-1.0.0.jar');
  });

  it('a key change waits for the next start', async () => {
    const keys = (await client.get<C.KeysResponse>('/api/keys')).body.keys;
    const v = await view('returns-forecaster');
    const r = await client.post('/api/applications/returns-forecaster/encryption', {
      expectedVersionId: v.versionId,
      keyType: 'CUSTOMER_MANAGED_KEY',
      keyId: keys[0]!.aliases[0],
    });
    expect(r.status).toBe(202);
    const pending = await waitFor('returns-forecaster', 'READY');
    expect(pending.encryption).toMatchObject({
      configured: { keyType: 'CUSTOMER_MANAGED_KEY' },
      inEffect: { keyType: 'AWS_OWNED_KEY' },
      pendingRestart: true,
    });
    await client.post('/api/applications/returns-forecaster/start', {});
    const restarted = await waitFor('returns-forecaster', 'RUNNING');
    expect(restarted.encryption.pendingRestart).toBe(false);
    expect(restarted.encryption.inEffect?.keyArn).toBe(keys[0]!.arn);
  });

  it('disables a key (typed), which the snapshots then flag, and enables it again', async () => {
    const key = (await client.get<C.KeysResponse>('/api/keys')).body.keys[0]!;
    expect((await client.post('/api/keys/' + key.keyId + '/actions', { action: 'disable' })).status).toBe(400);
    expect(
      (await client.post('/api/keys/' + key.keyId + '/actions', { action: 'disable', confirm: key.keyId })).status,
    ).toBe(200);
    const snaps = await client.get<C.SnapshotsResponse>('/api/applications/payments-fraud-detector/snapshots');
    expect(snaps.body.snapshots[0]!.flags).toContain('key-disabled');
    expect((await client.post('/api/keys/' + key.keyId + '/actions', { action: 'enable' })).status).toBe(200);
    expect((await client.post('/api/keys/' + key.keyId + '/actions', { action: 'rotate' })).status).toBe(200);
    const after = await client.get<C.KeyView>(`/api/keys/${key.keyId}`);
    expect(after.body.state).toBe('Enabled');
    expect(after.body.rotation.lastOnDemandRotationAt).toBeGreaterThan(0);
  });

  it('runs a demo scenario and moves the clock', async () => {
    const r = await client.post<{ detail: string }>('/api/demo/scenarios/slow-sink', {
      application: 'clickstream-sessionizer',
    });
    expect(r.status).toBe(200);
    expect(r.body.detail).toMatch(/sessionizer-1.4.0-slow-sink.jar/);
    const c = await client.post<{ now: number }>('/api/demo/clock', { advanceMs: 60_000 });
    expect(c.status).toBe(200);
    expect((await client.post('/api/demo/clock', { speed: -1 })).status).toBe(400);
  });

  it('deletes an application with its name typed', async () => {
    await waitFor('inventory-aggregator', 'READY');
    const r = await client.del<C.ActionResponse>('/api/applications/inventory-aggregator', {
      confirm: 'inventory-aggregator',
    });
    expect(r.status).toBe(202);
    await eventually(async () => expect((await client.get('/api/applications/inventory-aggregator')).status).toBe(404));
  });

  it('the audit log records denied and failed actions too', async () => {
    const audit = await client.get<C.AuditResponse>('/api/audit?limit=200');
    const outcomes = new Set(audit.body.entries.map((e) => e.outcome));
    expect(outcomes).toEqual(new Set(['success', 'failure', 'denied']));
    expect(audit.body.entries.some((e) => e.role === 'viewer' && e.outcome === 'denied')).toBe(true);
    expect(audit.body.entries.some((e) => e.action.includes('preflight'))).toBe(false);
  });

  it('demo reset needs an admin', async () => {
    const r = await client.post<C.ErrorBody>('/api/demo/reset', {});
    expect(r.status).toBe(403);
    await client.post('/api/session/role', { role: 'admin' });
    expect((await client.post('/api/demo/reset', {})).status).toBe(200);
    const fleet = await client.get<C.FleetResponse>('/api/applications');
    expect(fleet.body.applications).toHaveLength(6);
  });
});

/**
 * Every read route of the BFF against the embedded emulator with the demo fleet, through a browser-like
 * client. The last test checks that every declared route was exercised by this file or actions.test.ts.
 */
import { request, type IncomingMessage } from 'node:http';
import { gunzipSync } from 'node:zlib';
import type * as C from '@mfc/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bff } from '../src/server.js';
import { startTestBff, type Client } from './harness.js';

let bff: Bff;
let client: Client;

beforeAll(async () => {
  ({ bff, client } = await startTestBff());
});
afterAll(() => bff.close());

describe('health, session, OpenAPI', () => {
  it('reports the target and the emulator clock', async () => {
    const r = await client.get<C.HealthResponse>('/api/health');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      status: 'ok',
      target: 'embedded',
      region: 'us-east-1',
      checks: { kinesisanalytics: { ok: true } },
    });
    expect(r.body.emulator?.timeProfile).toBe('instant');
  });

  it('signs a demo browser in as the demo operator', () => {
    expect(client.session).toMatchObject({ user: { name: 'demo-operator', role: 'operator' }, mode: 'demo' });
    expect(client.cookie).toMatch(/^mfc_session=/);
  });

  it('describes /api in OpenAPI 3.1 from the same schemas the routes validate with', async () => {
    const r = await client.get<{
      openapi: string;
      paths: Record<
        string,
        Record<
          string,
          { requestBody?: { content: Record<string, { schema: { properties?: object } }> }; 'x-required-role'?: string }
        >
      >;
    }>('/api/openapi.json');
    expect(r.body.openapi).toBe('3.1.0');
    const start = r.body.paths['/api/applications/{name}/start']!.post!;
    expect(start['x-required-role']).toBe('operator');
    expect(Object.keys(start.requestBody!.content['application/json']!.schema.properties!)).toEqual(
      expect.arrayContaining(['restoreType', 'snapshotName', 'allowNonRestoredState']),
    );
    expect(r.body.paths['/api/events']).toBeDefined();
    expect(Object.keys(r.body.paths).length).toBeGreaterThan(25);
  });
});

describe('compression', () => {
  const get = (path: string, signal?: AbortSignal) =>
    new Promise<IncomingMessage>((resolve, reject) =>
      request(`${bff.url}${path}`, { headers: { cookie: client.cookie!, 'accept-encoding': 'gzip' }, signal }, resolve)
        .on('error', reject)
        .end(),
    );

  it('gzips JSON answers for a client that accepts it', async () => {
    const res = await get('/api/applications');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    const body = JSON.parse(gunzipSync(Buffer.concat(await res.toArray())).toString('utf8')) as C.FleetResponse;
    expect(body.applications.length).toBeGreaterThan(0);
  });

  it('leaves the event stream unbuffered and uncompressed', async () => {
    const abort = new AbortController();
    const res = await get('/api/events', abort.signal);
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(res.headers['content-encoding']).toBeUndefined();
    // The first events arrive at once, not when a compression buffer fills.
    const first = await new Promise<string>((resolve) => res.once('data', (d: Buffer) => resolve(d.toString())));
    expect(first).toMatch(/^retry: 2000/);
    abort.abort();
    res.on('error', () => undefined);
  });
});

describe('the fleet and one application', () => {
  it('lists the demo fleet with job health and needs-attention flags', async () => {
    const r = await client.get<C.FleetResponse>('/api/applications');
    expect(r.status).toBe(200);
    const byName = Object.fromEntries(r.body.applications.map((a) => [a.name, a]));
    expect(Object.keys(byName).sort()).toEqual([
      'clickstream-sessionizer',
      'inventory-aggregator',
      'metrics-exporter',
      'orders-enricher',
      'payments-fraud-detector',
      'returns-forecaster',
    ]);
    expect(byName['orders-enricher']).toMatchObject({
      status: 'RUNNING',
      versionId: 2,
      kpus: 2,
      attention: { flag: true },
    });
    expect(byName['orders-enricher']!.attention.reasons[0]).toMatch(
      /The job restarted \d+ times in the last 5 minutes/,
    );
    expect(byName['orders-enricher']!.jobHealth.restartsLast5m).toBeGreaterThan(0);
    expect(byName['clickstream-sessionizer']).toMatchObject({
      status: 'RUNNING',
      kpus: 2,
      parallelism: 4,
      attention: { flag: false },
    });
    expect(byName['payments-fraud-detector']!.encryption).toEqual({
      keyType: 'CUSTOMER_MANAGED_KEY',
      keyId: 'alias/mfc-demo-state',
    });
    expect(byName['returns-forecaster']).toMatchObject({ status: 'READY', jobHealth: { source: 'none' } });
  });

  it('shows one application with allowed actions and the reasons others are not', async () => {
    const r = await client.get<C.ApplicationView>('/api/applications/orders-enricher');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      name: 'orders-enricher',
      status: 'RUNNING',
      versionId: 2,
      versionUpdatedFrom: 1,
      parallelism: { parallelism: 2, parallelismPerKpu: 1, kpus: 2 },
      checkpointing: { configurationType: 'DEFAULT', intervalMs: 60000 },
      code: { fileKey: 'sessionizer/sessionizer-1.3.0-poison-pill.jar' },
      encryption: {
        configured: { keyType: 'AWS_OWNED_KEY' },
        inEffect: { keyType: 'AWS_OWNED_KEY' },
        pendingRestart: false,
      },
      lastOperation: { operation: 'UpdateApplication', status: 'SUCCESSFUL', versionFrom: 1, versionTo: 2 },
    });
    expect(r.body.allowedActions.stop).toEqual({ allowed: true });
    expect(r.body.allowedActions.start).toEqual({
      allowed: false,
      reason: 'Allowed only when the application is READY; it is RUNNING.',
    });
    expect(r.body.attention.flag).toBe(true);
  });

  it('resolves the customer managed key the application is configured with', async () => {
    const r = await client.get<C.ApplicationView>('/api/applications/payments-fraud-detector');
    expect(r.body.encryption.configured).toMatchObject({
      keyType: 'CUSTOMER_MANAGED_KEY',
      keyId: 'alias/mfc-demo-state',
      keyState: 'Enabled',
    });
    expect(r.body.encryption.configured.keyArn).toMatch(/^arn:aws:kms:us-east-1:123456789012:key\//);
    expect(r.body.encryption.inEffect?.keyArn).toBe(r.body.encryption.configured.keyArn);
  });

  it('answers AWS errors with their name, and bad input with a 400', async () => {
    const missing = await client.get<C.ErrorBody>('/api/applications/nope');
    expect(missing.status).toBe(404);
    expect(missing.body.error.name).toBe('ResourceNotFoundException');
    const bad = await client.get<C.ErrorBody>('/api/applications/bad%20name');
    expect(bad.status).toBe(400);
    expect((await client.get<C.ErrorBody>('/api/nothing-here')).status).toBe(404);
    const range = await client.get<C.ErrorBody>('/api/applications/orders-enricher/metrics?range=2d');
    expect(range.status).toBe(400);
    expect(range.body.error.issues?.[0]?.path).toBe('range');
  });
});

describe('versions and operations', () => {
  it('lists versions, shows one, and diffs two', async () => {
    const v = await client.get<C.VersionsResponse>('/api/applications/orders-enricher/versions');
    expect(v.body).toEqual({
      versions: [
        { versionId: 1, status: 'RUNNING' },
        { versionId: 2, status: 'RUNNING' },
      ],
      currentVersionId: 2,
    });
    const one = await client.get<{ version: { ApplicationVersionId: number } }>(
      '/api/applications/orders-enricher/versions/1',
    );
    expect(one.body.version.ApplicationVersionId).toBe(1);
    const diff = await client.get<C.VersionDiff>('/api/applications/orders-enricher/versions/diff?from=1&to=2');
    expect(diff.body.changes).toContainEqual({
      path: 'ApplicationConfiguration.ApplicationCodeConfigurationDescription.CodeContentDescription.S3ApplicationCodeLocationDescription.FileKey',
      from: 'sessionizer/sessionizer-1.0.0.jar',
      to: 'sessionizer/sessionizer-1.3.0-poison-pill.jar',
    });
  });

  it('lists operations with their details', async () => {
    const r = await client.get<C.OperationsResponse>('/api/applications/orders-enricher/operations');
    expect(r.body.operations.map((o) => `${o.operation}:${o.status}`)).toEqual([
      'StartApplication:SUCCESSFUL',
      'UpdateApplication:SUCCESSFUL',
    ]);
  });
});

describe('the Flink job', () => {
  it('shows the graph with ship strategies and subtask states, the restarts and the latest exception', async () => {
    const r = await client.get<C.JobView>('/api/applications/orders-enricher/job');
    expect(r.status).toBe(200);
    if (!r.body.available) throw new Error(r.body.reason);
    expect(r.body.vertices.map((v) => v.name)).toEqual([
      'Source: Kinesis clicks -> Enrich with user profile',
      'Session window 30 min',
      'Sink: Prometheus',
    ]);
    expect(r.body.edges.map((e) => e.shipStrategy)).toEqual(['HASH', 'FORWARD']);
    expect(r.body.vertices.every((v) => v.subtaskStates.length === v.parallelism)).toBe(true);
    expect(r.body.restarts).toBeGreaterThan(0);
    expect(r.body.latestException?.exceptionName).toBe('java.lang.NullPointerException');
    const sub = await client.get<C.SubtasksView>(
      `/api/applications/orders-enricher/job/vertices/${r.body.vertices[1]!.id}`,
    );
    expect(sub.body.subtasks).toHaveLength(2);
    expect(sub.body.subtasks[0]).toMatchObject({ index: 0, taskManagerId: expect.stringContaining('taskmanager') });
    expect((await client.get('/api/applications/orders-enricher/job/vertices/xyz')).status).toBe(400);
  });

  it('shows checkpoints and exceptions', async () => {
    const cp = await client.get<C.CheckpointsView>('/api/applications/clickstream-sessionizer/job/checkpoints');
    if (!cp.body.available) throw new Error(cp.body.reason);
    expect(cp.body.config).toMatchObject({ intervalMs: 60000, minPauseMs: 5000, mode: 'exactly_once' });
    expect(cp.body.counts.completed).toBeGreaterThan(5);
    expect(cp.body.history.length).toBeGreaterThan(0);
    const ex = await client.get<C.ExceptionsView>('/api/applications/orders-enricher/job/exceptions?max=3');
    expect(ex.body.entries.length).toBeLessThanOrEqual(3);
    expect(ex.body.entries[0]!.message).toMatch(/^java.lang.NullPointerException/);
  });

  it('says the dashboard is unavailable when the application is not running', async () => {
    const r = await client.get<C.JobView>('/api/applications/returns-forecaster/job');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      available: false,
      reason: 'The Flink dashboard is unavailable while the application is READY.',
      status: 'READY',
    });
  });
});

describe('metrics, logs, snapshots, artifacts, keys', () => {
  it('metrics show the fail-and-restart loop', async () => {
    const r = await client.get<C.MetricsResponse>('/api/applications/orders-enricher/metrics?range=15m');
    expect(r.body.periodSeconds).toBe(60);
    const restarts = r.body.series.find((s) => s.metric === 'fullRestarts')!;
    expect(restarts.points.length).toBeGreaterThan(5);
    expect(r.body.restartLoop.active).toBe(true);
    const healthy = await client.get<C.MetricsResponse>('/api/applications/clickstream-sessionizer/metrics?range=1h');
    expect(healthy.body.restartLoop.active).toBe(false);
  });

  it('logs carry the subtask transitions, filterable', async () => {
    const r = await client.get<C.LogsResponse>(
      '/api/applications/orders-enricher/logs?filter=switched%20from%20RUNNING%20to%20FAILED&limit=5',
    );
    expect(r.body.lines).toHaveLength(5);
    for (const l of r.body.lines) expect(l.message).toContain('switched from RUNNING to FAILED');
  });

  it('snapshots show their key and the quota', async () => {
    const r = await client.get<C.SnapshotsResponse>('/api/applications/inventory-aggregator/snapshots');
    expect(r.body.quota).toEqual({ used: 2, limit: 1000 });
    expect(r.body.snapshots.map((s) => s.name)).toContain('before-weekend');
    const cmk = await client.get<C.SnapshotsResponse>('/api/applications/payments-fraud-detector/snapshots');
    expect(cmk.body.snapshots[0]).toMatchObject({
      name: 'pre-audit',
      encryption: { keyType: 'CUSTOMER_MANAGED_KEY', keyState: 'Enabled' },
      flags: [],
    });
  });

  it('lists the code packages', async () => {
    const r = await client.get<C.ArtifactsResponse>('/api/artifacts');
    expect(r.body.artifacts.map((a) => a.key)).toContain('sessionizer/sessionizer-2.0.0-drops-enrich.jar');
  });

  it('keys list their aliases and what depends on them', async () => {
    const r = await client.get<C.KeysResponse>('/api/keys');
    expect(r.body.keys).toHaveLength(1);
    const key = r.body.keys[0]!;
    expect(key).toMatchObject({ state: 'Enabled', aliases: ['alias/mfc-demo-state'] });
    expect(key.dependents.applications).toEqual([{ name: 'payments-fraud-detector', use: 'configured-and-in-effect' }]);
    expect(key.dependents.snapshots).toEqual([{ application: 'payments-fraud-detector', name: 'pre-audit' }]);
    const one = await client.get<C.KeyView>(`/api/keys/${key.keyId}`);
    expect(one.body.arn).toBe(key.arn);
    expect((await client.get<C.ErrorBody>('/api/keys/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });
});

describe('demo controls', () => {
  it('list the scenarios and show the clock', async () => {
    const s = await client.get<C.DemoScenariosResponse>('/api/demo/scenarios');
    expect(s.body.scenarios.map((x) => x.name)).toContain('deploy-poison-pill');
    const c = await client.get<{ speed: number; timeProfile: string }>('/api/demo/clock');
    expect(c.body).toMatchObject({ speed: 1, timeProfile: 'instant' });
  });
});

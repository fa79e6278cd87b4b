/**
 * Every declared route answers (no 5xx, no missing route) with valid input, and the OpenAPI document
 * lists each one. Actions run against the demo fleet of a throwaway BFF.
 */
import type * as C from '@mfc/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bff } from '../src/server.js';
import { startTestBff, type Client } from './harness.js';

let bff: Bff;
let client: Client;
let values: Record<string, string>;

beforeAll(async () => {
  ({ bff, client } = await startTestBff());
  await client.post('/api/session/role', { role: 'admin' });
  const job = (
    await client.get<Extract<C.JobView, { available: true }>>('/api/applications/clickstream-sessionizer/job')
  ).body;
  const keys = (await client.get<C.KeysResponse>('/api/keys')).body;
  values = {
    name: 'clickstream-sessionizer',
    versionId: '1',
    vertexId: job.vertices[0]!.id,
    snapshot: 'nightly-1',
    keyId: keys.keys[0]!.keyId,
    scenario: 'slow-sink',
  };
});
afterAll(() => bff.close());

const BODIES: Record<string, unknown> = {
  'post /applications/:name/start': {},
  'post /applications/:name/stop': { force: true, confirm: 'clickstream-sessionizer' },
  'post /applications/:name/rollback': { expectedVersionId: 1, confirm: 'clickstream-sessionizer' },
  'post /applications/:name/update': { expectedVersionId: 1, snapshotsEnabled: true },
  'post /applications/:name/encryption': { expectedVersionId: 1, keyType: 'AWS_OWNED_KEY' },
  'post /applications/:name/preflight': { action: 'start' },
  'post /applications/:name/snapshots': { name: 'route-check' },
  'delete /applications/:name/snapshots/:snapshot': { confirm: 'nightly-1' },
  'delete /applications/:name': { confirm: 'clickstream-sessionizer' },
  'post /keys/:keyId/actions': { action: 'rotate' },
  'post /demo/scenarios/:scenario': { application: 'clickstream-sessionizer' },
  'post /demo/clock': { advanceMs: 1000 },
  'post /demo/reset': {},
};
const QUERIES: Record<string, string> = { 'get /applications/:name/versions/diff': '?from=1&to=1' };

describe('every declared route', () => {
  it('answers without a server error and is in the OpenAPI document', async () => {
    const openapi = (await client.get<{ paths: Record<string, Record<string, unknown>> }>('/api/openapi.json')).body;
    // Reads first, then actions, with delete and reset last so the others still find the application.
    const order = (r: { method: string; path: string }) =>
      r.method === 'get'
        ? 0
        : r.path.includes('reset')
          ? 3
          : r.method === 'delete' && r.path === '/applications/:name'
            ? 2
            : 1;
    const routes = [...bff.routes].sort((a, b) => order(a) - order(b));
    expect(routes.length).toBeGreaterThan(30);
    for (const route of routes) {
      const key = `${route.method} ${route.path}`;
      const path =
        route.path.replace(/:(\w+)/g, (_, p: string) => encodeURIComponent(values[p]!)) + (QUERIES[key] ?? '');
      const r = await client.request(
        route.method.toUpperCase(),
        `/api${path}`,
        route.method === 'get' ? undefined : (BODIES[key] ?? {}),
      );
      expect.soft(r.status, `${key} → ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`).toBeLessThan(500);
      expect.soft((r.body as C.ErrorBody).error?.name, key).not.toBe('NotFound');
      expect(openapi.paths[`/api${route.path.replace(/:(\w+)/g, '{$1}')}`]?.[route.method], key).toBeDefined();
    }
  });
});

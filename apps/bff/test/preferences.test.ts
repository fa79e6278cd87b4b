/** Preferences through the BFF: per user, validated, replaced whole, CSRF-protected and audited. */
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

describe('GET and POST /api/preferences', () => {
  it('keeps each user’s preferences, validated, and audits the change', async () => {
    expect((await client.get<C.PreferencesResponse>('/api/preferences')).body).toEqual({ preferences: {} });
    const saved = {
      theme: 'dark' as const,
      insightsQueries: [{ name: 'Failures', query: 'filter @message like /FAILED/ | stats count(*) by bin(5m)' }],
    };
    const post = await client.post<C.PreferencesResponse>('/api/preferences', saved);
    expect(post.status).toBe(200);
    expect((await client.get<C.PreferencesResponse>('/api/preferences')).body.preferences).toEqual(saved);

    for (const bad of [{ theme: 'purple' }, { colour: 'red' }, { insightsQueries: [{ name: '', query: 'x' }] }]) {
      const res = await client.post<C.ErrorBody>('/api/preferences', bad);
      expect(res.status).toBe(400);
      expect(res.body.error.name).toBe('ValidationError');
    }
    expect((await client.post('/api/preferences', { theme: 'light' }, { csrf: null })).status).toBe(403);

    // Another user (the demo's viewer is named demo-viewer) has their own.
    await client.post('/api/session/role', { role: 'viewer' });
    expect((await client.get<C.PreferencesResponse>('/api/preferences')).body.preferences).toEqual({});
    await client.post('/api/session/role', { role: 'operator' });
    expect((await client.get<C.PreferencesResponse>('/api/preferences')).body.preferences.theme).toBe('dark');

    const audit = await client.get<C.AuditResponse>('/api/audit?action=savePreferences');
    expect(audit.body.entries[0]).toMatchObject({ user: 'demo-operator', target: 'demo-operator', outcome: 'success' });
  });
});

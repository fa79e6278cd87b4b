/**
 * One suite, both stores: the embedded SQLite store and the PostgreSQL store (a real server started by
 * this file) must keep sessions, lockout, rate limits, audit and preferences the same way. Times are
 * the store's own clock, so expiries are asserted with limits of a few milliseconds against real waits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../src/store/postgres-store.js';
import { SqliteStore } from '../src/store/sqlite-store.js';
import type { SharedStore } from '../src/store/types.js';
import { startPostgres, type PostgresServer } from './postgres-server.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const LONG = { ttlMs: 3_600_000, idleTimeoutMs: 3_600_000 };
const RULE = { maxFailures: 3, lockMs: 60_000 };

let server: PostgresServer;
beforeAll(async () => {
  server = await startPostgres();
}, 120_000);
afterAll(() => server?.remove());

const stores: [string, () => Promise<SharedStore>][] = [
  ['sqlite', async () => new SqliteStore(':memory:')],
  ['postgres', async () => PostgresStore.open({ url: await server.createDatabase('contract') })],
];

describe.each(stores)('the %s store', (_kind, open) => {
  let store: SharedStore;
  beforeAll(async () => {
    store = await open();
  });
  afterAll(() => store?.close());

  it('keeps a session and finds it by id, with the store’s clock', async () => {
    const before = await store.now();
    const s = await store.sessions.create('s1', { name: 'alice', role: 'operator' }, 'csrf-1');
    expect(s).toMatchObject({ id: 's1', user: { name: 'alice', role: 'operator' }, csrfToken: 'csrf-1' });
    expect(s.createdAt).toBeGreaterThanOrEqual(before - 1);
    const found = await store.sessions.lookup('s1', LONG);
    expect(found).toMatchObject({ session: { id: 's1', user: { name: 'alice', role: 'operator' } } });
    expect((found as { now: number }).now).toBeGreaterThanOrEqual(s.createdAt);
    expect(await store.sessions.lookup('nope', LONG)).toEqual({ reason: 'unknown' });
  });

  it('ends a session past its lifetime or idle timeout, and removes it', async () => {
    await store.sessions.create('old', { name: 'bob', role: 'viewer' }, 'c');
    await store.sessions.create('idle', { name: 'carol', role: 'viewer' }, 'c');
    await sleep(30);
    expect(await store.sessions.lookup('old', { ttlMs: 10, idleTimeoutMs: 3_600_000 })).toEqual({ reason: 'expired' });
    expect(await store.sessions.lookup('old', LONG)).toEqual({ reason: 'unknown' });
    expect(await store.sessions.lookup('idle', { ttlMs: 3_600_000, idleTimeoutMs: 10 })).toEqual({ reason: 'idle' });
  });

  it('restarts the idle timeout on touch, and changes the user on a role switch', async () => {
    await store.sessions.create('t', { name: 'dave', role: 'operator' }, 'c');
    await sleep(40);
    await store.sessions.touch('t');
    // 40 ms since creation, a few since the touch: alive with a 30 ms idle timeout.
    expect(await store.sessions.lookup('t', { ttlMs: 3_600_000, idleTimeoutMs: 30 })).toHaveProperty('session');
    await store.sessions.setUser('t', { name: 'demo-viewer', role: 'viewer' });
    const found = (await store.sessions.lookup('t', LONG)) as { session: { user: unknown } };
    expect(found.session.user).toEqual({ name: 'demo-viewer', role: 'viewer' });
    await store.sessions.destroy('t');
    expect(await store.sessions.lookup('t', LONG)).toEqual({ reason: 'unknown' });
  });

  it('prunes expired sessions and keeps at most the newest N', async () => {
    for (let i = 0; i < 5; i++) {
      await store.sessions.create(`p${i}`, { name: 'erin', role: 'viewer' }, 'c');
      await sleep(2);
    }
    await store.sessions.prune(LONG, 2);
    const alive = [];
    for (let i = 0; i < 5; i++) if ('session' in (await store.sessions.lookup(`p${i}`, LONG))) alive.push(i);
    expect(alive).toEqual([3, 4]);
  });

  it('locks a username after the failures the rule allows, and unlocks on clear', async () => {
    expect(await store.lockout.lockedForMs('mallory', RULE)).toBe(0);
    expect(await store.lockout.fail('mallory', RULE)).toBe(0);
    expect(await store.lockout.fail('mallory', RULE)).toBe(0);
    const locked = await store.lockout.fail('mallory', RULE);
    expect(locked).toBeGreaterThan(59_000);
    expect(locked).toBeLessThanOrEqual(60_000);
    expect(await store.lockout.lockedForMs('mallory', RULE)).toBeGreaterThan(59_000);
    await store.lockout.clear('mallory');
    expect(await store.lockout.lockedForMs('mallory', RULE)).toBe(0);
  });

  it('forgets failures older than a lock period, and counts concurrent failures', async () => {
    const short = { maxFailures: 2, lockMs: 20 };
    await store.lockout.fail('oscar', short);
    await sleep(40);
    // The first failure is stale: this one starts a fresh count and does not lock.
    expect(await store.lockout.fail('oscar', short)).toBe(0);
    const rule = { maxFailures: 10, lockMs: 60_000 };
    await Promise.all(Array.from({ length: 9 }, () => store.lockout.fail('peggy', rule)));
    expect(await store.lockout.lockedForMs('peggy', rule)).toBe(0);
    expect(await store.lockout.fail('peggy', rule)).toBeGreaterThan(0);
  });

  it('counts hits in a fixed window, atomically, and starts a new window after it', async () => {
    const counts = await Promise.all(Array.from({ length: 10 }, () => store.rateLimits.hit('session:a', 60_000)));
    expect(counts.map((c) => c.hits).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const first = counts.find((c) => c.hits === 1)!;
    expect(first.resetAt - first.now).toBeGreaterThan(59_000);
    await store.rateLimits.unhit('session:a');
    expect((await store.rateLimits.hit('session:a', 60_000)).hits).toBe(10);
    await store.rateLimits.hit('session:b', 20);
    await sleep(40);
    expect((await store.rateLimits.hit('session:b', 20)).hits).toBe(1);
    await store.rateLimits.reset('session:a');
    expect((await store.rateLimits.hit('session:a', 60_000)).hits).toBe(1);
  });

  it('records audit entries durably, newest first, filtered and paged', async () => {
    const base = { role: 'operator', params: { force: true, nested: { a: [1, 2] } }, outcome: 'success' as const };
    const ids: number[] = [];
    for (let i = 0; i < 5; i++)
      ids.push(
        await store.audit.record({
          ...base,
          at: 1_000 + i,
          user: i % 2 ? 'alice' : 'bob',
          action: `POST /applications/:name/${i % 2 ? 'stop' : 'start'}`,
          target: `app-${i}`,
          ...(i === 4
            ? { operationId: 'op-4', outcome: 'failure' as const, error: 'ResourceInUseException: busy' }
            : {}),
        }),
      );
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    const all = await store.audit.list({ limit: 10 });
    expect(all.map((e) => e.target).slice(0, 5)).toEqual(['app-4', 'app-3', 'app-2', 'app-1', 'app-0']);
    expect(all[0]).toEqual({
      id: ids[4],
      at: 1_004,
      user: 'bob',
      role: 'operator',
      action: 'POST /applications/:name/start',
      target: 'app-4',
      params: { force: true, nested: { a: [1, 2] } },
      outcome: 'failure',
      operationId: 'op-4',
      error: 'ResourceInUseException: busy',
    });
    expect((await store.audit.list({ user: 'alice' })).map((e) => e.target)).toEqual(['app-3', 'app-1']);
    expect((await store.audit.list({ before: ids[2], limit: 1 })).map((e) => e.target)).toEqual(['app-1']);
    expect((await store.audit.list({ target: 'app-0', action: 'POST /applications/:name/start' })).length).toBe(1);
  });

  it('saves preferences per user, replacing them whole', async () => {
    expect(await store.preferences.get('alice')).toEqual({});
    await store.preferences.set('alice', { theme: 'dark', insights: [{ name: 'mine', query: 'fields @message' }] });
    await store.preferences.set('bob', { theme: 'light' });
    await store.preferences.set('alice', { theme: 'light' });
    expect(await store.preferences.get('alice')).toEqual({ theme: 'light' });
    expect(await store.preferences.get('bob')).toEqual({ theme: 'light' });
  });
});

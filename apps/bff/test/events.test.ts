/** Server-Sent Events: delivery, resume from Last-Event-ID, and pollers that run only while someone watches. */
import type * as C from '@mfc/contracts';
import { decodeSubtaskRuns, ServerEvent } from '@mfc/contracts';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Bff } from '../src/server.js';
import { DashboardClient } from '../src/services/dashboard.js';

const original = DashboardClient.prototype.get;
import { eventually, readEvents, startTestBff, type Client } from './harness.js';

let bff: Bff;
let client: Client;

beforeAll(async () => {
  ({ bff, client } = await startTestBff());
});
afterAll(() => bff.close());

type Ev = { id?: string; event?: string; data: unknown };
const data = (events: Ev[]) => events.map((e) => e.data as C.ServerEvent).filter(Boolean);

describe('GET /api/events', () => {
  it('needs a session', async () => {
    const res = await fetch(`${bff.url}/api/events`);
    expect(res.status).toBe(401);
  });

  it('pushes status, operation and job changes of a watched application', async () => {
    const headers = { cookie: client.cookie! };
    // The status and the job have pollers of their own: either may report RUNNING first, so read until both have.
    const reading = readEvents(
      `${bff.url}/api/events?watch=returns-forecaster`,
      headers,
      (events) =>
        data(events).some(
          (e) =>
            e.type === 'job' &&
            e.application === 'returns-forecaster' &&
            // On the wire as runs: every vertex one run of RUNNING subtasks.
            Object.values(e.subtaskRuns).every((runs) => decodeSubtaskRuns(runs).every((s) => s === 'RUNNING')) &&
            Object.keys(e.subtaskRuns).length > 0,
        ) &&
        data(events).some(
          (e) => e.type === 'application' && e.application === 'returns-forecaster' && e.status === 'RUNNING',
        ),
    );
    // Let the pollers learn the current state before acting: the fleet's first read learns statuses silently.
    await eventually(async () => expect(bff.watchers.activePollers.applications).toContain('returns-forecaster'));
    await eventually(async () => expect(bff.watchers.isFleetPrimed).toBe(true));
    await new Promise((r) => setTimeout(r, 200));
    const start = await client.post<C.ActionResponse>('/api/applications/returns-forecaster/start', {});
    const events = data(await reading);
    const statuses = events
      .filter(
        (e): e is Extract<C.ServerEvent, { type: 'application' }> =>
          e.type === 'application' && e.application === 'returns-forecaster',
      )
      .map((e) => e.status);
    expect(statuses).toContain('RUNNING');
    const ops = events.filter((e): e is Extract<C.ServerEvent, { type: 'operation' }> => e.type === 'operation');
    expect(ops.some((e) => e.operation.id === start.body.operationId)).toBe(true);
    expect(events.some((e) => e.type === 'fleet')).toBe(true);
  });

  it('does not repeat a finished operation while a looping job restarts', async () => {
    const headers = { cookie: client.cookie! };
    const isJob = (e: C.ServerEvent) => e.type === 'job' && e.application === 'orders-enricher';
    const reading = readEvents(
      `${bff.url}/api/events?watch=orders-enricher`,
      headers,
      (events) => data(events).filter(isJob).length >= 4,
    );
    await eventually(async () => expect(bff.watchers.activePollers.applications).toContain('orders-enricher'));
    // The poison pill fails the job every few simulated seconds: move time so the subtasks keep changing.
    const clock = setInterval(
      () =>
        void fetch(`${bff.emulator!.url}/_emulator/clock`, {
          method: 'POST',
          body: JSON.stringify({ advanceMs: 3_000 }),
        }).catch(() => undefined),
      120,
    );
    const events = data(await reading).filter((e) => 'application' in e && e.application === 'orders-enricher');
    clearInterval(clock);
    expect(events.filter(isJob).length).toBeGreaterThanOrEqual(4);
    // Each is a valid event whose runs decode to the states of the vertex's subtasks.
    for (const e of events.filter(isJob)) {
      expect(ServerEvent.safeParse(e).success).toBe(true);
      if (e.type !== 'job') continue;
      for (const runs of Object.values(e.subtaskRuns)) expect(decodeSubtaskRuns(runs).length).toBeGreaterThan(0);
    }
    // The first poll announces the latest (finished) operation once; restarts do not announce it again.
    expect(events.filter((e) => e.type === 'operation').length).toBeLessThanOrEqual(1);
  });

  it('resumes from Last-Event-ID with the events missed while away', async () => {
    const headers = { cookie: client.cookie! };
    // Connect, note the last id, leave.
    const first = await readEvents(
      `${bff.url}/api/events?watch=returns-forecaster`,
      headers,
      (events) => events.length > 0,
      2000,
    );
    const lastId = first.at(-1)!.id!;
    // Something happens while a second tab keeps the pollers running.
    const isReady = (e: Ev) => {
      const d = e.data as C.ServerEvent | undefined;
      return d?.type === 'application' && d.application === 'returns-forecaster' && d.status === 'READY';
    };
    const keepAlive = readEvents(`${bff.url}/api/events`, headers, (events) => events.some(isReady));
    await new Promise((r) => setTimeout(r, 200));
    await client.post('/api/applications/returns-forecaster/stop', {});
    const live = (await keepAlive).find(isReady)!;
    const resumed = await readEvents(
      `${bff.url}/api/events?watch=returns-forecaster`,
      { ...headers, 'last-event-id': lastId },
      (events) => events.some(isReady),
      3000,
    );
    // The READY event comes back replayed: the same id the live stream saw, after the id we left at.
    const replayed = resumed.find(isReady)!;
    expect(replayed.id).toBe(live.id);
    expect(Number(replayed.id)).toBeGreaterThan(Number(lastId));
    expect(resumed.some((e) => e.event === 'hello' || e.event === 'reset')).toBe(false);
  });

  it('sends a reset when the missed events are no longer kept', async () => {
    const events = await readEvents(
      `${bff.url}/api/events?lastEventId=0`,
      { cookie: client.cookie! },
      (e) => e.length > 0,
      2000,
    );
    // Event ids start at 1, so everything after 0 is still kept: no reset here.
    expect(events.some((e) => e.event === 'reset')).toBe(false);
    bff.bus.publish({ type: 'fleet', changed: [] });
    for (let i = 0; i < 2100; i++) bff.bus.publish({ type: 'fleet', changed: [] });
    const late = await readEvents(
      `${bff.url}/api/events?lastEventId=1`,
      { cookie: client.cookie! },
      (e) => e.length > 0,
      2000,
    );
    expect(late[0]!.event).toBe('reset');
  });

  it('reads nothing from the lifecycle API while nothing changes, and still sees the next change', async () => {
    const emulator = bff.emulator!;
    const clock = (body: object) =>
      fetch(`${emulator.url}/_emulator/clock`, { method: 'POST', body: JSON.stringify(body) });
    const app = 'returns-forecaster';
    // Time stands still, so only a request can change anything.
    await clock({ speed: 0 });
    try {
      await eventually(async () =>
        expect((await client.get<C.ApplicationView>(`/api/applications/${app}`)).body.status).toBe('READY'),
      );
      const reads = () => emulator.readCache.hits + emulator.readCache.misses;
      // The instant profile may reach RUNNING before a poll sees STARTING.
      const isStarting = (e: C.ServerEvent) =>
        e.type === 'application' && e.application === app && (e.status === 'STARTING' || e.status === 'RUNNING');
      const reading = readEvents(`${bff.url}/api/events?watch=${app}`, { cookie: client.cookie! }, (events) =>
        data(events).some(isStarting),
      );
      await eventually(async () => expect(bff.watchers.activePollers.applications).toContain(app));
      // The pollers' first rounds read; after that every 50 ms poll finds the same generation.
      await new Promise((r) => setTimeout(r, 300));
      const before = reads();
      await new Promise((r) => setTimeout(r, 1000));
      expect(reads() - before).toBe(0);
      await client.post(`/api/applications/${app}/start`, {});
      expect(data(await reading).some(isStarting)).toBe(true);
      expect(reads()).toBeGreaterThan(before);
    } finally {
      await clock({ speed: 1 });
    }
  });

  it("reads a steady job's subtasks only every few seconds, and its counts on every poll", async () => {
    const app = 'clickstream-sessionizer';
    const emulator = bff.emulator!;
    const clock = (body: object) =>
      fetch(`${emulator.url}/_emulator/clock`, { method: 'POST', body: JSON.stringify(body) });
    const gets: string[] = [];
    const spy = vi.spyOn(DashboardClient.prototype, 'get').mockImplementation(async function (
      this: DashboardClient,
      name: string,
      path: string,
    ) {
      if (name === app) gets.push(path);
      return original.call(this, name, path) as never;
    });
    await clock({ speed: 0 });
    try {
      const stream = readEvents(`${bff.url}/api/events?watch=${app}`, { cookie: client.cookie! }, () => false, 1500);
      await eventually(async () => expect(bff.watchers.activePollers.applications).toContain(app));
      await new Promise((r) => setTimeout(r, 300));
      gets.length = 0;
      await stream;
      const details = gets.filter((p) => /^\/jobs\/[0-9a-f]{32}$/.test(p)).length;
      const vertexReads = gets.filter((p) => p.includes('/vertices/')).length;
      // About 20 polls at 50 ms, each reading the job's details; its vertices not once in those 1.2 s.
      expect(details).toBeGreaterThan(10);
      expect(vertexReads).toBe(0);
    } finally {
      spy.mockRestore();
      await clock({ speed: 1 });
    }
  });

  it('stops polling when nobody watches', async () => {
    await eventually(async () => expect(bff.watchers.activePollers).toEqual({ fleet: false, applications: [] }));
  });
});

/**
 * Three BFF replicas on one PostgreSQL database, in front of one standalone emulator, as a team would run
 * the console behind a load balancer: a session made on one replica works on the others, one replica
 * leads the fleet poll, and when it is killed (SIGKILL) another takes the duty over within 5 s and the
 * browsers on the survivors still hear the status change made meanwhile, with the same event ids.
 */
import type { ChildProcess } from 'node:child_process';
import * as ka from '@aws-sdk/client-kinesis-analytics-v2';
import type * as C from '@mfc/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, eventually, readEvents } from './harness.js';
import { startPostgres, type PostgresServer } from './postgres-server.js';
import { bffProcess, childEnv, emulatorProcess, killAll, stop } from './processes.js';

const SECRET = 'replicas-share-this-secret-0123456789abcdef';
const HEALTHY = 'clickstream-sessionizer';

let pg: PostgresServer;
let emulatorUrl: string;
let dbUrl: string;
const replicas: { child: ChildProcess; url: string }[] = [];

beforeAll(async () => {
  pg = await startPostgres();
  dbUrl = await pg.createDatabase('replicas');
  emulatorUrl = (await emulatorProcess(['--in-memory', '--demo'])).url;
  const env = {
    MFC_TARGET: 'aws',
    MFC_ENDPOINT: emulatorUrl,
    MFC_DATABASE_URL: dbUrl,
    MFC_SESSION_SECRET: SECRET,
    MFC_MODE: 'demo',
  };
  // Started together: the migrations run once, under their advisory lock.
  const started = await Promise.all(
    ['a', 'b', 'c'].map((id) => bffProcess({ ...env, MFC_REPLICA_ID: `replica-${id}` })),
  );
  replicas.push(...started);
}, 180_000);

afterAll(() => {
  killAll();
  pg?.remove();
});

const health = async (url: string) => (await (await fetch(`${url}/api/health`)).json()) as C.HealthResponse;

describe('replicas on one database', { timeout: 120_000 }, () => {
  it('share sessions and the audit log', async () => {
    const [a, b] = replicas;
    const onA = new Client(a!.url);
    const session = await onA.signIn();
    const onB = new Client(b!.url);
    onB.cookie = onA.cookie;
    const same = await onB.signIn();
    expect(same).toEqual(session);
    // A mutation on B with A's CSRF token is audited once, and A reads it.
    onB.session = session;
    const snap = await onB.post<C.ActionResponse>(`/api/applications/${HEALTHY}/snapshots`, { name: 'from-b' });
    expect(snap.status).toBe(202);
    const audit = await onA.get<C.AuditResponse>('/api/audit?limit=5');
    expect(audit.body.entries[0]).toMatchObject({ target: `${HEALTHY}/from-b`, outcome: 'success' });
  });

  it('elect one fleet leader; when it is killed another takes over within 5 s and no browser misses the change', async () => {
    const client = new Client(replicas[0]!.url);
    await client.signIn();
    const headers = { cookie: client.cookie! };
    // Browsers on every replica: each campaigns for the fleet duty, one leads it.
    const streams = replicas.map((r) =>
      readEvents(
        `${r.url}/api/events`,
        headers,
        (events) =>
          events.some((e) => {
            const d = e.data as C.ServerEvent | undefined;
            return d?.type === 'application' && d.application === HEALTHY && d.status === 'READY';
          }),
        60_000,
      ).catch(() => []),
    );
    const leaders = await eventually(async () => {
      const all = await Promise.all(replicas.map((r) => health(r.url)));
      const leading = all.filter((h) => h.replica!.leading.includes('fleet'));
      expect(leading).toHaveLength(1);
      expect(all.every((h) => h.replica!.store === 'postgres')).toBe(true);
      return leading.map((h) => h.replica!.id);
    }, 15_000);
    const leader = replicas.find((r, i) => `replica-${'abc'[i]}` === leaders[0])!;
    const survivors = replicas.filter((r) => r !== leader);
    // Let the leader publish its first poll, so the state the next one inherits is current.
    await new Promise((r) => setTimeout(r, 1_000));

    await stop(leader.child, 'SIGKILL');
    const killedAt = Date.now();
    // The change happens while no replica leads the fleet poll.
    const sdk = new ka.KinesisAnalyticsV2Client({
      endpoint: emulatorUrl,
      region: 'us-east-1',
      credentials: { accessKeyId: childEnv.AWS_ACCESS_KEY_ID, secretAccessKey: childEnv.AWS_SECRET_ACCESS_KEY },
    });
    await sdk.send(new ka.StopApplicationCommand({ ApplicationName: HEALTHY }));

    const takeover = await eventually(async () => {
      const all = await Promise.all(survivors.map((r) => health(r.url)));
      expect(all.filter((h) => h.replica!.leading.includes('fleet'))).toHaveLength(1);
      return Date.now() - killedAt;
    }, 10_000);
    expect(takeover).toBeLessThan(5_000);
    console.info(`fleet duty taken over ${takeover} ms after the leader was killed`);

    const survivorEvents = await Promise.all(streams.filter((_s, i) => replicas[i] !== leader));
    const statusEvents = survivorEvents.map((events) =>
      events
        .filter((e) => {
          const d = e.data as C.ServerEvent | undefined;
          return d?.type === 'application' && d.application === HEALTHY;
        })
        .map((e) => ({ id: e.id, status: (e.data as { status?: string }).status })),
    );
    for (const s of statusEvents) expect(s.at(-1)?.status).toBe('READY');
    // The same events with the same ids on both survivors: a browser resumes on either.
    expect(statusEvents[0]).toEqual(statusEvents[1]);
  });
});

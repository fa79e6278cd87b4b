/**
 * The job prober: what it reads from a dashboard (replaying recorded answers), how long it keeps a read,
 * how many reads it makes at once, and what it says when a dashboard cannot be read.
 */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { AwsClients } from '../src/aws/clients.js';
import { gatherFacts, jobHealthOf } from '../src/health/facts.js';
import {
  CHECKPOINTS_TTL_MS,
  INLINE_PROBES,
  JobProber,
  PROBE_CONCURRENCY,
  PROBE_MAX_STALE_MS,
  PROBE_TTL_MS,
} from '../src/health/prober.js';
import { attentionOf } from '../src/health/rules.js';
import { DashboardClient, DashboardError } from '../src/services/dashboard.js';
import type { FlinkJobsOverview } from '../src/services/flink-types.js';
import { HEALTH_WINDOW_MS } from '../src/services/metrics.js';
import { fixedClock, recorded, recordedDashboard, STALE_MS } from './fixtures/health.js';

const r = recorded('restarting');
const HEALTHY = 'clickstream-sessionizer';

/** The recorded dashboard answering any application name as clickstream-sessionizer, counting reads. */
function countingDashboard(hold?: Promise<void>) {
  const recordedOne = recordedDashboard(r);
  const stats = { reads: [] as string[], mostApps: 0 };
  /** Requests in flight per application. */
  const inFlight = new Map<string, number>();
  const dashboard = {
    async get<T>(app: string, path: string): Promise<T> {
      stats.reads.push(`${app} ${path}`);
      inFlight.set(app, (inFlight.get(app) ?? 0) + 1);
      stats.mostApps = Math.max(stats.mostApps, inFlight.size);
      try {
        await hold;
        return await recordedOne.get<T>(HEALTHY, path);
      } finally {
        const n = inFlight.get(app)! - 1;
        if (n === 0) inFlight.delete(app);
        else inFlight.set(app, n);
      }
    },
  } as DashboardClient;
  return { dashboard, stats };
}

const overviews = (reads: string[]) => reads.filter((x) => x.endsWith(' /jobs/overview')).length;

describe('reading a job', () => {
  it('reads the job’s overview, exceptions, checkpoints and (once per job) its checkpoint configuration', async () => {
    let wall = 0;
    const { dashboard, stats } = countingDashboard();
    const prober = new JobProber(dashboard, fixedClock(r.now), () => wall);
    const probe = await prober.current('a');
    expect(stats.reads.map((x) => x.replace(/[0-9a-f]{32}/, '{jid}'))).toEqual([
      'a /jobs/overview',
      'a /jobs/{jid}/exceptions?maxExceptions=20',
      'a /jobs/{jid}/checkpoints',
      'a /jobs/{jid}/checkpoints/config',
    ]);
    expect(probe).toMatchObject({
      readAt: r.now,
      job: { state: 'RUNNING', subtasks: { total: 12, running: 12, failed: 0, canceled: 0 } },
      exceptions: { entries: [], truncated: false },
      checkpoints: { intervalMs: 60_000, failures: [] },
      unread: [],
    });
    expect(probe.checkpoints?.latestCompletedAt).toBeLessThan(r.now);
    wall += CHECKPOINTS_TTL_MS;
    await prober.current('a');
    expect(stats.reads.filter((x) => x.endsWith('/checkpoints'))).toHaveLength(2);
    expect(stats.reads.filter((x) => x.endsWith('/checkpoints/config'))).toHaveLength(1);
  });

  it('reads the exception history again only when the job moved, and the checkpoints at most every 30 s', async () => {
    let wall = 0;
    let modified = 0;
    const recordedOne = recordedDashboard(r);
    const reads: string[] = [];
    const dashboard = {
      get: async <T>(_app: string, path: string): Promise<T> => {
        reads.push(path.replace(/[0-9a-f]{32}/, '{jid}').replace(/\?.*/, ''));
        const answer = await recordedOne.get<T>(HEALTHY, path);
        if (path === '/jobs/overview') (answer as FlinkJobsOverview).jobs[0]!['last-modification'] += modified;
        return answer;
      },
    } as DashboardClient;
    const prober = new JobProber(dashboard, fixedClock(r.now), () => wall);
    const first = await prober.current('a');
    reads.length = 0;
    wall += PROBE_TTL_MS;
    const second = await prober.current('a');
    expect(reads).toEqual(['/jobs/overview']);
    expect(second.exceptions).toBe(first.exceptions);
    expect(second.checkpoints).toBe(first.checkpoints);
    // A subtask changed state: the history may hold a new exception.
    modified = 1;
    reads.length = 0;
    wall += PROBE_TTL_MS;
    await prober.current('a');
    expect(reads).toEqual(['/jobs/overview', '/jobs/{jid}/exceptions']);
    reads.length = 0;
    wall += CHECKPOINTS_TTL_MS;
    await prober.current('a');
    expect(reads).toEqual(['/jobs/overview', '/jobs/{jid}/checkpoints']);
  });

  it('keeps a read for its TTL, then reads again', async () => {
    let wall = 0;
    const { dashboard, stats } = countingDashboard();
    const prober = new JobProber(dashboard, fixedClock(r.now), () => wall);
    const first = await prober.current('a');
    wall += PROBE_TTL_MS - 1;
    expect(await prober.current('a')).toBe(first);
    expect(overviews(stats.reads)).toBe(1);
    wall += 1;
    expect(await prober.current('a')).not.toBe(first);
    expect(overviews(stats.reads)).toBe(2);
  });

  it('answers checkpointing off (404 for the job’s checkpoints) as none to judge, not as unread', async () => {
    const recordedOne = recordedDashboard(r);
    const dashboard = {
      get: async <T>(_app: string, path: string): Promise<T> => {
        if (path.includes('/checkpoints')) throw new DashboardError(404, 'Checkpointing is not enabled.');
        return recordedOne.get<T>(HEALTHY, path);
      },
    } as DashboardClient;
    const probe = await new JobProber(dashboard, fixedClock(r.now)).current('a');
    expect(probe.checkpoints).toBeNull();
    expect(probe.unread).toEqual([]);
  });
});

describe('the fleet’s jobs', () => {
  it('reads a few missing jobs before answering', async () => {
    const { dashboard, stats } = countingDashboard();
    const prober = new JobProber(dashboard, fixedClock(r.now));
    const names = Array.from({ length: INLINE_PROBES }, (_, i) => `app-${i}`);
    const out = await prober.fleet(names);
    expect([...out.values()].every((p) => p !== 'pending' && p.job?.state === 'RUNNING')).toBe(true);
    expect(overviews(stats.reads)).toBe(INLINE_PROBES);
  });

  it('answers many missing jobs pending, reads them in the background a few applications at a time, then says which', async () => {
    let release!: () => void;
    const hold = new Promise<void>((resolve) => (release = resolve));
    const { dashboard, stats } = countingDashboard(hold);
    const prober = new JobProber(dashboard, fixedClock(r.now));
    const probed = new Promise<string[]>((resolve) => (prober.onProbed = resolve));
    const names = Array.from({ length: 40 }, (_, i) => `app-${i}`);
    const out = await prober.fleet(names);
    expect([...out.values()]).toEqual(names.map(() => 'pending'));
    release();
    expect((await probed).sort()).toEqual([...names].sort());
    // Applications whose dashboards are read at once (each read is a few requests, two of them together).
    expect(stats.mostApps).toBe(PROBE_CONCURRENCY);
    const again = await prober.fleet(names);
    expect([...again.values()].every((p) => p !== 'pending')).toBe(true);
    expect(overviews(stats.reads)).toBe(40);
  });

  it('serves a stale read while reading it again; past the stale limit, a read says nothing about now', async () => {
    let wall = 0;
    const { dashboard, stats } = countingDashboard();
    const prober = new JobProber(dashboard, fixedClock(r.now), () => wall);
    const first = (await prober.fleet(['a'])).get('a');
    wall += PROBE_TTL_MS;
    expect((await prober.fleet(['a'])).get('a')).toBe(first);
    // The read again is in flight: the next answer for 'a' waits for it rather than reading a third time.
    const refreshed = await prober.current('a');
    expect(refreshed).not.toBe(first);
    expect(overviews(stats.reads)).toBe(2);
    wall += PROBE_MAX_STALE_MS;
    const fresh = (await prober.fleet(['a'])).get('a');
    expect(fresh).not.toBe(refreshed);
    expect(overviews(stats.reads)).toBe(3);
  });
});

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A DashboardClient whose CreateApplicationPresignedUrl answers as given (or throws it). */
function presigning(answer: () => object): DashboardClient {
  const clients = {
    kinesisAnalytics: {
      send: async () => {
        const a = answer();
        if (a instanceof Error) throw a;
        return a;
      },
    },
  } as unknown as AwsClients;
  return new DashboardClient(clients);
}

const judge = (probe: Awaited<ReturnType<JobProber['current']>>) => {
  const facts = gatherFacts({
    status: 'RUNNING',
    now: r.now,
    windowMs: HEALTH_WINDOW_MS,
    checkpointStaleMs: STALE_MS,
    metrics: { restartsLast5m: 0, failedCheckpointsLast5m: 0, totalRestarts: 0, downtimeMs: 0, datapoints: 6 },
    probe,
  });
  return { attention: attentionOf(facts), health: jobHealthOf(facts) };
};

describe('a dashboard that cannot be read', () => {
  it('unreachable: the job is unread and the application needs attention, never healthy', async () => {
    const port = await closedPort();
    const dashboard = presigning(() => ({
      AuthorizedUrl: `http://127.0.0.1:${port}/flinkdashboard/x/?authToken=t`,
    }));
    const probe = await new JobProber(dashboard, fixedClock(r.now)).current('a');
    expect(probe.job).toBeUndefined();
    expect(probe.unread).toEqual([
      { facts: 'job', reason: expect.stringMatching(/^The Flink dashboard could not be reached \(/) },
    ]);
    const { attention, health } = judge(probe);
    expect(attention.flag).toBe(true);
    expect(attention.signals).toEqual([
      { signal: 'job-unreadable', tab: 'job', message: `Could not read the job: ${probe.unread[0]!.reason}` },
    ]);
    expect(health.source).toBe('metrics');
    expect(health.jobStatus).toBeUndefined();
    expect(health.unread).toEqual(probe.unread);
  });

  it('unavailable (the service refuses the presigned URL): says why', async () => {
    const refused = Object.assign(new Error('Application a is in STOPPING status.'), {
      name: 'ResourceInUseException',
    });
    const probe = await new JobProber(
      presigning(() => refused),
      fixedClock(r.now),
    ).current('a');
    expect(probe.unread).toEqual([
      { facts: 'job', reason: 'The Flink dashboard is unavailable while the application is STOPPING.' },
    ]);
    expect(judge(probe).attention.reasons).toEqual([
      'Could not read the job: The Flink dashboard is unavailable while the application is STOPPING.',
    ]);
  });

  it('one resource failing: the rest is read, the failed part is named', async () => {
    const recordedOne = recordedDashboard(r);
    const dashboard = {
      get: async <T>(_app: string, path: string): Promise<T> => {
        if (path.includes('/exceptions')) throw new DashboardError(500, 'boom');
        return recordedOne.get<T>(HEALTHY, path);
      },
    } as DashboardClient;
    const probe = await new JobProber(dashboard, fixedClock(r.now)).current('a');
    expect(probe.job?.state).toBe('RUNNING');
    expect(probe.exceptions).toBeUndefined();
    expect(probe.unread).toEqual([{ facts: 'exceptions', reason: 'The Flink dashboard answered HTTP 500 (boom).' }]);
    const { attention, health } = judge(probe);
    expect(attention.reasons).toEqual(['Could not read its exceptions: The Flink dashboard answered HTTP 500 (boom).']);
    expect(health.exceptionsInWindow).toBeUndefined();
    expect(health.jobStatus).toBe('RUNNING');
  });
});

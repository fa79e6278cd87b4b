/**
 * The Flink dashboard REST API behind CreateApplicationPresignedUrl, driven the way an operator does:
 * lifecycle through the AWS SDK, then the presigned URL's token on the JobManager REST paths.
 */
import * as ka from '@aws-sdk/client-kinesis-analytics-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../src/server.js';

let emu: Emulator;
let client: ka.KinesisAnalyticsV2Client;

const ROLE = 'arn:aws:iam::123456789012:role/r';
const HEX32 = /^[0-9a-f]{32}$/;

beforeAll(async () => {
  emu = await startEmulator({ inMemory: true, port: 0, timeProfile: 'instant' });
  client = new ka.KinesisAnalyticsV2Client({
    endpoint: emu.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    maxAttempts: 1,
  });
});

afterAll(async () => {
  client.destroy();
  await emu.close();
});

// ---- helpers ---------------------------------------------------------------------------------------

async function clock(body: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${emu.url}/_emulator/clock`, { method: 'POST', body: JSON.stringify(body) });
  expect(res.status).toBe(200);
}

const advance = (ms: number) => clock({ advanceMs: ms });

async function describeApp(name: string): Promise<ka.ApplicationDetail> {
  const out = await client.send(new ka.DescribeApplicationCommand({ ApplicationName: name }));
  return out.ApplicationDetail!;
}

async function waitFor(name: string, status: ka.ApplicationStatus): Promise<ka.ApplicationDetail> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const d = await describeApp(name);
    if (d.ApplicationStatus === status) return d;
    if (Date.now() > deadline) throw new Error(`${name} is ${d.ApplicationStatus}, expected ${status}`);
    await advance(1_000);
  }
}

/** Creates and starts an application on a demo code package and waits until it is RUNNING. */
async function runApp(
  name: string,
  jar = 'sessionizer-1.0.0.jar',
  parallelism?: number,
  runtime: ka.RuntimeEnvironment = 'FLINK-1_20',
): Promise<void> {
  await client.send(
    new ka.CreateApplicationCommand({
      ApplicationName: name,
      RuntimeEnvironment: runtime,
      ServiceExecutionRole: ROLE,
      ApplicationConfiguration: {
        ApplicationCodeConfiguration: {
          CodeContentType: 'ZIPFILE',
          CodeContent: {
            S3ContentLocation: { BucketARN: 'arn:aws:s3:::mfc-demo-artifacts', FileKey: `sessionizer/${jar}` },
          },
        },
        ...(parallelism
          ? {
              FlinkApplicationConfiguration: {
                ParallelismConfiguration: {
                  ConfigurationType: 'CUSTOM',
                  Parallelism: parallelism,
                  ParallelismPerKPU: 2,
                  AutoScalingEnabled: false,
                },
              },
            }
          : {}),
      },
    }),
  );
  await client.send(new ka.StartApplicationCommand({ ApplicationName: name }));
  await waitFor(name, 'RUNNING');
}

async function presign(name: string): Promise<{ base: string; token: string; url: string }> {
  const out = await client.send(
    new ka.CreateApplicationPresignedUrlCommand({ ApplicationName: name, UrlType: 'FLINK_DASHBOARD_URL' }),
  );
  const url = out.AuthorizedUrl!;
  const parsed = new URL(url);
  return { url, base: `${parsed.origin}${parsed.pathname}`, token: parsed.searchParams.get('authToken')! };
}

interface Reply {
  status: number;
  headers: Headers;
  body: unknown;
}

async function get(base: string, path: string, token?: string, headers: Record<string, string> = {}): Promise<Reply> {
  const url = new URL(path, base);
  if (token) url.searchParams.set('authToken', token);
  const res = await fetch(url, { headers, redirect: 'manual' });
  const text = await res.text();
  const json = (res.headers.get('content-type') ?? '').includes('json');
  return { status: res.status, headers: res.headers, body: json ? JSON.parse(text) : text };
}

/** GET that must succeed; returns the JSON body. */
async function ok<T>(base: string, path: string, token: string): Promise<T> {
  const r = await get(base, path, token);
  expect(r.status, `${path}: ${JSON.stringify(r.body)}`).toBe(200);
  return r.body as T;
}

interface JobDetails {
  jid: string;
  name: string;
  state: string;
  'status-counts': Record<string, number>;
  plan: { jid: string; nodes: { id: string; inputs?: { id: string; ship_strategy: string }[] }[] };
  vertices: { id: string; name: string; parallelism: number; status: string; tasks: Record<string, number> }[];
}

const EXECUTION_STATES = [
  'CREATED',
  'SCHEDULED',
  'DEPLOYING',
  'RUNNING',
  'FINISHED',
  'CANCELING',
  'CANCELED',
  'FAILED',
  'RECONCILING',
  'INITIALIZING',
];

// ---- the operator's script -------------------------------------------------------------------------

describe('the operator script: presigned URL → /jobs → /jobs/{id}', () => {
  let base: string;
  let token: string;
  let jid: string;

  beforeAll(async () => {
    await runApp('ops-app', 'sessionizer-1.0.0.jar', 4);
    await advance(60_000);
    ({ base, token } = await presign('ops-app'));
  });

  it('lists the running job and shows every vertex RUNNING with all subtasks running', async () => {
    expect(base).toMatch(new RegExp(`^${emu.url}/flinkdashboard/[0-9a-f]+/$`));
    const jobs = await ok<{ jobs: { id: string; status: string }[] }>(base, 'jobs', token);
    expect(jobs.jobs).toHaveLength(1);
    expect(jobs.jobs[0]!.status).toBe('RUNNING');
    jid = jobs.jobs[0]!.id;
    expect(jid).toMatch(HEX32);

    const job = await ok<JobDetails>(base, `jobs/${jid}`, token);
    expect(job.jid).toBe(jid);
    expect(job.name).toBe('clickstream-sessionizer');
    expect(job.state).toBe('RUNNING');
    expect(job.vertices.length).toBeGreaterThanOrEqual(3);
    for (const v of job.vertices) {
      expect(v.id).toMatch(HEX32);
      expect(v.status).toBe('RUNNING');
      expect(Object.keys(v.tasks).sort()).toEqual([...EXECUTION_STATES].sort());
      expect(v.tasks.RUNNING).toBe(v.parallelism);
    }
    expect(Object.keys(job['status-counts']).sort()).toEqual([...EXECUTION_STATES].sort());
    expect(job['status-counts'].RUNNING).toBe(job.vertices.length);
  });

  it('embeds the plan the dashboard joins to the vertices by id', async () => {
    const job = await ok<JobDetails>(base, `jobs/${jid}`, token);
    expect(job.plan.jid).toBe(jid);
    expect(job.plan.nodes.map((n) => n.id).sort()).toEqual(job.vertices.map((v) => v.id).sort());
    const ids = new Set(job.vertices.map((v) => v.id));
    const edges = job.plan.nodes.flatMap((n) => (n.inputs ?? []).map((i) => [i.id, n.id, i.ship_strategy]));
    expect(edges.length).toBe(job.vertices.length - 1);
    for (const [from] of edges) expect(ids.has(from!)).toBe(true);
    // The session window reads a keyed (HASH) stream.
    expect(edges.some(([, , ship]) => ship === 'HASH')).toBe(true);
    const { plan } = await ok<{ plan: JobDetails['plan'] }>(base, `jobs/${jid}/plan`, token);
    expect(plan).toEqual(job.plan);
  });

  it('answers under /v1 too, and reports the runtime Flink version', async () => {
    const v1 = await ok<{ jobs: { id: string }[] }>(base, 'v1/jobs', token);
    expect(v1.jobs[0]!.id).toBe(jid);
    const config = await ok<Record<string, unknown>>(base, 'config', token);
    expect(config['flink-version']).toBe('1.20.0');
    expect(config['refresh-interval']).toBe(3000);
    expect(await ok(base, `jobs/${jid}/status`, token)).toEqual({ status: 'RUNNING' });
  });

  it('reports per-subtask rates that add up along the graph, and no back pressure', async () => {
    const job = await ok<JobDetails>(base, `jobs/${jid}`, token);
    const source = job.vertices[0]!;
    const agg = await ok<{ id: string; sum: number; max: number; skew: number }[]>(
      base,
      `jobs/${jid}/vertices/${source.id}/subtasks/metrics?get=numRecordsOutPerSecond,busyTimeMsPerSecond`,
      token,
    );
    expect(agg.map((a) => a.id)).toEqual(['numRecordsOutPerSecond', 'busyTimeMsPerSecond']);
    // The demo source emits about 4000 records/s in total.
    expect(agg[0]!.sum).toBeGreaterThan(3500);
    expect(agg[0]!.sum).toBeLessThan(4500);
    const bp = await ok<{ status: string; 'backpressure-level': string; subtasks: unknown[] }>(
      base,
      `jobs/${jid}/vertices/${source.id}/backpressure`,
      token,
    );
    expect(bp.status).toBe('ok');
    expect(bp['backpressure-level']).toBe('ok');
    expect(bp.subtasks).toHaveLength(source.parallelism);
  });

  it('shows the vertices spread over the TaskManagers (one per KPU)', async () => {
    const tms = await ok<{ taskmanagers: { id: string; slotsNumber: number; freeSlots: number }[] }>(
      base,
      'taskmanagers',
      token,
    );
    // Parallelism 4 at 2 per KPU: two TaskManagers with two slots, all in use.
    expect(tms.taskmanagers.map((t) => [t.slotsNumber, t.freeSlots])).toEqual([
      [2, 0],
      [2, 0],
    ]);
    const overview = await ok<Record<string, number>>(base, 'overview', token);
    expect(overview).toMatchObject({ taskmanagers: 2, 'slots-total': 4, 'slots-available': 0, 'jobs-running': 1 });
    const job = await ok<JobDetails>(base, `jobs/${jid}`, token);
    const perTm = await ok<{ taskmanagers: { 'taskmanager-id': string; 'status-counts': Record<string, number> }[] }>(
      base,
      `jobs/${jid}/vertices/${job.vertices[1]!.id}/taskmanagers`,
      token,
    );
    expect(perTm.taskmanagers.map((t) => t['taskmanager-id']).sort()).toEqual(tms.taskmanagers.map((t) => t.id).sort());
    expect(perTm.taskmanagers.map((t) => t['status-counts'].RUNNING)).toEqual([2, 2]);
  });

  it('answers 404 with Flink errors for an unknown job, vertex, checkpoint or path', async () => {
    const unknown = '0123456789abcdef0123456789abcdef';
    const job = await get(base, `jobs/${unknown}`, token);
    expect(job.status).toBe(404);
    expect(job.headers.get('content-type')).toMatch(/^application\/json/);
    expect(job.body).toEqual({ errors: [expect.stringContaining(unknown)] });
    for (const path of [
      `jobs/${unknown}/exceptions`,
      `jobs/${jid}/vertices/${unknown}`,
      `jobs/${jid}/checkpoints/details/999999`,
      'no/such/path',
    ]) {
      const r = await get(base, path, token);
      expect(r.status, path).toBe(404);
      expect((r.body as { errors: string[] }).errors).toHaveLength(1);
    }
  });

  it('refuses writes: the dashboard of a managed application is read-only', async () => {
    const res = await fetch(`${base}jobs/${jid}?authToken=${token}&mode=cancel`, { method: 'PATCH' });
    expect(res.status).toBe(405);
    expect(await res.json()).toEqual({ errors: [expect.stringContaining('read-only')] });
    expect(await ok(base, `jobs/${jid}/status`, token)).toEqual({ status: 'RUNNING' });
  });

  it('serves a small self-contained summary page at the presigned URL', async () => {
    const page = await get(base, '', token);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = page.body as string;
    expect(html).toContain('not the Apache Flink web UI');
    expect(html).toContain('clickstream-sessionizer');
    expect(html).toContain('Session window 30 min');
    expect(html).toMatch(/RUNNING<\/span>×4/);
    // No external assets: nothing fetched from anywhere, no scripts.
    expect(html).not.toMatch(/<script|<link|src=|https?:\/\//);
    expect((await get(base, 'index.html', token)).status).toBe(200);
  });
});

describe('the Flink version follows the runtime', () => {
  it.each([
    ['FLINK-2_2', '2.2.0', 'pekko'],
    ['FLINK-1_19', '1.19.1', 'pekko'],
    ['FLINK-1_15', '1.15.2', 'akka'],
  ] as const)('%s runs Flink %s', async (runtime, version, rpc) => {
    const name = `version-${runtime.replace('_', '-').toLowerCase()}`;
    await runApp(name, 'sessionizer-1.0.0.jar', undefined, runtime);
    const { base, token } = await presign(name);
    expect(await ok(base, 'config', token)).toMatchObject({ 'flink-version': version });
    expect(await ok(base, 'overview', token)).toMatchObject({ 'flink-version': version });
    const { taskmanagers } = await ok<{ taskmanagers: { path: string }[] }>(base, 'taskmanagers', token);
    expect(taskmanagers[0]!.path).toMatch(new RegExp(`^${rpc}\\.tcp://flink@`));
  });
});

// ---- a job in a fail-and-restart loop --------------------------------------------------------------

describe('a poison pill: the application RUNNING, the job failing and restarting', () => {
  let base: string;
  let token: string;
  let jid: string;

  beforeAll(async () => {
    await runApp('poison-app', 'sessionizer-1.3.0-poison-pill.jar');
    ({ base, token } = await presign('poison-app'));
    const jobs = await ok<{ jobs: { id: string }[] }>(base, 'jobs', token);
    jid = jobs.jobs[0]!.id;
  });

  const restarts = async () => {
    const m = await ok<{ id: string; value: string }[]>(base, `jobs/${jid}/metrics?get=numRestarts`, token);
    expect(m).toEqual([{ id: 'numRestarts', value: expect.stringMatching(/^\d+$/) }]);
    return Number(m[0]!.value);
  };

  it('shows RESTARTING with FAILED and CANCELED subtasks at some moment', async () => {
    const seen = new Set<string>();
    for (let step = 0; step < 80 && !(seen.has('RESTARTING') && seen.has('FAILED') && seen.has('CANCELED')); step++) {
      await advance(250);
      const job = await ok<JobDetails>(base, `jobs/${jid}`, token);
      seen.add(job.state);
      for (const v of job.vertices) for (const [state, n] of Object.entries(v.tasks)) if (n > 0) seen.add(state);
    }
    expect(seen).toContain('RUNNING');
    expect(seen).toContain('RESTARTING');
    expect(seen).toContain('FAILED');
    expect(seen).toContain('CANCELED');
    // The application itself stays RUNNING: that is what hides the loop.
    expect((await describeApp('poison-app')).ApplicationStatus).toBe('RUNNING');
  });

  it('counts restarts climbing in the job metrics', async () => {
    // Past the fixed restart delay, the failed attempt has been restarted.
    await advance(5_000);
    const first = await restarts();
    expect(first).toBeGreaterThanOrEqual(1);
    await advance(30_000);
    const second = await restarts();
    expect(second).toBeGreaterThan(first);
    const all = await ok<{ id: string }[]>(base, `jobs/${jid}/metrics`, token);
    expect(all.map((m) => m.id)).toEqual(expect.arrayContaining(['numRestarts', 'fullRestarts', 'uptime', 'downtime']));
  });

  it('keeps the exception history, newest first, cut to maxExceptions', async () => {
    const r = await ok<{
      exceptionHistory: {
        truncated: boolean;
        entries: { exceptionName: string; stacktrace: string; timestamp: number; taskName: string }[];
      };
    }>(base, `jobs/${jid}/exceptions?maxExceptions=2`, token);
    const everything = await ok<{ exceptionHistory: { entries: unknown[] } }>(base, `jobs/${jid}/exceptions`, token);
    expect(everything.exceptionHistory.entries.length).toBeGreaterThan(2);
    const { entries, truncated } = r.exceptionHistory;
    expect(entries).toHaveLength(2);
    expect(truncated).toBe(true);
    expect(entries[0]!.exceptionName).toBe('java.lang.NullPointerException');
    expect(entries[0]!.stacktrace).toContain('because "profile" is null');
    expect(entries[0]!.taskName).toMatch(/^Session window 30 min \(\d+\/1\)$/);
    expect(entries[0]!.timestamp).toBeGreaterThan(entries[1]!.timestamp);
    expect(entries[0]).toMatchObject({ failureLabels: {}, concurrentExceptions: [] });
  });
});

// ---- sessions --------------------------------------------------------------------------------------

describe('the presigned session', () => {
  beforeAll(async () => {
    await runApp('auth-app');
  });

  it('answers 401 without a token and 403 with a wrong one', async () => {
    const { base } = await presign('auth-app');
    const none = await get(base, 'jobs');
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ errors: [expect.any(String)] });
    const wrong = await get(base, 'jobs', 'f'.repeat(64));
    expect(wrong.status).toBe(403);
    expect(wrong.body).toEqual({ errors: [expect.any(String)] });
  });

  it('refuses a URL first used after its 3-minute window', async () => {
    const { base, token } = await presign('auth-app');
    await advance(4 * 60_000);
    const late = await get(base, 'jobs', token);
    expect(late.status).toBe(403);
    expect((late.body as { errors: string[] }).errors[0]).toMatch(/3 minutes/);
  });

  it('sets a session cookie on first use that carries the relative XHRs without the query string', async () => {
    const { base, token } = await presign('auth-app');
    const first = await get(base, '', token);
    expect(first.status).toBe(200);
    const cookie = first.headers.get('set-cookie') ?? '';
    const dashboardPath = new URL(base).pathname;
    expect(cookie).toContain(`Path=${dashboardPath}`);
    expect(cookie).toMatch(/HttpOnly/i);
    const pair = cookie.split(';')[0]!;
    // Later, past the first-use window, the cookie keeps the session going.
    await advance(10 * 60_000);
    const next = await get(base, 'jobs/overview', undefined, { cookie: pair });
    expect(next.status).toBe(200);
    expect((next.body as { jobs: { state: string }[] }).jobs[0]!.state).toBe('RUNNING');
    expect((await get(base, 'jobs/overview', undefined, { cookie: 'mfc-flink-session=nope' })).status).toBe(403);
  });

  it('redirects the bare dashboard id to its trailing-slash form, keeping the token', async () => {
    const { base, token } = await presign('auth-app');
    const r = await get(base.replace(/\/$/, ''), '', token);
    expect(r.status).toBe(302);
    expect(r.headers.get('location')).toBe(`${new URL(base).pathname}?authToken=${token}`);
  });

  it('answers 503 while the application is UPDATING, then shows the new job and the finished one', async () => {
    const { base, token } = await presign('auth-app');
    const before = await ok<{ jobs: { id: string; status: string }[] }>(base, 'jobs', token);
    const oldJid = before.jobs[0]!.id;
    const { ApplicationVersionId } = await describeApp('auth-app');
    // Realistic durations keep the update in progress for minutes of virtual time.
    await clock({ timeProfile: 'realistic' });
    try {
      await client.send(
        new ka.UpdateApplicationCommand({
          ApplicationName: 'auth-app',
          CurrentApplicationVersionId: ApplicationVersionId,
          ApplicationConfigurationUpdate: {
            ApplicationCodeConfigurationUpdate: {
              CodeContentUpdate: {
                S3ContentLocationUpdate: { FileKeyUpdate: 'sessionizer/sessionizer-1.1.0.jar' },
              },
            },
          },
        }),
      );
      const during = await get(base, 'jobs', token);
      expect(during.status).toBe(503);
      expect(during.body).toEqual({
        errors: ['The Flink dashboard is unavailable while the application is UPDATING.'],
      });
    } finally {
      await clock({ timeProfile: 'instant' });
    }
    await advance(10 * 60_000);
    await waitFor('auth-app', 'RUNNING');
    const after = await ok<{ jobs: { id: string; status: string }[] }>(base, 'jobs', token);
    expect(after.jobs).toHaveLength(2);
    expect(after.jobs.find((j) => j.id === oldJid)?.status).toBe('FINISHED');
    const overview = await ok<{ jobs: { jid: string; state: string; tasks: Record<string, number> }[] }>(
      base,
      'jobs/overview',
      token,
    );
    const finished = overview.jobs.find((j) => j.jid === oldJid)!;
    expect(finished.state).toBe('FINISHED');
    expect(finished.tasks.finished).toBe(finished.tasks.total);
    expect(finished.tasks.total).toBeGreaterThan(0);
    const newJid = after.jobs.find((j) => j.id !== oldJid)!.id;
    const job = await ok<JobDetails>(base, `jobs/${newJid}`, token);
    // Version 1.1.0 adds a deduplication operator.
    expect(job.vertices.map((v) => v.name)).toContain('Deduplicate clicks -> Enrich with user profile');
    expect(await ok(base, `jobs/${oldJid}/status`, token)).toEqual({ status: 'FINISHED' });
  });
});

// ---- checkpoints -----------------------------------------------------------------------------------

describe('checkpoints', () => {
  let base: string;
  let token: string;
  let jid: string;

  beforeAll(async () => {
    await runApp('cp-app', 'sessionizer-1.0.0.jar', 2);
    await advance(6 * 60_000);
    ({ base, token } = await presign('cp-app'));
    jid = (await ok<{ jobs: { id: string }[] }>(base, 'jobs', token)).jobs[0]!.id;
  });

  interface Stats {
    className: string;
    id: number;
    status: string;
    trigger_timestamp: number;
    latest_ack_timestamp: number;
    num_subtasks: number;
    num_acknowledged_subtasks: number;
    external_path?: string;
    tasks: Record<string, { num_subtasks: number; num_acknowledged_subtasks: number; state_size: number }>;
  }

  it('shows completed checkpoints with increasing ids and the latest completed one', async () => {
    const cps = await ok<{
      counts: Record<string, number>;
      latest: { completed?: Stats };
      history: Stats[];
    }>(base, `jobs/${jid}/checkpoints`, token);
    expect(cps.counts.completed).toBeGreaterThanOrEqual(4);
    const completed = cps.history.filter((c) => c.status === 'COMPLETED');
    expect(completed.length).toBeGreaterThanOrEqual(4);
    expect(completed.every((c) => c.className === 'completed')).toBe(true);
    // Newest first: ids decrease down the history, so they increase over time.
    const ids = cps.history.map((c) => c.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(new Set(ids).size).toBe(ids.length);
    const triggers = completed.map((c) => c.trigger_timestamp);
    expect(triggers).toEqual([...triggers].sort((a, b) => b - a));
    expect(cps.latest.completed?.id).toBe(completed[0]!.id);
    expect(cps.latest.completed?.external_path).toMatch(/^s3:\/\/.+\/chk-\d+$/);

    const metrics = await ok<{ id: string; value: string }[]>(
      base,
      `jobs/${jid}/metrics?get=numberOfCompletedCheckpoints,lastCheckpointDuration`,
      token,
    );
    expect(Number(metrics.find((m) => m.id === 'numberOfCompletedCheckpoints')!.value)).toBe(cps.counts.completed);
    expect(Number(metrics.find((m) => m.id === 'lastCheckpointDuration')!.value)).toBeGreaterThan(0);
  });

  it('answers the details of a checkpoint, per vertex and per subtask', async () => {
    const cps = await ok<{ latest: { completed: Stats } }>(base, `jobs/${jid}/checkpoints`, token);
    const id = cps.latest.completed.id;
    const details = await ok<Stats>(base, `jobs/${jid}/checkpoints/details/${id}`, token);
    expect(details).toMatchObject({ id, className: 'completed', status: 'COMPLETED' });
    const job = await ok<JobDetails>(base, `jobs/${jid}`, token);
    expect(Object.keys(details.tasks).sort()).toEqual(job.vertices.map((v) => v.id).sort());
    const sessions = job.vertices.find((v) => v.name.startsWith('Session window'))!;
    expect(details.tasks[sessions.id]).toMatchObject({ num_subtasks: 2, num_acknowledged_subtasks: 2 });
    // The session window holds most of the state.
    expect(details.tasks[sessions.id]!.state_size).toBeGreaterThan(100 * 1024 * 1024);

    const sub = await ok<{ subtasks: { index: number; className: string; ack_timestamp: number }[] }>(
      base,
      `jobs/${jid}/checkpoints/details/${id}/subtasks/${sessions.id}`,
      token,
    );
    expect(sub.subtasks.map((s) => [s.index, s.className])).toEqual([
      [0, 'completed'],
      [1, 'completed'],
    ]);
    for (const s of sub.subtasks) {
      expect(s.ack_timestamp).toBeGreaterThanOrEqual(details.trigger_timestamp);
      expect(s.ack_timestamp).toBeLessThanOrEqual(details.latest_ack_timestamp);
    }
    const config = await ok<Record<string, unknown>>(base, `jobs/${jid}/checkpoints/config`, token);
    expect(config).toMatchObject({
      mode: 'exactly_once',
      interval: 60_000,
      min_pause: 5_000,
      externalization: { enabled: true, delete_on_cancellation: false },
      state_backend: 'EmbeddedRocksDBStateBackend',
      checkpoint_storage: 'FileSystemCheckpointStorage',
    });
  });

  it('reads never change the simulation (no clock, no random draws, no events)', async () => {
    // Paused, so nothing moves between the reads but the reads themselves.
    await clock({ speed: 0 });
    try {
      const snapshot = () => {
        const engine = emu.engine();
        const app = [...engine.store.apps.values()].find((a) => a.name === 'cp-app')!;
        return JSON.stringify({
          cluster: engine.flink.cluster(app.key),
          now: engine.now(),
          events: engine.scheduler.size,
        });
      };
      const job = await ok<JobDetails>(base, `jobs/${jid}`, token);
      const v = job.vertices[1]!.id;
      const paths = [
        'jobs/overview',
        `jobs/${jid}`,
        `jobs/${jid}/checkpoints`,
        `jobs/${jid}/metrics?get=uptime,numRestarts`,
        `jobs/${jid}/vertices/${v}`,
        `jobs/${jid}/vertices/${v}/backpressure`,
        `jobs/${jid}/vertices/${v}/subtasks/metrics?get=busyTimeMsPerSecond`,
        `jobs/${jid}/vertices/${v}/watermarks`,
        'taskmanagers',
      ];
      const before = snapshot();
      const first = await Promise.all(paths.map((p) => ok(base, p, token)));
      const second = await Promise.all(paths.map((p) => ok(base, p, token)));
      expect(second).toEqual(first);
      expect(snapshot()).toBe(before);
    } finally {
      await clock({ speed: 1 });
    }
  });
});

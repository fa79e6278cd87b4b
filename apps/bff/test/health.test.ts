/**
 * Health through the BFF on the demo fleet, with nobody watching: the fleet and the header flag
 * orders-enricher's restart loop from its job (state, subtasks, exceptions), with or without metrics,
 * flag metrics-exporter's checkpoints, leave the healthy clickstream-sessionizer alone, say when a
 * dashboard cannot be read, and tell an open browser when an application's signals change.
 * The emulator's clock is stopped and stepped, so each moment is the same on every run.
 */
import {
  CreateApplicationPresignedUrlCommand,
  type KinesisAnalyticsV2Client,
} from '@aws-sdk/client-kinesis-analytics-v2';
import { GetMetricDataCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { createServer } from 'node:net';
import type * as C from '@mfc/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bff } from '../src/server.js';
import type { FlinkJobsOverview } from '../src/services/flink-types.js';
import { advance, eventually, readEvents, startTestBff, type Client } from './harness.js';

const LOOPING = 'orders-enricher';
const HEALTHY = 'clickstream-sessionizer';
const SLOW_CHECKPOINTS = 'metrics-exporter';

let bff: Bff;
let client: Client;

beforeAll(async () => {
  ({ bff, client } = await startTestBff());
  await fetch(`${bff.emulator!.url}/_emulator/clock`, { method: 'POST', body: JSON.stringify({ speed: 0 }) });
  await bff.services.clock.refresh();
});
afterAll(() => bff.close());

/** Steps the stopped clock until the looping job is in the state asked for; the prober then reads anew. */
async function stepUntil(test: (job: FlinkJobsOverview['jobs'][number]) => boolean): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const { jobs } = await bff.services.dashboard.get<FlinkJobsOverview>(LOOPING, '/jobs/overview');
    if (jobs[0] && test(jobs[0])) {
      bff.services.prober.forgetAll();
      return;
    }
    await advance(bff, 250);
  }
  throw new Error('the looping job never reached the state asked for');
}
const restarting = (j: FlinkJobsOverview['jobs'][number]) => j.state === 'RESTARTING' && (j.tasks.failed ?? 0) > 0;
const allRunning = (j: FlinkJobsOverview['jobs'][number]) => j.state === 'RUNNING' && j.tasks.running === j.tasks.total;

const fleet = async () =>
  Object.fromEntries(
    (await client.get<C.FleetResponse>('/api/applications')).body.applications.map((a) => [a.name, a]),
  );
const signalsOf = (a: { attention: C.Attention }) => a.attention.signals.map((s) => s.signal);

/** Replaces one method of an SDK client's `send` for a test, and puts it back. */
function intercept(
  sdk: KinesisAnalyticsV2Client | CloudWatchClient,
  answer: (command: unknown, send: (c: unknown) => Promise<unknown>) => Promise<unknown> | undefined,
): () => void {
  const original = sdk.send.bind(sdk) as (c: unknown) => Promise<unknown>;
  (sdk as { send: unknown }).send = (command: unknown) => answer(command, original) ?? original(command);
  return () => ((sdk as { send: unknown }).send = original);
}

describe('health on the demo fleet, nobody watching', () => {
  it('flags orders-enricher from its job: state, failed subtasks, new exceptions (and restarts)', async () => {
    await stepUntil(restarting);
    expect(bff.bus.subscriberCount).toBe(0);
    expect(bff.watchers.activePollers).toEqual({ fleet: false, applications: [] });
    expect(bff.watchers.jobs.size).toBe(0);

    const apps = await fleet();
    const looping = apps[LOOPING]!;
    expect(looping.attention.flag).toBe(true);
    expect(signalsOf(looping)).toEqual(['restart-loop', 'job-state', 'subtasks-failed', 'new-exceptions']);
    expect(looping.attention.signals.map((s) => s.tab)).toEqual(['metrics', 'job', 'job', 'job']);
    expect(looping.attention.reasons).toEqual(looping.attention.signals.map((s) => s.message));
    expect(looping.attention.reasons[1]).toBe('The job is RESTARTING while the application is RUNNING.');
    expect(looping.jobHealth).toMatchObject({
      source: 'dashboard',
      jobStatus: 'RESTARTING',
      checkpointingEnabled: true,
    });
    expect(looping.jobHealth.subtasksFailed).toBeGreaterThan(0);
    expect(looping.jobHealth.exceptionsInWindow).toBeGreaterThan(0);
    expect(looping.jobHealth.unread).toBeUndefined();

    expect(signalsOf(apps[SLOW_CHECKPOINTS]!)).toContain('checkpoints-stale');
    expect(apps[SLOW_CHECKPOINTS]!.attention.signals.find((s) => s.signal === 'checkpoints-stale')?.tab).toBe(
      'checkpoints',
    );

    for (const name of [HEALTHY, 'payments-fraud-detector']) {
      expect(apps[name]!.attention, name).toEqual({ flag: false, reasons: [], signals: [] });
      expect(apps[name]!.jobHealth).toMatchObject({ source: 'dashboard', jobStatus: 'RUNNING', subtasksFailed: 0 });
      expect(apps[name]!.jobHealth.unread).toBeUndefined();
    }
    expect(apps['inventory-aggregator']!.jobHealth).toEqual({ source: 'none' });
  });

  it('the header judges the same way, from a read of its own', async () => {
    const r = await client.get<C.ApplicationView>(`/api/applications/${LOOPING}`);
    expect(signalsOf(r.body)).toEqual(['restart-loop', 'job-state', 'subtasks-failed', 'new-exceptions']);
    expect(r.body.jobHealth?.jobStatus).toBe('RESTARTING');
    const healthy = await client.get<C.ApplicationView>(`/api/applications/${HEALTHY}`);
    expect(healthy.body.attention.flag).toBe(false);
    expect(healthy.body.jobHealth).toMatchObject({ source: 'dashboard', jobStatus: 'RUNNING' });
  });

  it('still flags the loop when CloudWatch has no metric history, and says the metrics are missing', async () => {
    const restore = intercept(bff.services.clients.cloudWatch, (command) =>
      command instanceof GetMetricDataCommand ? Promise.resolve({ MetricDataResults: [], $metadata: {} }) : undefined,
    );
    try {
      const looping = (await fleet())[LOOPING]!;
      expect(signalsOf(looping)).toEqual(['job-state', 'subtasks-failed', 'new-exceptions']);
      expect(looping.jobHealth.restartsLast5m).toBeUndefined();
      expect(looping.jobHealth.unread).toEqual([
        { facts: 'metrics', reason: 'CloudWatch has no fullRestarts datapoints in the window.' },
      ]);
      const header = await client.get<C.ApplicationView>(`/api/applications/${LOOPING}`);
      expect(signalsOf(header.body)).toEqual(['job-state', 'subtasks-failed', 'new-exceptions']);
    } finally {
      restore();
    }
  });

  it('says it could not read a job whose dashboard cannot be reached, instead of calling it healthy', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const restore = intercept(bff.services.clients.kinesisAnalytics, (command) =>
      command instanceof CreateApplicationPresignedUrlCommand && command.input.ApplicationName === HEALTHY
        ? Promise.resolve({ AuthorizedUrl: `http://127.0.0.1:${port}/flinkdashboard/gone/?authToken=t`, $metadata: {} })
        : undefined,
    );
    bff.services.dashboard.forget(HEALTHY);
    bff.services.prober.forget(HEALTHY);
    try {
      const row = (await fleet())[HEALTHY]!;
      expect(row.attention.flag).toBe(true);
      expect(row.attention.signals).toEqual([
        {
          signal: 'job-unreadable',
          tab: 'job',
          message: expect.stringMatching(/^Could not read the job: The Flink dashboard could not be reached \(/),
        },
      ]);
      expect(row.jobHealth.jobStatus).toBeUndefined();
      expect(row.jobHealth.unread).toEqual([{ facts: 'job', reason: expect.stringMatching(/could not be reached/) }]);
    } finally {
      restore();
      bff.services.dashboard.forget(HEALTHY);
      bff.services.prober.forget(HEALTHY);
    }
    expect((await fleet())[HEALTHY]!.attention.flag).toBe(false);
  });

  it('tells an open browser which applications’ signals changed (a fleet event), with nobody watching them', async () => {
    await stepUntil(allRunning);
    const before = (await fleet())[LOOPING]!;
    expect(signalsOf(before)).not.toContain('job-state');
    expect(signalsOf(before)).toContain('new-exceptions');

    const events = readEvents(
      `${bff.url}/api/events`,
      { cookie: client.cookie! },
      (es) => es.some((e) => isFleetEventNaming(e.data, LOOPING)),
      25_000,
    );
    await eventually(async () => expect(bff.watchers.activePollers.fleet).toBe(true));
    expect(bff.watchers.activePollers.applications).toEqual([]);
    await stepUntil(restarting);
    const fleetEvents = (await events).map((e) => e.data as C.ServerEvent).filter((e) => e?.type === 'fleet');
    const naming = fleetEvents.find((e) => isFleetEventNaming(e, LOOPING));
    expect(naming).toBeDefined();
    expect(fleetEvents.flatMap((e) => (e.type === 'fleet' ? e.changed : []))).not.toContain(HEALTHY);
    expect(signalsOf((await fleet())[LOOPING]!)).toContain('job-state');
  });
});

function isFleetEventNaming(data: unknown, app: string): boolean {
  const e = data as C.ServerEvent | undefined;
  return e?.type === 'fleet' && e.changed.includes(app);
}

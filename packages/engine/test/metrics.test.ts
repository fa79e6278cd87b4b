import { describe, expect, it } from 'vitest';
import { vertexIoTotals, vertexSubtaskMetrics } from '../src/index.js';
import { ctx, newEngine, runningApp, createApp, statusPath } from './helpers.js';

const series = (
  e: ReturnType<typeof newEngine>,
  name: string,
  metric: Parameters<typeof e.telemetry.metrics.query>[1],
  fromMs = 0,
) => e.telemetry.metrics.query(e.core.appKey(ctx, name), metric, fromMs, e.now());

describe('application metrics', () => {
  it('are sampled every minute while running, with KPUs and healthy rates', () => {
    const e = newEngine();
    runningApp(e, 'app', '1.0.0', {
      ApplicationConfiguration: {
        FlinkApplicationConfiguration: {
          ParallelismConfiguration: { ConfigurationType: 'CUSTOM', Parallelism: 4, ParallelismPerKPU: 2 },
        },
      },
    });
    e.advanceBy(30 * 60_000);
    const rin = series(e, 'app', 'numRecordsInPerSecond');
    expect(rin.length).toBeGreaterThanOrEqual(29);
    for (let i = 1; i < rin.length; i++) expect(rin[i]!.timestamp - rin[i - 1]!.timestamp).toBe(60_000);
    expect(rin.at(-1)!.value).toBeGreaterThan(3500);
    expect(rin.at(-1)!.value).toBeLessThan(4500);
    expect(series(e, 'app', 'KPUs').at(-1)!.value).toBe(2);
    expect(series(e, 'app', 'fullRestarts').at(-1)!.value).toBe(0);
    expect(series(e, 'app', 'uptime').at(-1)!.value).toBeGreaterThan(25 * 60_000);
    expect(series(e, 'app', 'lastCheckpointSize').at(-1)!.value).toBeGreaterThan(0);
    expect(series(e, 'app', 'millisBehindLatest').at(-1)!.value).toBe(0);
  });

  it('show fullRestarts climbing and downtime for a poison pill', () => {
    const e = newEngine();
    createApp(e, 'loop', '1.3.0-poison-pill');
    e.kinesisAnalytics.startApplication(ctx, { ApplicationName: 'loop' });
    statusPath(e, 'loop');
    e.advanceBy(10 * 60_000);
    const restarts = series(e, 'loop', 'fullRestarts').map((p) => p.value);
    expect(restarts.length).toBeGreaterThanOrEqual(9);
    for (let i = 1; i < restarts.length; i++) expect(restarts[i]!).toBeGreaterThan(restarts[i - 1]!);
    expect(series(e, 'loop', 'millisBehindLatest').at(-1)!.value).toBeGreaterThan(0);
  });

  it('show backpressure and a growing lag for a slow sink', () => {
    const e = newEngine();
    runningApp(e, 'slow', '1.4.0-slow-sink');
    e.advanceBy(20 * 60_000);
    expect(series(e, 'slow', 'backPressuredTimeMsPerSecond').at(-1)!.value).toBeGreaterThan(500);
    const lag = series(e, 'slow', 'millisBehindLatest').map((p) => p.value);
    expect(lag.at(-1)!).toBeGreaterThan(lag[2]!);
    expect(series(e, 'slow', 'numRecordsInPerSecond').at(-1)!.value).toBeLessThan(2000);
  });

  it('keep 24 hours at one-minute resolution', () => {
    const e = newEngine();
    runningApp(e, 'app');
    e.advanceBy(30 * 60 * 60_000);
    const all = series(e, 'app', 'uptime');
    expect(all.length).toBe(1440);
    expect(all[0]!.timestamp).toBeGreaterThanOrEqual(e.now() - 24 * 60 * 60_000);
  });

  it('keep the event log across a stop and start, and drop it with the application', () => {
    const e = newEngine();
    runningApp(e, 'app');
    const key = e.core.appKey(ctx, 'app');
    const before = e.telemetry.logs.lines(key).length;
    e.kinesisAnalytics.stopApplication(ctx, { ApplicationName: 'app' });
    statusPath(e, 'app');
    expect(e.telemetry.logs.lines(key).length).toBeGreaterThan(before);
    expect(e.telemetry.logs.lines(key).some((l) => /switched from RUNNING to FINISHED/.test(l.message))).toBe(true);
    const created = e.kinesisAnalytics.describeApplication(ctx, { ApplicationName: 'app' }).ApplicationDetail!
      .CreateTimestamp;
    e.kinesisAnalytics.deleteApplication(ctx, { ApplicationName: 'app', CreateTimestamp: created });
    statusPath(e, 'app');
    expect(e.telemetry.logs.lines(key)).toEqual([]);
    expect(e.telemetry.metrics.has(key)).toBe(false);
  });
});

describe('vertex IO totals', () => {
  it("equal the sums of the subtasks' own counters, for all subtasks or some, running or restarting", () => {
    const e = newEngine();
    runningApp(e, 'steady', '1.0.0', {
      ApplicationConfiguration: {
        FlinkApplicationConfiguration: {
          ParallelismConfiguration: { ConfigurationType: 'CUSTOM', Parallelism: 8, ParallelismPerKPU: 2 },
        },
      },
    });
    createApp(e, 'loop', '1.3.0-poison-pill');
    e.kinesisAnalytics.startApplication(ctx, { ApplicationName: 'loop' });
    statusPath(e, 'loop');
    const counters = [
      'numRecordsIn',
      'numRecordsOut',
      'numBytesIn',
      'numBytesOut',
      'accumulatedBusyTimeMs',
      'accumulatedIdleTimeMs',
      'accumulatedBackPressuredTimeMs',
    ] as const;
    let compared = 0;
    let nonZero = 0;
    for (let step = 0; step < 40; step++) {
      e.advanceBy(1_700);
      for (const name of ['steady', 'loop']) {
        const job = e.store.clusters.get(e.core.appKey(ctx, name))?.job;
        if (!job) continue;
        job.vertices.forEach((vertex, v) => {
          const each = vertexSubtaskMetrics(job, v, e.now());
          const odd = vertex.subtasks.map((_, i) => i).filter((i) => i % 2 === 1);
          for (const indices of [undefined, odd]) {
            const totals = vertexIoTotals(job, v, e.now(), undefined, indices);
            for (const c of counters) {
              const sum = (indices ?? each.map((_, i) => i)).reduce((a, i) => a + each[i]![c], 0);
              expect(totals[c], `${name} vertex ${v} ${c}`).toBe(sum);
              if (sum > 0) nonZero++;
            }
            compared++;
          }
        });
      }
    }
    expect(compared).toBeGreaterThan(100);
    expect(nonZero).toBeGreaterThan(100);
  });
});

import { describe, expect, it } from 'vitest';
import { buildJobGraph, DEMO_ARTIFACTS } from '../src/index.js';
import { createApp, ctx, newEngine, runningApp, status, statusPath } from './helpers.js';

describe('job graph', () => {
  it('chains forward operators of equal parallelism into one vertex named like Flink, with ship strategies', () => {
    const g = buildJobGraph(DEMO_ARTIFACTS['sessionizer/sessionizer-1.0.0.jar']!, 4);
    expect(g.vertices.map((v) => v.name)).toEqual([
      'Source: Kinesis clicks -> Enrich with user profile',
      'Session window 30 min',
      'Sink: Prometheus',
    ]);
    expect(g.vertices.map((v) => v.inputs.map((i) => i.ship))).toEqual([[], ['HASH'], ['FORWARD']]);
    for (const v of g.vertices) expect(v.id).toMatch(/^[0-9a-f]{32}$/);
    expect(g.vertices[1]!.inputs[0]!.id).toBe(g.vertices[0]!.id);
    // Vertex ids come from uids: the same code gives the same ids at any parallelism.
    expect(buildJobGraph(DEMO_ARTIFACTS['sessionizer/sessionizer-1.0.0.jar']!, 8).vertices.map((v) => v.id)).toEqual(
      g.vertices.map((v) => v.id),
    );
  });
});

describe('the start sequence', () => {
  it('deploys subtasks, runs the job and the application, then subtasks restore (INITIALIZING) and run', () => {
    const e = newEngine();
    createApp(e, 'app', '1.0.0', {
      ApplicationConfiguration: {
        FlinkApplicationConfiguration: {
          ParallelismConfiguration: { ConfigurationType: 'CUSTOM', Parallelism: 4, ParallelismPerKPU: 2 },
        },
      },
    });
    e.kinesisAnalytics.startApplication(ctx, { ApplicationName: 'app' });
    statusPath(e, 'app');
    const key = e.core.appKey(ctx, 'app');
    const cluster = e.flink.cluster(key)!;
    expect(cluster.taskManagers).toHaveLength(2);
    expect(cluster.taskManagers.every((tm) => tm.slots === 2)).toBe(true);
    const job = cluster.job!;
    expect(status(e, 'app')).toBe('RUNNING');
    expect(job.status).toBe('RUNNING');
    expect(new Set(job.vertices.flatMap((v) => v.subtasks.map((s) => s.state)))).toEqual(new Set(['INITIALIZING']));
    e.advanceBy(10_000);
    expect(new Set(job.vertices.flatMap((v) => v.subtasks.map((s) => s.state)))).toEqual(new Set(['RUNNING']));
    const lines = e.telemetry.logs.lines(key).map((l) => l.message);
    const first = lines.filter((l) => l.startsWith('Session window 30 min (2/4)#0'));
    expect(first.map((l) => l.replace(/\(([0-9a-f]{32})_([0-9a-f]{32})_1_0\)/, '(<id>)'))).toEqual([
      'Session window 30 min (2/4)#0 (<id>) switched from CREATED to SCHEDULED.',
      'Session window 30 min (2/4)#0 (<id>) switched from SCHEDULED to DEPLOYING.',
      'Session window 30 min (2/4)#0 (<id>) switched from DEPLOYING to INITIALIZING.',
      'Session window 30 min (2/4)#0 (<id>) switched from INITIALIZING to RUNNING.',
    ]);
    expect(lines).toContain(`Job clickstream-sessionizer (${job.jid}) switched from state CREATED to RUNNING.`);
  });

  it('restoring more state keeps subtasks INITIALIZING longer', () => {
    const e = newEngine();
    runningApp(e, 'app');
    e.advanceBy(40 * 60_000);
    e.kinesisAnalytics.stopApplication(ctx, { ApplicationName: 'app' });
    statusPath(e, 'app');
    e.kinesisAnalytics.startApplication(ctx, { ApplicationName: 'app' });
    statusPath(e, 'app');
    const job = e.flink.cluster(e.core.appKey(ctx, 'app'))!.job!;
    e.advanceBy(30_000);
    const initTime = (name: string) => {
      const v = job.vertices.find((x) => x.name === name)!;
      const s = v.subtasks[0]!;
      return s.timestamps.RUNNING! - s.timestamps.INITIALIZING!;
    };
    expect(initTime('Session window 30 min')).toBeGreaterThan(initTime('Sink: Prometheus'));
  });
});

describe('fail-and-restart loops (failure mode b)', () => {
  it('a poison pill fails after processing starts; numRestarts keeps rising while the application stays RUNNING', () => {
    const e = newEngine();
    createApp(e, 'loop', '1.3.0-poison-pill');
    e.kinesisAnalytics.startApplication(ctx, { ApplicationName: 'loop' });
    expect(statusPath(e, 'loop')).toEqual(['STARTING', 'RUNNING']);
    const key = e.core.appKey(ctx, 'loop');
    const restarts: number[] = [];
    for (let i = 0; i < 5; i++) {
      e.advanceBy(60_000);
      expect(status(e, 'loop')).toBe('RUNNING');
      restarts.push(e.flink.cluster(key)!.job!.numRestarts);
    }
    for (let i = 1; i < restarts.length; i++) expect(restarts[i]!).toBeGreaterThan(restarts[i - 1]!);
    const job = e.flink.cluster(key)!.job!;
    expect(job.exceptions.at(-1)?.exceptionName).toBe('java.lang.NullPointerException');
    expect(job.exceptions.at(-1)?.taskName).toMatch(/^Session window 30 min \(\d\/1\)$/);
    expect(job.totalDowntimeMs).toBeGreaterThan(0);
    const lines = e.telemetry.logs.lines(key).map((l) => l.message);
    expect(
      lines.some((l) =>
        /Session window 30 min \(1\/1\)#\d+ \(\S+\) switched from RUNNING to FAILED with failure cause: java.lang.NullPointerException/.test(
          l,
        ),
      ),
    ).toBe(true);
    expect(lines).toContain(`Job clickstream-sessionizer (${job.jid}) switched from state RUNNING to RESTARTING.`);
  });

  it('fail-on-init fails while INITIALIZING, every attempt', () => {
    const e = newEngine();
    createApp(e, 'init', '1.6.0-fail-on-init');
    e.kinesisAnalytics.startApplication(ctx, { ApplicationName: 'init' });
    statusPath(e, 'init');
    e.advanceBy(2 * 60_000);
    const job = e.flink.cluster(e.core.appKey(ctx, 'init'))!.job!;
    expect(job.numRestarts).toBeGreaterThan(5);
    expect(job.processingSince).toBeUndefined();
    expect(job.exceptions.at(-1)?.stacktrace).toMatch(/^java.io.IOException: Could not connect to profile store/);
  });

  it('fail-on-restore loops only when state is restored; skipping the restore runs it', () => {
    const e = newEngine();
    runningApp(e, 'app');
    e.advanceBy(5 * 60_000);
    e.kinesisAnalytics.stopApplication(ctx, { ApplicationName: 'app' });
    statusPath(e, 'app');
    e.kinesisAnalytics.updateApplication(ctx, {
      ApplicationName: 'app',
      CurrentApplicationVersionId: 1,
      ApplicationConfigurationUpdate: {
        ApplicationCodeConfigurationUpdate: {
          CodeContentUpdate: {
            S3ContentLocationUpdate: { FileKeyUpdate: 'sessionizer/sessionizer-1.7.0-fail-on-restore.jar' },
          },
        },
      },
    });
    statusPath(e, 'app');
    const key = e.core.appKey(ctx, 'app');
    e.kinesisAnalytics.startApplication(ctx, { ApplicationName: 'app' });
    statusPath(e, 'app');
    e.advanceBy(60_000);
    expect(e.flink.cluster(key)!.job!.numRestarts).toBeGreaterThan(0);
    e.kinesisAnalytics.stopApplication(ctx, { ApplicationName: 'app', Force: true });
    statusPath(e, 'app');
    e.kinesisAnalytics.startApplication(ctx, {
      ApplicationName: 'app',
      RunConfiguration: { ApplicationRestoreConfiguration: { ApplicationRestoreType: 'SKIP_RESTORE_FROM_SNAPSHOT' } },
    });
    statusPath(e, 'app');
    e.advanceBy(60_000);
    expect(e.flink.cluster(key)!.job!.numRestarts).toBe(0);
    expect(e.flink.isProcessing(key)).toBe(true);
  });
});

describe('checkpoints', () => {
  it('honour the interval and the min pause', () => {
    const e = newEngine();
    runningApp(e, 'app', '1.0.0', {
      ApplicationConfiguration: {
        FlinkApplicationConfiguration: {
          CheckpointConfiguration: {
            ConfigurationType: 'CUSTOM',
            CheckpointInterval: 10_000,
            MinPauseBetweenCheckpoints: 4_000,
          },
        },
      },
    });
    e.advanceBy(10 * 60_000);
    // Readers settle first: a checkpoint whose planned end has passed is completed.
    e.flink.settle(e.core.appKey(ctx, 'app'));
    const cp = e.flink.cluster(e.core.appKey(ctx, 'app'))!.job!.checkpoints;
    const done = cp.history.filter((c) => c.status === 'COMPLETED');
    // The newest may still be in progress at this moment; the rest of the last ten completed.
    expect(done.length).toBeGreaterThanOrEqual(9);
    expect(cp.history.length).toBe(10);
    for (let i = 1; i < done.length; i++) {
      const prev = done[i - 1]!;
      const cur = done[i]!;
      expect(cur.id).toBe(prev.id + 1);
      expect(cur.triggerTimestamp - prev.triggerTimestamp).toBeGreaterThanOrEqual(10_000);
      expect(cur.triggerTimestamp - prev.latestAckTimestamp).toBeGreaterThanOrEqual(4_000);
    }
    expect(cp.counts.completed).toBeGreaterThanOrEqual(55);
    expect(cp.counts.failed).toBe(0);
    expect(done.at(-1)!.stateSize).toBeGreaterThan(done.at(-1)!.checkpointedSize);
  });

  it('under backpressure take long and can expire', () => {
    const e = newEngine();
    runningApp(e, 'slow', '1.4.0-slow-sink');
    e.advanceBy(3 * 60 * 60_000);
    const cp = e.flink.cluster(e.core.appKey(ctx, 'slow'))!.job!.checkpoints;
    expect(cp.counts.failed).toBeGreaterThan(0);
    expect(cp.latestFailed?.failureMessage).toBe('Checkpoint expired before completing.');
    expect(cp.latestCompleted!.alignmentDurationMs).toBeGreaterThan(30_000);
  });
});

describe('updates', () => {
  it('processing downtime is much shorter than the UPDATING period', () => {
    const e = newEngine({ timeProfile: 'realistic' });
    runningApp(e, 'app');
    e.advanceBy(10 * 60_000);
    const u = e.kinesisAnalytics.updateApplication(ctx, {
      ApplicationName: 'app',
      CurrentApplicationVersionId: 1,
      ApplicationConfigurationUpdate: {
        FlinkApplicationConfigurationUpdate: {
          ParallelismConfigurationUpdate: { ConfigurationTypeUpdate: 'CUSTOM', ParallelismUpdate: 2 },
        },
      },
    });
    statusPath(e, 'app');
    e.advanceBy(5 * 60_000);
    const op = e.core.operation(e.core.findApp(ctx, 'app')!, u.OperationId!)!;
    const updating = op.endTime! - op.startTime;
    const downtime = op.downtimeEnd! - op.downtimeStart!;
    expect(downtime).toBeGreaterThan(0);
    expect(downtime).toBeLessThan(updating);
    expect(op.phases.map((p) => p.name)).toEqual(['provisioning', 'snapshot', 'submitting', 'restoring']);
  });
});

/**
 * The advice Flink's documentation gives for checkpoints under backpressure, applied to the demo fleet's
 * metrics-exporter (sessionizer 1.4.0, a sink that keeps up with 35% of the input at parallelism 2) the
 * way an operator applies it, and seen the way an operator sees it: an UpdateApplication through the AWS
 * SDK (or the demo scenario that makes the same call), then the Flink dashboard REST API through
 * CreateApplicationPresignedUrl and CloudWatch.
 */
import * as ka from '@aws-sdk/client-kinesis-analytics-v2';
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentials, startTestEmulator, type TestEmulator } from './harness.js';

const APP = 'metrics-exporter';
const GROUP = 'FlinkApplicationProperties';
const DEBLOAT = 'taskmanager.network.memory.buffer-debloat.enabled';
const UNALIGNED = 'execution.checkpointing.unaligned';
const MIN = 60_000;

let t: TestEmulator;
let cw: CloudWatchClient;
beforeAll(async () => {
  // Paused: virtual time moves only with the test's advances, so the numbers are the same every run.
  t = await startTestEmulator({ demo: true, timeProfile: 'fast', speed: 0 });
  cw = new CloudWatchClient({ endpoint: t.emu.url, region: 'us-east-1', credentials, maxAttempts: 1 });
});
afterAll(async () => {
  cw.destroy();
  await t.close();
});

const advance = (ms: number) => t.admin('/_emulator/clock', { advanceMs: ms });
const now = async () => Date.parse(((await t.admin('/_emulator/clock')) as { nowIso: string }).nowIso);

async function describeApp(): Promise<ka.ApplicationDetail> {
  return (await t.ka.send(new ka.DescribeApplicationCommand({ ApplicationName: APP }))).ApplicationDetail!;
}

/** Waits (in virtual time) for the update to finish and the new job to process. */
async function untilRunning(): Promise<void> {
  for (let i = 0; ; i++) {
    const d = await describeApp();
    const ops = await t.ka.send(new ka.ListApplicationOperationsCommand({ ApplicationName: APP }));
    const busy = ops.ApplicationOperationInfoList?.some((o) => o.OperationStatus === 'IN_PROGRESS');
    if (d.ApplicationStatus === 'RUNNING' && !busy) return;
    if (i > 200) throw new Error(`${APP} is ${d.ApplicationStatus}`);
    await advance(5_000);
  }
}

/** The dashboard, read as an operator does: through a freshly presigned URL. */
async function dashboard(): Promise<(path: string) => Promise<unknown>> {
  const out = await t.ka.send(
    new ka.CreateApplicationPresignedUrlCommand({ ApplicationName: APP, UrlType: 'FLINK_DASHBOARD_URL' }),
  );
  const parsed = new URL(out.AuthorizedUrl!);
  const base = `${parsed.origin}${parsed.pathname}`;
  const token = parsed.searchParams.get('authToken')!;
  return async (path: string) => {
    const url = new URL(path, base);
    url.searchParams.set('authToken', token);
    const res = await fetch(url);
    const body: unknown = await res.json();
    expect(res.status, `${path}: ${JSON.stringify(body)}`).toBe(200);
    return body;
  };
}

interface Facts {
  jid: string;
  counts: { completed: number; failed: number };
  history: {
    id: number;
    status: string;
    checkpoint_type: string;
    is_savepoint: boolean;
    end_to_end_duration: number;
    persisted_data: number;
    processed_data: number;
    checkpointed_size: number;
    alignment_buffered: number;
  }[];
  config: { unaligned_checkpoints: boolean; timeout: number };
  /** The newest completed periodic checkpoint, the slowest subtask of any vertex per phase. */
  latest: { id: number; startDelay: number; alignment: number; persisted: number; unaligned: boolean[] };
  /** Per vertex (job graph order): highest backpressured and busy ratio of its subtasks, and the level. */
  backpressure: { level: string; ratio: number; busy: number }[];
  parallelism: number[];
}

/** What an advisor reads: checkpoint history, the newest checkpoint's per-subtask phases, backpressure. */
async function facts(): Promise<Facts> {
  const get = await dashboard();
  const overview = (await get('jobs/overview')) as { jobs: { jid: string; state: string }[] };
  const jid = overview.jobs.find((j) => j.state === 'RUNNING')!.jid;
  const job = (await get(`jobs/${jid}`)) as { vertices: { id: string; parallelism: number }[] };
  const stats = (await get(`jobs/${jid}/checkpoints`)) as Facts & { history: Facts['history'] };
  const config = (await get(`jobs/${jid}/checkpoints/config`)) as Facts['config'];
  const newest = stats.history.find((c) => c.status === 'COMPLETED' && !c.is_savepoint)!;
  expect(newest, 'a completed checkpoint').toBeDefined();
  const details = (await get(`jobs/${jid}/checkpoints/details/${newest.id}`)) as {
    tasks: Record<string, { persisted_data: number; num_acknowledged_subtasks: number }>;
  };
  let startDelay = 0;
  let alignment = 0;
  const unaligned: boolean[] = [];
  for (const v of job.vertices) {
    const sub = (await get(`jobs/${jid}/checkpoints/details/${newest.id}/subtasks/${v.id}`)) as {
      summary: { start_delay: { max: number }; alignment: { duration: { max: number } } };
      subtasks: { alignment: { duration: number }; start_delay: number; unaligned_checkpoint: boolean }[];
    };
    startDelay = Math.max(startDelay, sub.summary.start_delay.max);
    alignment = Math.max(alignment, sub.summary.alignment.duration.max);
    for (const s of sub.subtasks) {
      unaligned.push(s.unaligned_checkpoint);
      expect(s.alignment.duration).toBeLessThanOrEqual(sub.summary.alignment.duration.max);
    }
  }
  const persistedPerTask = Object.values(details.tasks).reduce((n, task) => n + task.persisted_data, 0);
  const backpressure = [];
  for (const v of job.vertices) {
    const bp = (await get(`jobs/${jid}/vertices/${v.id}/backpressure`)) as {
      backpressureLevel: string;
      subtasks: { ratio: number; busyRatio: number }[];
    };
    backpressure.push({
      level: bp.backpressureLevel,
      ratio: Math.max(...bp.subtasks.map((s) => s.ratio)),
      busy: Math.max(...bp.subtasks.map((s) => s.busyRatio)),
    });
  }
  return {
    jid,
    counts: stats.counts,
    history: stats.history,
    config,
    latest: { id: newest.id, startDelay, alignment, persisted: persistedPerTask, unaligned },
    backpressure,
    parallelism: job.vertices.map((v) => v.parallelism),
  };
}

/** The maximum of a CloudWatch metric of the application over the last `ms`. */
async function recentMax(metric: string, ms: number): Promise<number> {
  const end = await now();
  const r = await cw.send(
    new GetMetricDataCommand({
      StartTime: new Date(end - ms),
      EndTime: new Date(end + MIN),
      MetricDataQueries: [
        {
          Id: 'm',
          MetricStat: {
            Metric: {
              Namespace: 'AWS/KinesisAnalytics',
              MetricName: metric,
              Dimensions: [{ Name: 'Application', Value: APP }],
            },
            Period: 60,
            Stat: 'Maximum',
          },
        },
      ],
    }),
  );
  const values = r.MetricDataResults![0]!.Values!;
  expect(values.length).toBeGreaterThan(0);
  return Math.max(...values);
}

const periodic = (f: Facts) => f.history.filter((c) => !c.is_savepoint);

describe('metrics-exporter: the checkpoint advice makes the numbers change', () => {
  let aligned: Facts;

  it('lists the fixes among the demo scenarios', async () => {
    const { scenarios } = (await t.admin('/_emulator/scenarios')) as {
      scenarios: { name: string; params: string[] }[];
    };
    for (const name of ['enable-buffer-debloating', 'enable-unaligned-checkpoints', 'scale-out'])
      expect(scenarios.find((s) => s.name === name)?.params).toEqual(['application']);
  });

  it('as seeded: backpressure upstream of the busy sink, checkpoints that take minutes and expire', async () => {
    await advance(2 * 60 * MIN);
    aligned = await facts();
    expect(aligned.parallelism).toEqual([2, 2, 2]);
    expect(aligned.backpressure[0]!.level).toBe('high');
    expect(aligned.backpressure.at(-1)!.level).toBe('ok');
    expect(aligned.backpressure.at(-1)!.busy).toBeGreaterThan(0.9);
    expect(aligned.config.unaligned_checkpoints).toBe(false);
    expect(aligned.counts.failed).toBeGreaterThan(0);
    expect(periodic(aligned).some((c) => c.status === 'FAILED')).toBe(true);
    expect(aligned.latest.alignment).toBeGreaterThan(60_000);
    expect(aligned.latest.startDelay).toBeGreaterThan(3_000);
    for (const c of periodic(aligned)) {
      expect(c.checkpoint_type).toBe('CHECKPOINT');
      expect(c.persisted_data).toBe(0);
      expect(c.alignment_buffered).toBe(0);
    }
    expect(await recentMax('lastCheckpointDuration', 60 * MIN)).toBeGreaterThan(60_000);
  });

  it('UpdateApplication with buffer debloating: alignment and start delay shrink, nothing expires', async () => {
    const d = await describeApp();
    await t.ka.send(
      new ka.UpdateApplicationCommand({
        ApplicationName: APP,
        CurrentApplicationVersionId: d.ApplicationVersionId,
        ApplicationConfigurationUpdate: {
          EnvironmentPropertyUpdates: {
            PropertyGroups: [{ PropertyGroupId: GROUP, PropertyMap: { [DEBLOAT]: 'true' } }],
          },
        },
      }),
    );
    await untilRunning();
    await advance(60 * MIN);
    const f = await facts();
    expect(f.jid).not.toBe(aligned.jid);
    expect(f.counts.failed).toBe(0);
    expect(periodic(f).length).toBeGreaterThanOrEqual(5);
    for (const c of periodic(f)) {
      expect(c.status === 'COMPLETED' || c.status === 'IN_PROGRESS').toBe(true);
      expect(c.checkpoint_type).toBe('CHECKPOINT');
      if (c.status === 'COMPLETED') expect(c.end_to_end_duration).toBeLessThan(f.config.timeout / 3);
    }
    // Buffers shrink to a fraction: ~15% of the aligned alignment under the same backpressure.
    expect(f.latest.alignment).toBeLessThan(aligned.latest.alignment * 0.4);
    expect(f.latest.startDelay).toBeLessThan(aligned.latest.startDelay * 0.4);
    expect(f.backpressure[0]!.level).toBe('high');
    const config = (await (await dashboard())(`jobs/${f.jid}/jobmanager/config`)) as { key: string; value: string }[];
    expect(config).toContainEqual({ key: DEBLOAT, value: 'true' });
  });

  it('the enable-unaligned-checkpoints scenario: no alignment, in-flight data persisted; savepoints stay aligned', async () => {
    const r = (await t.admin('/_emulator/scenarios/enable-unaligned-checkpoints', { application: APP })) as {
      detail: string;
    };
    expect(r.detail).toMatch(/UpdateApplication .*FlinkApplicationProperties execution\.checkpointing\.unaligned=true/);
    // The scenario adds the key and keeps the group's other keys.
    const groups = (await describeApp()).ApplicationConfigurationDescription!.EnvironmentPropertyDescriptions!
      .PropertyGroupDescriptions!;
    expect(groups.find((g) => g.PropertyGroupId === GROUP)!.PropertyMap).toEqual({
      [DEBLOAT]: 'true',
      [UNALIGNED]: 'true',
    });
    await untilRunning();
    await advance(30 * MIN);
    const f = await facts();
    expect(f.config.unaligned_checkpoints).toBe(true);
    expect(f.counts.failed).toBe(0);
    const done = periodic(f).filter((c) => c.status === 'COMPLETED');
    expect(done.length).toBeGreaterThanOrEqual(5);
    for (const c of done) {
      expect(c.checkpoint_type).toBe('UNALIGNED_CHECKPOINT');
      expect(c.persisted_data).toBeGreaterThan(0);
      expect(c.end_to_end_duration).toBeLessThan(5_000);
    }
    expect(f.latest.alignment).toBeLessThanOrEqual(5);
    expect(f.latest.startDelay).toBeLessThan(100);
    expect(f.latest.unaligned.every(Boolean)).toBe(true);
    // The per-task persisted data adds up to the checkpoint's.
    const newest = f.history.find((c) => c.id === f.latest.id)!;
    expect(Math.abs(f.latest.persisted - newest.persisted_data)).toBeLessThanOrEqual(f.parallelism.length * 4);
    expect(await recentMax('lastCheckpointDuration', 10 * MIN)).toBeLessThan(5_000);

    // A snapshot is an aligned savepoint, whatever the periodic checkpoints are.
    await t.ka.send(new ka.CreateApplicationSnapshotCommand({ ApplicationName: APP, SnapshotName: 'while-unaligned' }));
    for (let i = 0; i < 60; i++) {
      const s = await t.ka.send(
        new ka.DescribeApplicationSnapshotCommand({ ApplicationName: APP, SnapshotName: 'while-unaligned' }),
      );
      if (s.SnapshotDetails?.SnapshotStatus === 'READY') break;
      await advance(2_000);
    }
    const get = await dashboard();
    const stats = (await get(`jobs/${f.jid}/checkpoints`)) as {
      latest: { savepoint?: { id: number; checkpoint_type: string; persisted_data: number } };
    };
    const savepoint = stats.latest.savepoint!;
    expect(['SAVEPOINT', 'SYNC_SAVEPOINT']).toContain(savepoint.checkpoint_type);
    expect(savepoint.persisted_data).toBe(0);
    const job = (await get(`jobs/${f.jid}`)) as { vertices: { id: string }[] };
    const sub = (await get(
      `jobs/${f.jid}/checkpoints/details/${savepoint.id}/subtasks/${job.vertices.at(-1)!.id}`,
    )) as {
      subtasks: { unaligned_checkpoint?: boolean }[];
    };
    expect(sub.subtasks.every((s) => s.unaligned_checkpoint === false)).toBe(true);
  });

  it('the scale-out scenario: parallelism 6 removes the backpressure', async () => {
    const r = (await t.admin('/_emulator/scenarios/scale-out', { application: APP })) as { detail: string };
    expect(r.detail).toMatch(/parallelism 6 \(was 2\)/);
    await untilRunning();
    await advance(20 * MIN);
    const f = await facts();
    expect(f.parallelism).toEqual([6, 6, 6]);
    for (const v of f.backpressure) {
      expect(v.level).toBe('ok');
      expect(v.ratio).toBeLessThan(0.5);
    }
    // The sink keeps up, near its capacity.
    expect(f.backpressure.at(-1)!.busy).toBeGreaterThan(0.8);
    expect(f.counts.failed).toBe(0);
    expect(await recentMax('backPressuredTimeMsPerSecond', 5 * MIN)).toBe(0);
  });
});

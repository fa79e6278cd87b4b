import { describe, expect, it } from 'vitest';
import { createApp, ctx, errorOf, newEngine, runningApp, statusPath } from './helpers.js';

const create = (e: ReturnType<typeof newEngine>, name: string) =>
  e.kinesisAnalytics.createApplicationSnapshot(ctx, { ApplicationName: 'app', SnapshotName: name });
const list = (e: ReturnType<typeof newEngine>) =>
  e.kinesisAnalytics.listApplicationSnapshots(ctx, { ApplicationName: 'app' }).SnapshotSummaries!;

describe('application snapshots', () => {
  it('are taken only while RUNNING, CREATING → READY, recording version, runtime and key', () => {
    const e = newEngine();
    createApp(e, 'app');
    expect(errorOf(() => create(e, 's1'))).toBe('ResourceInUseException');
    e.kinesisAnalytics.startApplication(ctx, { ApplicationName: 'app' });
    statusPath(e, 'app');
    e.advanceBy(60_000);
    create(e, 's1');
    expect(list(e).map((s) => s.SnapshotStatus)).toEqual(['CREATING']);
    e.advanceBy(30_000);
    const [s] = list(e);
    expect(s).toMatchObject({
      SnapshotName: 's1',
      SnapshotStatus: 'READY',
      ApplicationVersionId: 1,
      RuntimeEnvironment: 'FLINK-1_20',
      ApplicationEncryptionConfigurationDescription: { KeyType: 'AWS_OWNED_KEY' },
    });
    expect(s!.SnapshotCreationTimestamp!.getTime() % 1000).toBe(0);
    const stored = e.core.snapshot(e.core.findApp(ctx, 'app')!, 's1')!;
    expect(Object.keys(stored.operatorState).sort()).toEqual(['enrich', 'sessions']);
    expect(errorOf(() => create(e, 's1'))).toBe('InvalidArgumentException');
    expect(
      errorOf(() =>
        e.kinesisAnalytics.describeApplicationSnapshot(ctx, { ApplicationName: 'app', SnapshotName: 'nope' }),
      ),
    ).toBe('InvalidArgumentException');
  });

  it('are refused when snapshots are disabled', () => {
    const e = newEngine();
    runningApp(e, 'app', '1.0.0', {
      ApplicationConfiguration: { ApplicationSnapshotConfiguration: { SnapshotsEnabled: false } },
    });
    expect(errorOf(() => create(e, 's1'))).toBe('InvalidApplicationConfigurationException');
  });

  it('are deleted with the matching creation time (whole seconds), never while CREATING', () => {
    const e = newEngine();
    runningApp(e, 'app');
    create(e, 's1');
    const ts = list(e)[0]!.SnapshotCreationTimestamp!;
    const del = (t: Date) =>
      e.kinesisAnalytics.deleteApplicationSnapshot(ctx, {
        ApplicationName: 'app',
        SnapshotName: 's1',
        SnapshotCreationTimestamp: t,
      });
    expect(errorOf(() => del(ts))).toBe('ResourceInUseException');
    e.advanceBy(30_000);
    expect(errorOf(() => del(new Date(ts.getTime() + 1000)))).toBe('InvalidArgumentException');
    del(new Date(ts.getTime() + 400));
    expect(list(e).map((s) => s.SnapshotStatus)).toEqual(['DELETING']);
    e.advanceBy(10_000);
    expect(list(e)).toEqual([]);
    expect(errorOf(() => del(ts))).toBe('InvalidArgumentException');
  });

  it('stop at the quota: manual snapshots past it fail, service snapshots still succeed and count', () => {
    const e = newEngine({ limits: { snapshotsPerApplication: 3 } });
    runningApp(e, 'app');
    for (const n of ['a', 'b', 'c']) {
      create(e, n);
      e.advanceBy(20_000);
    }
    expect(errorOf(() => create(e, 'd'))).toBe('LimitExceededException');
    e.kinesisAnalytics.stopApplication(ctx, { ApplicationName: 'app' });
    expect(statusPath(e, 'app')).toEqual(['STOPPING', 'READY']);
    expect(list(e).map((s) => s.SnapshotStatus)).toEqual(['READY', 'READY', 'READY', 'READY']);
  });

  it('a snapshot of a job that is restarting fails', () => {
    const e = newEngine();
    createApp(e, 'app', '1.3.0-poison-pill');
    e.kinesisAnalytics.startApplication(ctx, { ApplicationName: 'app' });
    statusPath(e, 'app');
    const key = e.core.appKey(ctx, 'app');
    e.advanceBy(30_000);
    while (e.flink.isProcessing(key)) e.advanceTo(e.nextEventTime()!);
    create(e, 'during-restart');
    e.advanceBy(1_500);
    expect(list(e)[0]).toMatchObject({ SnapshotName: 'during-restart', SnapshotStatus: 'FAILED' });
  });
});

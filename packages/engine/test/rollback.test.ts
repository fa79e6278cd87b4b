import { describe, expect, it } from 'vitest';
import {
  createApp,
  ctx,
  describe_,
  errorOf,
  newEngine,
  runningApp,
  status,
  statusPath,
  untilProcessing,
} from './helpers.js';

function deploy(e: ReturnType<typeof newEngine>, name: string, version: string, fromVersion: number) {
  return e.kinesisAnalytics.updateApplication(ctx, {
    ApplicationName: name,
    CurrentApplicationVersionId: fromVersion,
    ApplicationConfigurationUpdate: {
      ApplicationCodeConfigurationUpdate: {
        CodeContentUpdate: { S3ContentLocationUpdate: { FileKeyUpdate: `sessionizer/sessionizer-${version}.jar` } },
      },
    },
  });
}

describe('RollbackApplication', () => {
  it('rolls a fail-and-restart loop back to the previous version and the snapshot taken at the deploy', () => {
    const e = newEngine();
    runningApp(e, 'app');
    e.advanceBy(5 * 60_000);
    deploy(e, 'app', '1.3.0-poison-pill', 1);
    expect(statusPath(e, 'app')).toEqual(['UPDATING', 'RUNNING']);
    const key = e.core.appKey(ctx, 'app');
    e.advanceBy(2 * 60_000);
    expect(status(e, 'app')).toBe('RUNNING');
    expect(e.flink.cluster(key)!.job!.numRestarts).toBeGreaterThanOrEqual(3);
    const deploySnapshot = e.core.version(e.core.findApp(ctx, 'app')!, 2)!.deploySnapshot;
    expect(deploySnapshot).toBeDefined();

    expect(
      errorOf(() =>
        e.kinesisAnalytics.rollbackApplication(ctx, { ApplicationName: 'app', CurrentApplicationVersionId: 1 }),
      ),
    ).toBe('ConcurrentModificationException');
    const r = e.kinesisAnalytics.rollbackApplication(ctx, { ApplicationName: 'app', CurrentApplicationVersionId: 2 });
    expect(r.ApplicationDetail).toMatchObject({
      ApplicationStatus: 'ROLLING_BACK',
      ApplicationVersionId: 3,
      ApplicationVersionRolledBackFrom: 2,
      ApplicationVersionRolledBackTo: 1,
    });
    expect(statusPath(e, 'app')).toEqual(['ROLLING_BACK', 'RUNNING']);
    expect(untilProcessing(e, 'app')).toBe(true);
    const job = e.flink.cluster(key)!.job!;
    expect(job.numRestarts).toBe(0);
    expect(job.restoredFrom).toContain(deploySnapshot);
    e.advanceBy(5 * 60_000);
    expect(e.flink.cluster(key)!.job!.numRestarts).toBe(0);
    const d = describe_(e, 'app');
    expect(
      d.ApplicationConfigurationDescription?.ApplicationCodeConfigurationDescription?.CodeContentDescription
        ?.S3ApplicationCodeLocationDescription?.FileKey,
    ).toBe('sessionizer/sessionizer-1.0.0.jar');
    const versions = e.kinesisAnalytics.listApplicationVersions(ctx, {
      ApplicationName: 'app',
    }).ApplicationVersionSummaries!;
    expect(versions).toEqual([
      { ApplicationVersionId: 1, ApplicationStatus: 'RUNNING' },
      { ApplicationVersionId: 2, ApplicationStatus: 'ROLLED_BACK' },
      { ApplicationVersionId: 3, ApplicationStatus: 'RUNNING' },
    ]);
    const op = e.kinesisAnalytics.describeApplicationOperation(ctx, {
      ApplicationName: 'app',
      OperationId: r.OperationId,
    }).ApplicationOperationInfoDetails!;
    expect(op).toMatchObject({ Operation: 'RollbackApplication', OperationStatus: 'SUCCESSFUL' });
  });

  it('restores the saved code copy of the target version, even if the object changed since', () => {
    const e = newEngine();
    runningApp(e, 'app');
    const md5 = describe_(e, 'app').ApplicationConfigurationDescription?.ApplicationCodeConfigurationDescription
      ?.CodeContentDescription?.CodeMD5;
    e.advanceBy(60_000);
    deploy(e, 'app', '1.1.0', 1);
    statusPath(e, 'app');
    e.artifacts.put('mfc-demo-artifacts', 'sessionizer/sessionizer-1.0.0.jar', new TextEncoder().encode('garbage'));
    e.kinesisAnalytics.rollbackApplication(ctx, { ApplicationName: 'app', CurrentApplicationVersionId: 2 });
    statusPath(e, 'app');
    expect(
      describe_(e, 'app').ApplicationConfigurationDescription?.ApplicationCodeConfigurationDescription
        ?.CodeContentDescription?.CodeMD5,
    ).toBe(md5);
    expect(e.flink.cluster(e.core.appKey(ctx, 'app'))!.job!.name).toBe('clickstream-sessionizer');
  });

  it('needs a snapshot, a previous version and a status that allows it', () => {
    const e = newEngine();
    createApp(e, 'app');
    expect(
      errorOf(() =>
        e.kinesisAnalytics.rollbackApplication(ctx, { ApplicationName: 'app', CurrentApplicationVersionId: 1 }),
      ),
    ).toBe('ResourceInUseException');
    runningApp(e, 'b', '1.0.0', {
      ApplicationConfiguration: { ApplicationSnapshotConfiguration: { SnapshotsEnabled: false } },
    });
    expect(
      errorOf(() =>
        e.kinesisAnalytics.rollbackApplication(ctx, { ApplicationName: 'b', CurrentApplicationVersionId: 1 }),
      ),
    ).toBe('InvalidRequestException');
    deploy(e, 'b', '1.1.0', 1);
    statusPath(e, 'b');
    expect(
      errorOf(() =>
        e.kinesisAnalytics.rollbackApplication(ctx, { ApplicationName: 'b', CurrentApplicationVersionId: 2 }),
      ),
    ).toBe('InvalidRequestException');
  });

  it('during UPDATING cancels the update and runs the previous version', () => {
    const e = newEngine();
    runningApp(e, 'app');
    e.advanceBy(60_000);
    e.kinesisAnalytics.createApplicationSnapshot(ctx, { ApplicationName: 'app', SnapshotName: 'before' });
    e.advanceBy(30_000);
    const update = deploy(e, 'app', '1.1.0', 1);
    e.advanceBy(500);
    expect(status(e, 'app')).toBe('UPDATING');
    e.kinesisAnalytics.rollbackApplication(ctx, { ApplicationName: 'app', CurrentApplicationVersionId: 2 });
    expect(statusPath(e, 'app')).toEqual(['ROLLING_BACK', 'RUNNING']);
    const op = e.kinesisAnalytics.describeApplicationOperation(ctx, {
      ApplicationName: 'app',
      OperationId: update.OperationId,
    }).ApplicationOperationInfoDetails!;
    expect(op.OperationStatus).toBe('CANCELLED');
    expect(describe_(e, 'app').ApplicationVersionId).toBe(3);
  });
});

describe('system rollback', () => {
  it('catches failure mode (a): the update FAILS with a RollbackOperationId and the previous version runs', () => {
    const e = newEngine();
    runningApp(e, 'app', '1.0.0', {
      ApplicationConfiguration: { ApplicationSystemRollbackConfiguration: { RollbackEnabled: true } },
    });
    e.advanceBy(60_000);
    const u = deploy(e, 'app', '1.2.0-bad-main', 1);
    expect(statusPath(e, 'app')).toEqual(['UPDATING', 'ROLLING_BACK', 'RUNNING']);
    const failed = e.kinesisAnalytics.describeApplicationOperation(ctx, {
      ApplicationName: 'app',
      OperationId: u.OperationId,
    }).ApplicationOperationInfoDetails!;
    expect(failed.OperationStatus).toBe('FAILED');
    expect(failed.OperationFailureDetails?.ErrorInfo?.ErrorString).toMatch(/The main method caused an error/);
    const rollbackId = failed.OperationFailureDetails?.RollbackOperationId;
    expect(rollbackId).toBeDefined();
    const rb = e.kinesisAnalytics.describeApplicationOperation(ctx, {
      ApplicationName: 'app',
      OperationId: rollbackId,
    }).ApplicationOperationInfoDetails!;
    expect(rb).toMatchObject({ Operation: 'RollbackApplication', OperationStatus: 'SUCCESSFUL' });
    const d = describe_(e, 'app');
    expect(d).toMatchObject({
      ApplicationStatus: 'RUNNING',
      ApplicationVersionId: 3,
      ApplicationVersionRolledBackFrom: 2,
      ApplicationVersionRolledBackTo: 1,
    });
    expect(untilProcessing(e, 'app')).toBe(true);
  });

  it('with system rollback off, the failed update leaves the application READY', () => {
    const e = newEngine();
    runningApp(e, 'app');
    e.advanceBy(60_000);
    const u = deploy(e, 'app', '1.2.0-bad-main', 1);
    expect(statusPath(e, 'app')).toEqual(['UPDATING', 'READY']);
    const failed = e.kinesisAnalytics.describeApplicationOperation(ctx, {
      ApplicationName: 'app',
      OperationId: u.OperationId,
    }).ApplicationOperationInfoDetails!;
    expect(failed.OperationStatus).toBe('FAILED');
    expect(failed.OperationFailureDetails?.RollbackOperationId).toBeUndefined();
    expect(describe_(e, 'app').ApplicationVersionId).toBe(2);
  });
});

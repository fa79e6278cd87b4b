import { describe, expect, it } from 'vitest';
import { DEMO_BUCKET, utf8 } from '../src/index.js';
import {
  createApp,
  ctx,
  describe_,
  errorOf,
  newEngine,
  ROLE,
  runningApp,
  status,
  statusPath,
  untilProcessing,
} from './helpers.js';

describe('CreateApplication', () => {
  it('creates a READY application at version 1 with the documented defaults', () => {
    const e = newEngine();
    const d = createApp(e, 'app');
    expect(d.ApplicationStatus).toBe('READY');
    expect(d.ApplicationVersionId).toBe(1);
    expect(d.ApplicationMode).toBe('STREAMING');
    expect(d.CreateTimestamp?.getTime()).toBe(d.LastUpdateTimestamp?.getTime());
    const c = d.ApplicationConfigurationDescription!;
    expect(c.FlinkApplicationConfigurationDescription?.CheckpointConfigurationDescription).toEqual({
      ConfigurationType: 'DEFAULT',
      CheckpointingEnabled: true,
      CheckpointInterval: 60000,
      MinPauseBetweenCheckpoints: 5000,
    });
    expect(c.FlinkApplicationConfigurationDescription?.ParallelismConfigurationDescription).toEqual({
      ConfigurationType: 'DEFAULT',
      Parallelism: 1,
      ParallelismPerKPU: 1,
      CurrentParallelism: 1,
      AutoScalingEnabled: true,
    });
    expect(c.FlinkApplicationConfigurationDescription?.MonitoringConfigurationDescription).toEqual({
      ConfigurationType: 'DEFAULT',
      MetricsLevel: 'APPLICATION',
      LogLevel: 'INFO',
    });
    expect(c.ApplicationSnapshotConfigurationDescription).toEqual({ SnapshotsEnabled: true });
    expect(c.ApplicationSystemRollbackConfigurationDescription).toEqual({ RollbackEnabled: false });
    expect(c.RunConfigurationDescription).toBeUndefined();
    expect(c.ApplicationEncryptionConfigurationDescription).toEqual({ KeyType: 'AWS_OWNED_KEY' });
    expect(d.ApplicationMaintenanceConfigurationDescription).toEqual({
      ApplicationMaintenanceWindowStartTime: '03:00',
      ApplicationMaintenanceWindowEndTime: '11:00',
    });
    expect(c.ApplicationCodeConfigurationDescription?.CodeContentDescription?.CodeMD5).toMatch(/^[0-9a-f]{32}$/);
  });

  it('keeps the DEFAULT checkpoint values even when others are sent', () => {
    const e = newEngine();
    const d = createApp(e, 'app', '1.0.0', {
      ApplicationConfiguration: {
        FlinkApplicationConfiguration: {
          CheckpointConfiguration: { ConfigurationType: 'DEFAULT', CheckpointInterval: 5, CheckpointingEnabled: false },
        },
      },
    });
    expect(
      d.ApplicationConfigurationDescription?.FlinkApplicationConfigurationDescription
        ?.CheckpointConfigurationDescription,
    ).toMatchObject({
      CheckpointingEnabled: true,
      CheckpointInterval: 60000,
    });
  });

  it('rejects a duplicate name, a missing code object and the 101st application', () => {
    const e = newEngine();
    createApp(e, 'app');
    expect(errorOf(() => createApp(e, 'app'))).toBe('ResourceInUseException');
    expect(errorOf(() => createApp(e, 'other', '9.9.9-missing'))).toBe('InvalidArgumentException');
    expect(e.core.findApp(ctx, 'other')).toBeUndefined();
    for (let i = 0; i < 99; i++) createApp(e, `fleet-${i}`);
    expect(errorOf(() => createApp(e, 'one-too-many'))).toBe('LimitExceededException');
  });

  it('refuses retired runtimes and a mode that does not fit the runtime', () => {
    const e = newEngine();
    expect(
      errorOf(() =>
        e.kinesisAnalytics.createApplication(ctx, {
          ApplicationName: 'old',
          RuntimeEnvironment: 'FLINK-1_11',
          ServiceExecutionRole: ROLE,
        }),
      ),
    ).toBe('UnsupportedOperationException');
    expect(
      errorOf(() =>
        e.kinesisAnalytics.createApplication(ctx, {
          ApplicationName: 'x',
          RuntimeEnvironment: 'FLINK-1_20',
          ServiceExecutionRole: ROLE,
          ApplicationMode: 'INTERACTIVE',
        }),
      ),
    ).toBe('InvalidArgumentException');
  });

  it('limits tags to 50', () => {
    const e = newEngine();
    const Tags = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    expect(errorOf(() => createApp(e, 'tagged', '1.0.0', { Tags }))).toBe('TooManyTagsException');
  });
});

describe('UpdateApplication', () => {
  it('goes READY → UPDATING → READY and makes version 2', () => {
    const e = newEngine();
    createApp(e, 'app');
    const r = e.kinesisAnalytics.updateApplication(ctx, {
      ApplicationName: 'app',
      CurrentApplicationVersionId: 1,
      ApplicationConfigurationUpdate: {
        FlinkApplicationConfigurationUpdate: {
          ParallelismConfigurationUpdate: {
            ConfigurationTypeUpdate: 'CUSTOM',
            ParallelismUpdate: 4,
            ParallelismPerKPUUpdate: 2,
          },
        },
      },
    });
    expect(r.ApplicationDetail?.ApplicationVersionId).toBe(2);
    expect(r.ApplicationDetail?.ApplicationVersionUpdatedFrom).toBe(1);
    expect(r.OperationId).toMatch(/^[A-Za-z0-9]{12}$/);
    expect(statusPath(e, 'app')).toEqual(['UPDATING', 'READY']);
    const op = e.kinesisAnalytics.describeApplicationOperation(ctx, {
      ApplicationName: 'app',
      OperationId: r.OperationId,
    });
    expect(op.ApplicationOperationInfoDetails).toMatchObject({
      Operation: 'UpdateApplication',
      OperationStatus: 'SUCCESSFUL',
      ApplicationVersionChangeDetails: { ApplicationVersionUpdatedFrom: 1, ApplicationVersionUpdatedTo: 2 },
    });
  });

  it('needs a current version id or conditional token and refuses a stale one', () => {
    const e = newEngine();
    const d = createApp(e, 'app');
    const update = { ApplicationSnapshotConfigurationUpdate: { SnapshotsEnabledUpdate: false } };
    expect(
      errorOf(() =>
        e.kinesisAnalytics.updateApplication(ctx, { ApplicationName: 'app', ApplicationConfigurationUpdate: update }),
      ),
    ).toBe('InvalidArgumentException');
    e.kinesisAnalytics.updateApplication(ctx, {
      ApplicationName: 'app',
      ConditionalToken: d.ConditionalToken,
      ApplicationConfigurationUpdate: update,
    });
    statusPath(e, 'app');
    expect(
      errorOf(() =>
        e.kinesisAnalytics.updateApplication(ctx, {
          ApplicationName: 'app',
          ConditionalToken: d.ConditionalToken,
          ApplicationConfigurationUpdate: update,
        }),
      ),
    ).toBe('ConcurrentModificationException');
    expect(
      errorOf(() =>
        e.kinesisAnalytics.updateApplication(ctx, {
          ApplicationName: 'app',
          CurrentApplicationVersionId: 1,
          ApplicationConfigurationUpdate: update,
        }),
      ),
    ).toBe('ConcurrentModificationException');
  });

  it('refuses parallelism that needs more than 64 KPUs', () => {
    const e = newEngine();
    createApp(e, 'app');
    const at = (p: number, perKpu: number) => () =>
      e.kinesisAnalytics.updateApplication(ctx, {
        ApplicationName: 'app',
        CurrentApplicationVersionId: 1,
        ApplicationConfigurationUpdate: {
          FlinkApplicationConfigurationUpdate: {
            ParallelismConfigurationUpdate: {
              ConfigurationTypeUpdate: 'CUSTOM',
              ParallelismUpdate: p,
              ParallelismPerKPUUpdate: perKpu,
            },
          },
        },
      });
    expect(errorOf(at(65, 1))).toBe('LimitExceededException');
    expect(errorOf(at(129, 2))).toBe('LimitExceededException');
    expect(status(e, 'app')).toBe('READY');
    expect(e.core.findApp(ctx, 'app')?.versionId).toBe(1);
    at(128, 2)();
    expect(e.core.findApp(ctx, 'app')?.versionId).toBe(2);
  });

  it('copies the code package with each version: overwriting the object changes nothing until the next update', () => {
    const e = newEngine();
    createApp(e, 'app');
    const md5v1 = describe_(e, 'app').ApplicationConfigurationDescription?.ApplicationCodeConfigurationDescription
      ?.CodeContentDescription?.CodeMD5;
    e.artifacts.put(DEMO_BUCKET, 'sessionizer/sessionizer-1.0.0.jar', utf8('{"not":"a manifest"}'));
    expect(
      describe_(e, 'app').ApplicationConfigurationDescription?.ApplicationCodeConfigurationDescription
        ?.CodeContentDescription?.CodeMD5,
    ).toBe(md5v1);
    e.kinesisAnalytics.startApplication(ctx, { ApplicationName: 'app' });
    statusPath(e, 'app');
    expect(e.flink.cluster(e.core.appKey(ctx, 'app'))?.job?.name).toBe('clickstream-sessionizer');
    e.kinesisAnalytics.updateApplication(ctx, {
      ApplicationName: 'app',
      CurrentApplicationVersionId: 1,
      ApplicationConfigurationUpdate: {
        EnvironmentPropertyUpdates: { PropertyGroups: [{ PropertyGroupId: 'g', PropertyMap: { a: 'b' } }] },
      },
      // The overwritten object is a different job: its operators cannot take the old state.
      RunConfigurationUpdate: { FlinkRunConfiguration: { AllowNonRestoredState: true } },
    });
    expect(statusPath(e, 'app')).toEqual(['UPDATING', 'RUNNING']);
    const v2 = describe_(e, 'app').ApplicationConfigurationDescription?.ApplicationCodeConfigurationDescription
      ?.CodeContentDescription?.CodeMD5;
    expect(v2).not.toBe(md5v1);
    expect(e.flink.cluster(e.core.appKey(ctx, 'app'))?.job?.name).toBe('Flink Streaming Job');
    const v1 = e.kinesisAnalytics.describeApplicationVersion(ctx, { ApplicationName: 'app', ApplicationVersionId: 1 });
    expect(
      v1.ApplicationVersionDetail?.ApplicationConfigurationDescription?.ApplicationCodeConfigurationDescription
        ?.CodeContentDescription?.CodeMD5,
    ).toBe(md5v1);
  });

  it('updates a running application through a snapshot and restores the new job from it', () => {
    const e = newEngine();
    runningApp(e, 'app');
    e.advanceBy(10 * 60_000);
    e.kinesisAnalytics.updateApplication(ctx, {
      ApplicationName: 'app',
      CurrentApplicationVersionId: 1,
      ApplicationConfigurationUpdate: {
        ApplicationCodeConfigurationUpdate: {
          CodeContentUpdate: { S3ContentLocationUpdate: { FileKeyUpdate: 'sessionizer/sessionizer-1.1.0.jar' } },
        },
      },
    });
    expect(statusPath(e, 'app')).toEqual(['UPDATING', 'RUNNING']);
    const snaps = e.kinesisAnalytics.listApplicationSnapshots(ctx, { ApplicationName: 'app' }).SnapshotSummaries!;
    expect(snaps).toHaveLength(1);
    expect(snaps[0]).toMatchObject({ SnapshotStatus: 'READY', ApplicationVersionId: 1 });
    const job = e.flink.cluster(e.core.appKey(ctx, 'app'))!.job!;
    expect(job.restoredFrom).toContain(snaps[0]!.SnapshotName);
    expect(job.restoredState.sessions).toBeGreaterThan(0);
    // enrich chains onto the new dedupe operator: one vertex named like Flink names chains.
    expect(job.vertices.map((v) => v.name)).toContain('Deduplicate clicks -> Enrich with user profile');
  });

  it('restarts with empty state when snapshots are disabled', () => {
    const e = newEngine();
    runningApp(e, 'app', '1.0.0', {
      ApplicationConfiguration: { ApplicationSnapshotConfiguration: { SnapshotsEnabled: false } },
    });
    e.kinesisAnalytics.updateApplication(ctx, {
      ApplicationName: 'app',
      CurrentApplicationVersionId: 1,
      ApplicationConfigurationUpdate: {
        FlinkApplicationConfigurationUpdate: {
          ParallelismConfigurationUpdate: { ConfigurationTypeUpdate: 'CUSTOM', ParallelismUpdate: 2 },
        },
      },
    });
    expect(statusPath(e, 'app')).toEqual(['UPDATING', 'RUNNING']);
    expect(e.kinesisAnalytics.listApplicationSnapshots(ctx, { ApplicationName: 'app' }).SnapshotSummaries).toHaveLength(
      0,
    );
    expect(e.flink.cluster(e.core.appKey(ctx, 'app'))!.job!.restoredState).toEqual({});
    expect(e.flink.cluster(e.core.appKey(ctx, 'app'))!.taskManagers).toHaveLength(2);
  });
});

describe('StartApplication and StopApplication', () => {
  it('starts READY → STARTING → RUNNING without changing the version, and shows the run configuration', () => {
    const e = newEngine();
    createApp(e, 'app');
    const { OperationId } = e.kinesisAnalytics.startApplication(ctx, { ApplicationName: 'app' });
    expect(statusPath(e, 'app')).toEqual(['STARTING', 'RUNNING']);
    const d = describe_(e, 'app');
    expect(d.ApplicationVersionId).toBe(1);
    expect(d.ApplicationConfigurationDescription?.RunConfigurationDescription).toEqual({
      ApplicationRestoreConfigurationDescription: { ApplicationRestoreType: 'RESTORE_FROM_LATEST_SNAPSHOT' },
      FlinkRunConfigurationDescription: { AllowNonRestoredState: false },
    });
    expect(
      e.kinesisAnalytics.describeApplicationOperation(ctx, { ApplicationName: 'app', OperationId })
        .ApplicationOperationInfoDetails?.OperationStatus,
    ).toBe('SUCCESSFUL');
    expect(errorOf(() => e.kinesisAnalytics.startApplication(ctx, { ApplicationName: 'app' }))).toBe(
      'ResourceInUseException',
    );
  });

  it('stops RUNNING → STOPPING → READY with a snapshot, and hides the run configuration', () => {
    const e = newEngine();
    runningApp(e, 'app');
    e.kinesisAnalytics.stopApplication(ctx, { ApplicationName: 'app' });
    expect(statusPath(e, 'app')).toEqual(['STOPPING', 'READY']);
    const snaps = e.kinesisAnalytics.listApplicationSnapshots(ctx, { ApplicationName: 'app' }).SnapshotSummaries!;
    expect(snaps.map((s) => s.SnapshotStatus)).toEqual(['READY']);
    expect(describe_(e, 'app').ApplicationConfigurationDescription?.RunConfigurationDescription).toBeUndefined();
    expect(errorOf(() => e.kinesisAnalytics.stopApplication(ctx, { ApplicationName: 'app' }))).toBe(
      'ResourceInUseException',
    );
  });

  it('force-stops a STARTING application without a snapshot and cancels the start', () => {
    const e = newEngine();
    createApp(e, 'app');
    const start = e.kinesisAnalytics.startApplication(ctx, { ApplicationName: 'app' });
    e.advanceBy(1000);
    expect(status(e, 'app')).toBe('STARTING');
    e.kinesisAnalytics.stopApplication(ctx, { ApplicationName: 'app', Force: true });
    expect(statusPath(e, 'app')).toEqual(['FORCE_STOPPING', 'READY']);
    expect(e.kinesisAnalytics.listApplicationSnapshots(ctx, { ApplicationName: 'app' }).SnapshotSummaries).toHaveLength(
      0,
    );
    const ops = e.kinesisAnalytics.listApplicationOperations(ctx, {
      ApplicationName: 'app',
    }).ApplicationOperationInfoList!;
    expect(ops.map((o) => [o.Operation, o.OperationStatus])).toEqual([
      ['StartApplication', 'CANCELLED'],
      ['ForceStopApplication', 'SUCCESSFUL'],
    ]);
    expect(ops[0]!.OperationId).toBe(start.OperationId);
  });

  it('allows force stop from STARTING, UPDATING, STOPPING, AUTOSCALING and RUNNING only', () => {
    const e = newEngine();
    createApp(e, 'app');
    expect(errorOf(() => e.kinesisAnalytics.stopApplication(ctx, { ApplicationName: 'app', Force: true }))).toBe(
      'ResourceInUseException',
    );
    runningApp(e, 'b');
    e.kinesisAnalytics.stopApplication(ctx, { ApplicationName: 'b' });
    expect(status(e, 'b')).toBe('STOPPING');
    e.kinesisAnalytics.stopApplication(ctx, { ApplicationName: 'b', Force: true });
    expect(statusPath(e, 'b')).toEqual(['FORCE_STOPPING', 'READY']);
  });

  it('a graceful stop of a job stuck in a restart loop fails and the application keeps RUNNING', () => {
    const e = newEngine();
    createApp(e, 'loop', '1.3.0-poison-pill');
    e.kinesisAnalytics.startApplication(ctx, { ApplicationName: 'loop' });
    statusPath(e, 'loop');
    e.advanceBy(60_000);
    const key = e.core.appKey(ctx, 'loop');
    expect(e.flink.cluster(key)!.job!.numRestarts).toBeGreaterThan(0);
    // Stop exactly while the job is restarting.
    while (e.flink.isProcessing(key)) e.advanceTo(e.nextEventTime()!);
    const { OperationId } = e.kinesisAnalytics.stopApplication(ctx, { ApplicationName: 'loop' });
    expect(statusPath(e, 'loop')).toEqual(['STOPPING', 'RUNNING']);
    const op = e.kinesisAnalytics.describeApplicationOperation(ctx, {
      ApplicationName: 'loop',
      OperationId,
    }).ApplicationOperationInfoDetails!;
    expect(op.OperationStatus).toBe('FAILED');
    expect(op.OperationFailureDetails?.ErrorInfo?.ErrorString).toMatch(/Force=true/);
  });
});

describe('restore choices', () => {
  function appWithSnapshots() {
    const e = newEngine();
    runningApp(e, 'app');
    e.advanceBy(5 * 60_000);
    e.kinesisAnalytics.createApplicationSnapshot(ctx, { ApplicationName: 'app', SnapshotName: 'first' });
    e.advanceBy(60_000);
    e.kinesisAnalytics.stopApplication(ctx, { ApplicationName: 'app' });
    statusPath(e, 'app');
    return e;
  }

  it('the very first start has no state, whatever the choice', () => {
    const e = newEngine();
    createApp(e, 'app');
    e.kinesisAnalytics.startApplication(ctx, {
      ApplicationName: 'app',
      RunConfiguration: {
        ApplicationRestoreConfiguration: {
          ApplicationRestoreType: 'RESTORE_FROM_CUSTOM_SNAPSHOT',
          SnapshotName: 'none',
        },
      },
    });
    expect(statusPath(e, 'app')).toEqual(['STARTING', 'RUNNING']);
    expect(e.flink.cluster(e.core.appKey(ctx, 'app'))!.job!.restoredState).toEqual({});
  });

  it('restores the latest snapshot by default, a named one on request, none when skipped', () => {
    const e = appWithSnapshots();
    const key = e.core.appKey(ctx, 'app');
    const [first, stop] = e.kinesisAnalytics.listApplicationSnapshots(ctx, {
      ApplicationName: 'app',
    }).SnapshotSummaries!;
    expect(first!.SnapshotName).toBe('first');
    const startWith = (rc?: object) => {
      e.kinesisAnalytics.startApplication(ctx, { ApplicationName: 'app', RunConfiguration: rc });
      expect(statusPath(e, 'app')).toEqual(['STARTING', 'RUNNING']);
      const from = e.flink.cluster(key)!.job!.restoredFrom;
      e.kinesisAnalytics.stopApplication(ctx, { ApplicationName: 'app', Force: true });
      statusPath(e, 'app');
      return from;
    };
    expect(startWith()).toContain(stop!.SnapshotName);
    expect(
      startWith({
        ApplicationRestoreConfiguration: {
          ApplicationRestoreType: 'RESTORE_FROM_CUSTOM_SNAPSHOT',
          SnapshotName: 'first',
        },
      }),
    ).toContain('first');
    expect(
      startWith({ ApplicationRestoreConfiguration: { ApplicationRestoreType: 'SKIP_RESTORE_FROM_SNAPSHOT' } }),
    ).toBeUndefined();
    expect(
      errorOf(() =>
        e.kinesisAnalytics.startApplication(ctx, {
          ApplicationName: 'app',
          RunConfiguration: {
            ApplicationRestoreConfiguration: {
              ApplicationRestoreType: 'RESTORE_FROM_CUSTOM_SNAPSHOT',
              SnapshotName: 'nope',
            },
          },
        }),
      ),
    ).toBe('InvalidArgumentException');
  });

  it('a snapshot with state for a removed operator uid fails the start unless AllowNonRestoredState', () => {
    const e = appWithSnapshots();
    e.kinesisAnalytics.updateApplication(ctx, {
      ApplicationName: 'app',
      CurrentApplicationVersionId: 1,
      ApplicationConfigurationUpdate: {
        ApplicationCodeConfigurationUpdate: {
          CodeContentUpdate: {
            S3ContentLocationUpdate: { FileKeyUpdate: 'sessionizer/sessionizer-2.0.0-drops-enrich.jar' },
          },
        },
      },
    });
    statusPath(e, 'app');
    const failed = e.kinesisAnalytics.startApplication(ctx, { ApplicationName: 'app' });
    expect(statusPath(e, 'app')).toEqual(['STARTING', 'READY']);
    const details = e.kinesisAnalytics.describeApplicationOperation(ctx, {
      ApplicationName: 'app',
      OperationId: failed.OperationId,
    }).ApplicationOperationInfoDetails!;
    expect(details.OperationStatus).toBe('FAILED');
    expect(details.OperationFailureDetails?.ErrorInfo?.ErrorString).toMatch(/uid enrich.*allowNonRestoredState/);
    e.kinesisAnalytics.startApplication(ctx, {
      ApplicationName: 'app',
      RunConfiguration: { FlinkRunConfiguration: { AllowNonRestoredState: true } },
    });
    expect(statusPath(e, 'app')).toEqual(['STARTING', 'RUNNING']);
    const job = e.flink.cluster(e.core.appKey(ctx, 'app'))!.job!;
    expect(Object.keys(job.restoredState)).not.toContain('enrich');
    expect(job.restoredState.sessions).toBeGreaterThan(0);
  });

  it('a new operator uid is fine', () => {
    const e = appWithSnapshots();
    e.kinesisAnalytics.updateApplication(ctx, {
      ApplicationName: 'app',
      CurrentApplicationVersionId: 1,
      ApplicationConfigurationUpdate: {
        ApplicationCodeConfigurationUpdate: {
          CodeContentUpdate: { S3ContentLocationUpdate: { FileKeyUpdate: 'sessionizer/sessionizer-1.1.0.jar' } },
        },
      },
    });
    statusPath(e, 'app');
    e.kinesisAnalytics.startApplication(ctx, { ApplicationName: 'app' });
    expect(statusPath(e, 'app')).toEqual(['STARTING', 'RUNNING']);
  });
});

describe('failure mode (a): the job never deploys', () => {
  for (const [variant, text] of [
    ['1.2.0-bad-main', /The main method caused an error: java.lang.IllegalArgumentException/],
    ['1.5.0-missing-main', /entry point class 'com.example.Sessionizer' was not found/],
  ] as const)
    it(`${variant}: the start fails and the application returns to READY`, () => {
      const e = newEngine();
      createApp(e, 'app', variant);
      const { OperationId } = e.kinesisAnalytics.startApplication(ctx, { ApplicationName: 'app' });
      expect(statusPath(e, 'app')).toEqual(['STARTING', 'READY']);
      const d = e.kinesisAnalytics.describeApplicationOperation(ctx, {
        ApplicationName: 'app',
        OperationId,
      }).ApplicationOperationInfoDetails!;
      expect(d.OperationStatus).toBe('FAILED');
      expect(d.EndTime).toBeInstanceOf(Date);
      expect(d.OperationFailureDetails?.ErrorInfo?.ErrorString).toMatch(text);
      expect(e.flink.cluster(e.core.appKey(ctx, 'app'))).toBeUndefined();
    });
});

describe('DeleteApplication', () => {
  it('needs the CreateTimestamp to the second, then DELETING → gone with its snapshots', () => {
    const e = newEngine({ startTime: Date.UTC(2026, 0, 1, 0, 0, 0, 0) });
    e.advanceBy(1_234);
    const d = createApp(e, 'app');
    runningApp(e, 'other');
    const created = d.CreateTimestamp!;
    expect(created.getTime() % 1000).toBe(0);
    expect(
      errorOf(() =>
        e.kinesisAnalytics.deleteApplication(ctx, {
          ApplicationName: 'app',
          CreateTimestamp: new Date(created.getTime() - 1000),
        }),
      ),
    ).toBe('InvalidArgumentException');
    e.kinesisAnalytics.deleteApplication(ctx, {
      ApplicationName: 'app',
      CreateTimestamp: new Date(created.getTime() + 999),
    });
    expect(statusPath(e, 'app')).toEqual(['DELETING', 'GONE']);
    expect(errorOf(() => describe_(e, 'app'))).toBe('ResourceNotFoundException');
    expect(status(e, 'other')).toBe('RUNNING');
  });

  it('deletes a RUNNING application and its snapshots', () => {
    const e = newEngine();
    runningApp(e, 'app');
    e.kinesisAnalytics.createApplicationSnapshot(ctx, { ApplicationName: 'app', SnapshotName: 's1' });
    statusPath(e, 'app');
    e.advanceBy(60_000);
    const d = describe_(e, 'app');
    e.kinesisAnalytics.deleteApplication(ctx, { ApplicationName: 'app', CreateTimestamp: d.CreateTimestamp });
    expect(statusPath(e, 'app')).toEqual(['DELETING', 'GONE']);
    expect(e.store.snapshots.count(e.core.appKey(ctx, 'app'))).toBe(0);
    expect(e.flink.cluster(e.core.appKey(ctx, 'app'))).toBeUndefined();
  });
});

describe('tags, maintenance, presigned URLs, pagination', () => {
  it('tags by ARN with replacement and a limit of 50', () => {
    const e = newEngine();
    const d = createApp(e, 'app', '1.0.0', { Tags: [{ Key: 'team', Value: 'a' }] });
    const arn = d.ApplicationARN!;
    e.kinesisAnalytics.tagResource(ctx, {
      ResourceARN: arn,
      Tags: [
        { Key: 'team', Value: 'b' },
        { Key: 'env', Value: 'prod' },
      ],
    });
    expect(e.kinesisAnalytics.listTagsForResource(ctx, { ResourceARN: arn }).Tags).toEqual([
      { Key: 'team', Value: 'b' },
      { Key: 'env', Value: 'prod' },
    ]);
    e.kinesisAnalytics.untagResource(ctx, { ResourceARN: arn, TagKeys: ['team'] });
    expect(e.kinesisAnalytics.listTagsForResource(ctx, { ResourceARN: arn }).Tags).toEqual([
      { Key: 'env', Value: 'prod' },
    ]);
    const many = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: '' }));
    expect(errorOf(() => e.kinesisAnalytics.tagResource(ctx, { ResourceARN: arn, Tags: many }))).toBe(
      'TooManyTagsException',
    );
    expect(
      errorOf(() =>
        e.kinesisAnalytics.listTagsForResource(ctx, {
          ResourceARN: 'arn:aws:kinesisanalytics:us-east-1:123456789012:application/nope',
        }),
      ),
    ).toBe('ResourceNotFoundException');
    expect(errorOf(() => e.kinesisAnalytics.listTagsForResource(ctx, { ResourceARN: 'arn:aws:s3:::x' }))).toBe(
      'InvalidArgumentException',
    );
  });

  it('changes the maintenance window in READY and RUNNING only', () => {
    const e = newEngine();
    createApp(e, 'app');
    const r = e.kinesisAnalytics.updateApplicationMaintenanceConfiguration(ctx, {
      ApplicationName: 'app',
      ApplicationMaintenanceConfigurationUpdate: { ApplicationMaintenanceWindowStartTimeUpdate: '20:30' },
    });
    expect(r.ApplicationMaintenanceConfigurationDescription).toEqual({
      ApplicationMaintenanceWindowStartTime: '20:30',
      ApplicationMaintenanceWindowEndTime: '04:30',
    });
    e.kinesisAnalytics.startApplication(ctx, { ApplicationName: 'app' });
    expect(
      errorOf(() =>
        e.kinesisAnalytics.updateApplicationMaintenanceConfiguration(ctx, {
          ApplicationName: 'app',
          ApplicationMaintenanceConfigurationUpdate: { ApplicationMaintenanceWindowStartTimeUpdate: '01:00' },
        }),
      ),
    ).toBe('ResourceInUseException');
  });

  it('gives a presigned dashboard URL only while RUNNING (not while UPDATING)', () => {
    const e = newEngine();
    createApp(e, 'app');
    const ask = () =>
      e.kinesisAnalytics.createApplicationPresignedUrl(ctx, { ApplicationName: 'app', UrlType: 'FLINK_DASHBOARD_URL' });
    expect(errorOf(ask)).toBe('ResourceInUseException');
    e.kinesisAnalytics.startApplication(ctx, { ApplicationName: 'app' });
    statusPath(e, 'app');
    expect(ask().AuthorizedUrl).toMatch(
      /^http:\/\/127\.0\.0\.1:4599\/flinkdashboard\/[0-9a-f]{20}\/\?authToken=[0-9a-f]{64}$/,
    );
    e.kinesisAnalytics.updateApplication(ctx, {
      ApplicationName: 'app',
      CurrentApplicationVersionId: 1,
      ApplicationConfigurationUpdate: { ApplicationSnapshotConfigurationUpdate: { SnapshotsEnabledUpdate: true } },
    });
    expect(errorOf(ask)).toBe('ResourceInUseException');
    expect(
      errorOf(() =>
        e.kinesisAnalytics.createApplicationPresignedUrl(ctx, { ApplicationName: 'app', UrlType: 'ZEPPELIN_UI_URL' }),
      ),
    ).toBe('InvalidArgumentException');
  });

  it('pages applications by name and versions with opaque tokens', () => {
    const e = newEngine();
    for (const n of ['c', 'a', 'b']) createApp(e, n);
    const p1 = e.kinesisAnalytics.listApplications(ctx, { Limit: 2 });
    expect(p1.ApplicationSummaries!.map((s) => s.ApplicationName)).toEqual(['a', 'b']);
    expect(p1.NextToken).toBe('c');
    const p2 = e.kinesisAnalytics.listApplications(ctx, { Limit: 2, NextToken: p1.NextToken });
    expect(p2.ApplicationSummaries!.map((s) => s.ApplicationName)).toEqual(['c']);
    expect(p2.NextToken).toBeUndefined();
    expect(
      errorOf(() => e.kinesisAnalytics.listApplicationVersions(ctx, { ApplicationName: 'a', NextToken: 'bogus' })),
    ).toBe('InvalidArgumentException');
  });

  it('answers SQL-only operations on a Flink application with InvalidArgumentException', () => {
    const e = newEngine();
    createApp(e, 'app');
    expect(errorOf(() => e.kinesisAnalytics.addApplicationOutput(ctx, { ApplicationName: 'app' }))).toBe(
      'InvalidArgumentException',
    );
    expect(errorOf(() => e.kinesisAnalytics.addApplicationOutput(ctx, { ApplicationName: 'nope' }))).toBe(
      'ResourceNotFoundException',
    );
    expect(errorOf(() => e.kinesisAnalytics.discoverInputSchema(ctx, {}))).toBe('UnsupportedOperationException');
  });

  it('adds and removes a logging option and a VPC configuration as new versions', () => {
    const e = newEngine();
    createApp(e, 'app');
    const add = e.kinesisAnalytics.addApplicationCloudWatchLoggingOption(ctx, {
      ApplicationName: 'app',
      CurrentApplicationVersionId: 1,
      CloudWatchLoggingOption: {
        LogStreamARN: 'arn:aws:logs:us-east-1:123456789012:log-group:/mfc/app:log-stream:app',
      },
    });
    expect(add.ApplicationVersionId).toBe(2);
    expect(add.CloudWatchLoggingOptionDescriptions).toEqual([
      {
        CloudWatchLoggingOptionId: '2.1',
        LogStreamARN: 'arn:aws:logs:us-east-1:123456789012:log-group:/mfc/app:log-stream:app',
      },
    ]);
    expect(statusPath(e, 'app')).toEqual(['UPDATING', 'READY']);
    const vpc = e.kinesisAnalytics.addApplicationVpcConfiguration(ctx, {
      ApplicationName: 'app',
      CurrentApplicationVersionId: 2,
      VpcConfiguration: { SubnetIds: ['subnet-1'], SecurityGroupIds: ['sg-1'] },
    });
    expect(vpc.VpcConfigurationDescription).toMatchObject({
      VpcConfigurationId: '3.1',
      SubnetIds: ['subnet-1'],
      VpcId: expect.stringMatching(/^vpc-/),
    });
    statusPath(e, 'app');
    e.kinesisAnalytics.deleteApplicationVpcConfiguration(ctx, {
      ApplicationName: 'app',
      CurrentApplicationVersionId: 3,
      VpcConfigurationId: '3.1',
    });
    statusPath(e, 'app');
    e.kinesisAnalytics.deleteApplicationCloudWatchLoggingOption(ctx, {
      ApplicationName: 'app',
      CurrentApplicationVersionId: 4,
      CloudWatchLoggingOptionId: '2.1',
    });
    statusPath(e, 'app');
    const d = describe_(e, 'app');
    expect(d.ApplicationVersionId).toBe(5);
    expect(d.CloudWatchLoggingOptionDescriptions).toEqual([]);
    expect(d.ApplicationConfigurationDescription?.VpcConfigurationDescriptions).toBeUndefined();
    expect(
      e.kinesisAnalytics.listApplicationOperations(ctx, {
        ApplicationName: 'app',
        Operation: 'AddApplicationVpcConfiguration',
      }).ApplicationOperationInfoList,
    ).toHaveLength(1);
  });
});

it('fast profile start takes seconds; realistic about a minute', () => {
  for (const [profile, min, max] of [
    ['fast', 2_000, 15_000],
    ['realistic', 45_000, 120_000],
  ] as const) {
    const e = newEngine({ timeProfile: profile });
    createApp(e, 'app');
    const t0 = e.now();
    e.kinesisAnalytics.startApplication(ctx, { ApplicationName: 'app' });
    statusPath(e, 'app');
    expect(e.now() - t0).toBeGreaterThanOrEqual(min);
    expect(e.now() - t0).toBeLessThanOrEqual(max);
    expect(untilProcessing(e, 'app')).toBe(true);
  }
});

it('instant profile completes a start on the next scheduler turn', () => {
  const e = newEngine({ timeProfile: 'instant' });
  createApp(e, 'app');
  e.kinesisAnalytics.startApplication(ctx, { ApplicationName: 'app' });
  expect(status(e, 'app')).toBe('STARTING');
  e.runDue();
  expect(status(e, 'app')).toBe('RUNNING');
  e.runDue();
  expect(e.flink.isProcessing(e.core.appKey(ctx, 'app'))).toBe(true);
});

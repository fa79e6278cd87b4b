/**
 * aws_kinesisanalyticsv2_application and aws_kinesisanalyticsv2_application_snapshot as the Terraform AWS
 * provider (5.x) drives them. Every argument the provider expands into CreateApplication must come back
 * from DescribeApplication as the provider flattens it, unchanged (a difference is drift on every plan);
 * an in-place update of parallelism or of the code key is one UpdateApplication and one new version;
 * tags go through TagResource / UntagResource / ListTagsForResource; start_application starts with the
 * run configuration; a snapshot reads back and is deleted with the timestamp Terraform kept (RFC 3339).
 */
import * as ka from '@aws-sdk/client-kinesis-analytics-v2';
import * as kms from '@aws-sdk/client-kms';
import * as s3 from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsError, credentials, eventually, ROLE, startTestEmulator, type TestEmulator } from './harness.js';

let t: TestEmulator;
let c: s3.S3Client;
beforeAll(async () => {
  t = await startTestEmulator();
  c = new s3.S3Client({ endpoint: t.emu.url, region: 'us-east-1', credentials, forcePathStyle: true, maxAttempts: 1 });
  await c.send(new s3.CreateBucketCommand({ Bucket: 'tf-flink-code' }));
  for (const key of ['jobs/v1.jar', 'jobs/v2.jar'])
    await c.send(
      new s3.PutObjectCommand({
        Bucket: 'tf-flink-code',
        Key: key,
        Body: JSON.stringify({
          mfcManifest: 1,
          name: 'tf-job',
          version: key,
          mainClass: 'com.example.Job',
          operators: [
            { uid: 'src', name: 'Source' },
            { uid: 'sink', name: 'Sink', inputs: ['src'] },
          ],
        }),
      }),
    );
});
afterAll(async () => {
  c.destroy();
  await t.close();
});

const LOG_STREAM = 'arn:aws:logs:us-east-1:123456789012:log-group:/tf/flink:log-stream:app';
const rfc3339 = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The application_configuration block of a Terraform configuration, as the user writes it. */
function configuration(fileKey: string, parallelism: number) {
  return {
    application_code_configuration: {
      code_content_type: 'ZIPFILE',
      s3_content_location: { bucket_arn: 'arn:aws:s3:::tf-flink-code', file_key: fileKey },
    },
    application_snapshot_configuration: { snapshots_enabled: true },
    environment_properties: <{ property_group_id: string; property_map: Record<string, string> }[]>[
      {
        property_group_id: 'ConsumerConfigProperties',
        property_map: { 'flink.stream.initpos': 'LATEST', 'aws.region': 'us-east-1' },
      },
      { property_group_id: 'FlinkApplicationProperties', property_map: { 'sink.topic': 'orders' } },
    ],
    checkpoint: {
      configuration_type: 'CUSTOM',
      checkpointing_enabled: true,
      checkpoint_interval: 30_000,
      min_pause_between_checkpoints: 2_000,
    },
    monitoring: { configuration_type: 'CUSTOM', log_level: 'WARN', metrics_level: 'TASK' },
    parallelism: { configuration_type: 'CUSTOM', auto_scaling_enabled: false, parallelism, parallelism_per_kpu: 2 },
    vpc: { security_group_ids: ['sg-0a1b2c3d'], subnet_ids: ['subnet-1111', 'subnet-2222'] },
  };
}
type Config = ReturnType<typeof configuration>;

/** expandApplicationConfiguration: what the provider sends to CreateApplication for that block. */
function expand(cfg: Config): ka.ApplicationConfiguration {
  return {
    ApplicationCodeConfiguration: {
      CodeContent: {
        S3ContentLocation: {
          BucketARN: cfg.application_code_configuration.s3_content_location.bucket_arn,
          FileKey: cfg.application_code_configuration.s3_content_location.file_key,
        },
      },
      CodeContentType: 'ZIPFILE',
    },
    ApplicationSnapshotConfiguration: { SnapshotsEnabled: cfg.application_snapshot_configuration.snapshots_enabled },
    EnvironmentProperties: {
      PropertyGroups: cfg.environment_properties.map((g) => ({
        PropertyGroupId: g.property_group_id,
        PropertyMap: g.property_map,
      })),
    },
    FlinkApplicationConfiguration: {
      CheckpointConfiguration: {
        ConfigurationType: 'CUSTOM',
        CheckpointingEnabled: cfg.checkpoint.checkpointing_enabled,
        CheckpointInterval: cfg.checkpoint.checkpoint_interval,
        MinPauseBetweenCheckpoints: cfg.checkpoint.min_pause_between_checkpoints,
      },
      MonitoringConfiguration: { ConfigurationType: 'CUSTOM', LogLevel: 'WARN', MetricsLevel: 'TASK' },
      ParallelismConfiguration: {
        ConfigurationType: 'CUSTOM',
        AutoScalingEnabled: cfg.parallelism.auto_scaling_enabled,
        Parallelism: cfg.parallelism.parallelism,
        ParallelismPerKPU: cfg.parallelism.parallelism_per_kpu,
      },
    },
    VpcConfigurations: [{ SecurityGroupIds: cfg.vpc.security_group_ids, SubnetIds: cfg.vpc.subnet_ids }],
  };
}

/** flattenApplicationConfigurationDescription and resourceApplicationRead: the state the provider keeps. */
function flatten(d: ka.ApplicationDetail) {
  const c = d.ApplicationConfigurationDescription!;
  const code = c.ApplicationCodeConfigurationDescription!;
  const s3loc = code.CodeContentDescription?.S3ApplicationCodeLocationDescription;
  const flink = c.FlinkApplicationConfigurationDescription!;
  const vpc = c.VpcConfigurationDescriptions?.[0];
  const run = c.RunConfigurationDescription;
  return {
    application_code_configuration: {
      code_content_type: code.CodeContentType,
      s3_content_location: {
        bucket_arn: s3loc?.BucketARN ?? '',
        file_key: s3loc?.FileKey ?? '',
        object_version: s3loc?.ObjectVersion ?? '',
      },
      text_content: code.CodeContentDescription?.TextContent ?? '',
    },
    application_snapshot_configuration: {
      snapshots_enabled: c.ApplicationSnapshotConfigurationDescription?.SnapshotsEnabled ?? false,
    },
    environment_properties: (c.EnvironmentPropertyDescriptions?.PropertyGroupDescriptions ?? [])
      .map((g) => ({ property_group_id: g.PropertyGroupId, property_map: g.PropertyMap }))
      .sort((a, b) => a.property_group_id!.localeCompare(b.property_group_id!)),
    checkpoint: {
      configuration_type: flink.CheckpointConfigurationDescription?.ConfigurationType,
      checkpointing_enabled: flink.CheckpointConfigurationDescription?.CheckpointingEnabled ?? false,
      checkpoint_interval: flink.CheckpointConfigurationDescription?.CheckpointInterval ?? 0,
      min_pause_between_checkpoints: flink.CheckpointConfigurationDescription?.MinPauseBetweenCheckpoints ?? 0,
    },
    monitoring: {
      configuration_type: flink.MonitoringConfigurationDescription?.ConfigurationType,
      log_level: flink.MonitoringConfigurationDescription?.LogLevel,
      metrics_level: flink.MonitoringConfigurationDescription?.MetricsLevel,
    },
    parallelism: {
      configuration_type: flink.ParallelismConfigurationDescription?.ConfigurationType,
      auto_scaling_enabled: flink.ParallelismConfigurationDescription?.AutoScalingEnabled ?? false,
      parallelism: flink.ParallelismConfigurationDescription?.Parallelism ?? 0,
      parallelism_per_kpu: flink.ParallelismConfigurationDescription?.ParallelismPerKPU ?? 0,
    },
    vpc: vpc && {
      security_group_ids: [...vpc.SecurityGroupIds!].sort(),
      subnet_ids: [...vpc.SubnetIds!].sort(),
      vpc_configuration_id: vpc.VpcConfigurationId,
      vpc_id: vpc.VpcId,
    },
    run_configuration: run && {
      application_restore_type: run.ApplicationRestoreConfigurationDescription?.ApplicationRestoreType,
      snapshot_name: run.ApplicationRestoreConfigurationDescription?.SnapshotName ?? '',
      allow_non_restored_state: run.FlinkRunConfigurationDescription?.AllowNonRestoredState ?? false,
    },
    encryption: c.ApplicationEncryptionConfigurationDescription,
    application_mode: d.ApplicationMode,
    arn: d.ApplicationARN,
    cloudwatch_logging_options: d.CloudWatchLoggingOptionDescriptions?.map((o) => ({
      id: o.CloudWatchLoggingOptionId,
      log_stream_arn: o.LogStreamARN,
    })),
    create_timestamp: rfc3339(d.CreateTimestamp!),
    description: d.ApplicationDescription ?? '',
    name: d.ApplicationName,
    runtime_environment: d.RuntimeEnvironment,
    service_execution_role: d.ServiceExecutionRole,
    status: d.ApplicationStatus,
    version_id: d.ApplicationVersionId,
  };
}

/** What the state must hold for the configuration: the arguments, as written. */
function expected(cfg: Config) {
  return {
    application_code_configuration: {
      code_content_type: 'ZIPFILE',
      s3_content_location: { ...cfg.application_code_configuration.s3_content_location, object_version: '' },
      text_content: '',
    },
    application_snapshot_configuration: cfg.application_snapshot_configuration,
    environment_properties: [...cfg.environment_properties].sort((a, b) =>
      a.property_group_id.localeCompare(b.property_group_id),
    ),
    checkpoint: cfg.checkpoint,
    monitoring: cfg.monitoring,
    parallelism: cfg.parallelism,
    vpc: {
      security_group_ids: [...cfg.vpc.security_group_ids].sort(),
      subnet_ids: [...cfg.vpc.subnet_ids].sort(),
      vpc_configuration_id: expect.any(String),
      vpc_id: expect.stringMatching(/^vpc-/),
    },
  };
}

const describeApp = async (name: string) =>
  (await t.ka.send(new ka.DescribeApplicationCommand({ ApplicationName: name }))).ApplicationDetail!;

const waitStatus = (name: string, status: string) =>
  eventually(async () => {
    expect((await describeApp(name)).ApplicationStatus).toBe(status);
  });

async function tags(arn: string) {
  const out = await t.ka.send(new ka.ListTagsForResourceCommand({ ResourceARN: arn }));
  return Object.fromEntries((out.Tags ?? []).map((x) => [x.Key, x.Value]));
}

describe('aws_kinesisanalyticsv2_application (Terraform provider calls)', () => {
  it('create → read with no difference → update parallelism and code (one version each) → tags → start → destroy', async () => {
    const cfg = configuration('jobs/v1.jar', 4);
    const created = await t.ka.send(
      new ka.CreateApplicationCommand({
        ApplicationName: 'tf-app',
        ApplicationDescription: '',
        RuntimeEnvironment: 'FLINK-1_20',
        ServiceExecutionRole: ROLE,
        ApplicationConfiguration: expand(cfg),
        CloudWatchLoggingOptions: [{ LogStreamARN: LOG_STREAM }],
        Tags: [
          { Key: 'team', Value: 'streaming' },
          { Key: 'env', Value: 'dev' },
        ],
      }),
    );
    const arn = created.ApplicationDetail!.ApplicationARN!;
    const state = flatten(await describeApp('tf-app'));
    expect(state).toMatchObject({
      ...expected(cfg),
      run_configuration: undefined,
      encryption: { KeyType: 'AWS_OWNED_KEY' },
      application_mode: 'STREAMING',
      arn: 'arn:aws:kinesisanalytics:us-east-1:123456789012:application/tf-app',
      cloudwatch_logging_options: [{ id: expect.any(String), log_stream_arn: LOG_STREAM }],
      description: '',
      name: 'tf-app',
      runtime_environment: 'FLINK-1_20',
      service_execution_role: ROLE,
      status: 'READY',
      version_id: 1,
    });
    expect(state.create_timestamp).toBe(rfc3339(created.ApplicationDetail!.CreateTimestamp!));
    expect(await tags(arn)).toEqual({ team: 'streaming', env: 'dev' });
    // terraform plan: nothing changed.
    expect(flatten(await describeApp('tf-app'))).toEqual(state);

    // Parallelism 4 → 6: one UpdateApplication with the whole flink_application_configuration.
    const cfg6 = configuration('jobs/v1.jar', 6);
    const up1 = await t.ka.send(
      new ka.UpdateApplicationCommand({
        ApplicationName: 'tf-app',
        CurrentApplicationVersionId: state.version_id,
        ApplicationConfigurationUpdate: {
          FlinkApplicationConfigurationUpdate: {
            CheckpointConfigurationUpdate: {
              ConfigurationTypeUpdate: 'CUSTOM',
              CheckpointingEnabledUpdate: true,
              CheckpointIntervalUpdate: 30_000,
              MinPauseBetweenCheckpointsUpdate: 2_000,
            },
            MonitoringConfigurationUpdate: {
              ConfigurationTypeUpdate: 'CUSTOM',
              LogLevelUpdate: 'WARN',
              MetricsLevelUpdate: 'TASK',
            },
            ParallelismConfigurationUpdate: {
              ConfigurationTypeUpdate: 'CUSTOM',
              AutoScalingEnabledUpdate: false,
              ParallelismUpdate: 6,
              ParallelismPerKPUUpdate: 2,
            },
          },
        },
      }),
    );
    expect(up1.ApplicationDetail?.ApplicationVersionId).toBe(2);
    await waitStatus('tf-app', 'READY');
    const after1 = flatten(await describeApp('tf-app'));
    expect(after1).toMatchObject({ ...expected(cfg6), version_id: 2 });
    // The code key v1 → v2: one more version.
    const cfgV2 = configuration('jobs/v2.jar', 6);
    const up2 = await t.ka.send(
      new ka.UpdateApplicationCommand({
        ApplicationName: 'tf-app',
        CurrentApplicationVersionId: 2,
        ApplicationConfigurationUpdate: {
          ApplicationCodeConfigurationUpdate: {
            CodeContentTypeUpdate: 'ZIPFILE',
            CodeContentUpdate: {
              S3ContentLocationUpdate: { BucketARNUpdate: 'arn:aws:s3:::tf-flink-code', FileKeyUpdate: 'jobs/v2.jar' },
            },
          },
        },
      }),
    );
    expect(up2.ApplicationDetail?.ApplicationVersionId).toBe(3);
    await waitStatus('tf-app', 'READY');
    expect(flatten(await describeApp('tf-app'))).toMatchObject({ ...expected(cfgV2), version_id: 3 });

    // Removing the environment properties: the provider sends an empty list of groups.
    await t.ka.send(
      new ka.UpdateApplicationCommand({
        ApplicationName: 'tf-app',
        CurrentApplicationVersionId: 3,
        ApplicationConfigurationUpdate: { EnvironmentPropertyUpdates: { PropertyGroups: [] } },
      }),
    );
    await waitStatus('tf-app', 'READY');
    const noProps = flatten(await describeApp('tf-app'));
    expect(noProps.environment_properties).toEqual([]);
    expect(noProps.version_id).toBe(4);

    // Tags: untag the removed key, tag the changed and the new ones.
    await t.ka.send(new ka.UntagResourceCommand({ ResourceARN: arn, TagKeys: ['env'] }));
    await t.ka.send(
      new ka.TagResourceCommand({
        ResourceARN: arn,
        Tags: [
          { Key: 'team', Value: 'platform' },
          { Key: 'tier', Value: '1' },
        ],
      }),
    );
    expect(await tags(arn)).toEqual({ team: 'platform', tier: '1' });
    // Tags are no configuration change: the version stays.
    expect((await describeApp('tf-app')).ApplicationVersionId).toBe(4);

    // start_application = true with a run_configuration block.
    const start = await t.ka.send(
      new ka.StartApplicationCommand({
        ApplicationName: 'tf-app',
        RunConfiguration: {
          ApplicationRestoreConfiguration: { ApplicationRestoreType: 'RESTORE_FROM_LATEST_SNAPSHOT' },
          FlinkRunConfiguration: { AllowNonRestoredState: false },
        },
      }),
    );
    const op = await eventually(async () => {
      const o = await t.ka.send(
        new ka.DescribeApplicationOperationCommand({ ApplicationName: 'tf-app', OperationId: start.OperationId }),
      );
      expect(o.ApplicationOperationInfoDetails?.OperationStatus).toBe('SUCCESSFUL');
      return o;
    });
    expect(op.ApplicationOperationInfoDetails?.Operation).toBe('StartApplication');
    await waitStatus('tf-app', 'RUNNING');
    const runningState = flatten(await describeApp('tf-app'));
    expect(runningState.run_configuration).toEqual({
      application_restore_type: 'RESTORE_FROM_LATEST_SNAPSHOT',
      snapshot_name: '',
      allow_non_restored_state: false,
    });
    expect(runningState.version_id).toBe(4);
    // An update while running: still exactly one version more.
    const up3 = await t.ka.send(
      new ka.UpdateApplicationCommand({
        ApplicationName: 'tf-app',
        CurrentApplicationVersionId: 4,
        ApplicationConfigurationUpdate: {
          FlinkApplicationConfigurationUpdate: {
            ParallelismConfigurationUpdate: {
              ConfigurationTypeUpdate: 'CUSTOM',
              AutoScalingEnabledUpdate: false,
              ParallelismUpdate: 8,
              ParallelismPerKPUUpdate: 2,
            },
          },
        },
      }),
    );
    expect(up3.ApplicationDetail?.ApplicationVersionId).toBe(5);
    await waitStatus('tf-app', 'RUNNING');
    expect(flatten(await describeApp('tf-app'))).toMatchObject({ version_id: 5, parallelism: { parallelism: 8 } });

    // Destroy: stop, then DeleteApplication with the create_timestamp Terraform kept (whole seconds).
    await t.ka.send(new ka.StopApplicationCommand({ ApplicationName: 'tf-app', Force: false }));
    await waitStatus('tf-app', 'READY');
    await t.ka.send(
      new ka.DeleteApplicationCommand({ ApplicationName: 'tf-app', CreateTimestamp: new Date(state.create_timestamp) }),
    );
    await eventually(async () => {
      expect((await awsError(describeApp('tf-app'))).name).toBe('ResourceNotFoundException');
    });
  });

  it('an application with only the required arguments reads back its documented defaults, started or not', async () => {
    await t.ka.send(
      new ka.CreateApplicationCommand({
        ApplicationName: 'tf-minimal',
        ApplicationDescription: '',
        RuntimeEnvironment: 'FLINK-1_20',
        ServiceExecutionRole: ROLE,
        ApplicationConfiguration: {
          ApplicationCodeConfiguration: {
            CodeContent: { S3ContentLocation: { BucketARN: 'arn:aws:s3:::tf-flink-code', FileKey: 'jobs/v1.jar' } },
            CodeContentType: 'ZIPFILE',
          },
        },
      }),
    );
    const s = flatten(await describeApp('tf-minimal'));
    // The values the provider's acceptance tests check for an application created with defaults.
    expect(s).toMatchObject({
      application_snapshot_configuration: { snapshots_enabled: true },
      environment_properties: [],
      checkpoint: {
        configuration_type: 'DEFAULT',
        checkpointing_enabled: true,
        checkpoint_interval: 60_000,
        min_pause_between_checkpoints: 5_000,
      },
      monitoring: { configuration_type: 'DEFAULT', log_level: 'INFO', metrics_level: 'APPLICATION' },
      parallelism: {
        configuration_type: 'DEFAULT',
        auto_scaling_enabled: true,
        parallelism: 1,
        parallelism_per_kpu: 1,
      },
      vpc: undefined,
      run_configuration: undefined,
      cloudwatch_logging_options: [],
      version_id: 1,
    });
    // start_application = true without a run_configuration block: an empty RunConfiguration.
    await t.ka.send(new ka.StartApplicationCommand({ ApplicationName: 'tf-minimal', RunConfiguration: {} }));
    await waitStatus('tf-minimal', 'RUNNING');
    expect(flatten(await describeApp('tf-minimal')).run_configuration).toEqual({
      application_restore_type: 'RESTORE_FROM_LATEST_SNAPSHOT',
      snapshot_name: '',
      allow_non_restored_state: false,
    });
  });

  it('reads back a customer managed key as it was written', async () => {
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'kms:*', Resource: '*' },
        {
          Effect: 'Allow',
          Principal: { Service: ['kinesisanalytics.amazonaws.com', 'infrastructure.kinesisanalytics.amazonaws.com'] },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey', 'kms:CreateGrant'],
          Resource: '*',
        },
      ],
    });
    const key = (await t.kms.send(new kms.CreateKeyCommand({ Policy: policy }))).KeyMetadata!;
    await t.kms.send(new kms.CreateAliasCommand({ AliasName: 'alias/tf-flink', TargetKeyId: key.KeyId }));
    await t.ka.send(
      new ka.CreateApplicationCommand({
        ApplicationName: 'tf-cmk',
        RuntimeEnvironment: 'FLINK-1_20',
        ServiceExecutionRole: ROLE,
        ApplicationConfiguration: {
          ApplicationCodeConfiguration: {
            CodeContent: { S3ContentLocation: { BucketARN: 'arn:aws:s3:::tf-flink-code', FileKey: 'jobs/v1.jar' } },
            CodeContentType: 'ZIPFILE',
          },
          ApplicationEncryptionConfiguration: { KeyType: 'CUSTOMER_MANAGED_KEY', KeyId: key.Arn },
        },
      }),
    );
    expect(flatten(await describeApp('tf-cmk')).encryption).toEqual({
      KeyType: 'CUSTOMER_MANAGED_KEY',
      KeyId: key.Arn,
    });
    await t.ka.send(
      new ka.UpdateApplicationCommand({
        ApplicationName: 'tf-cmk',
        CurrentApplicationVersionId: 1,
        ApplicationConfigurationUpdate: {
          ApplicationEncryptionConfigurationUpdate: {
            KeyTypeUpdate: 'CUSTOMER_MANAGED_KEY',
            KeyIdUpdate: 'alias/tf-flink',
          },
        },
      }),
    );
    await waitStatus('tf-cmk', 'READY');
    const after = await describeApp('tf-cmk');
    expect(after.ApplicationVersionId).toBe(2);
    expect(flatten(after).encryption).toEqual({ KeyType: 'CUSTOMER_MANAGED_KEY', KeyId: 'alias/tf-flink' });
  });
});

describe('aws_kinesisanalyticsv2_application_snapshot (Terraform provider calls)', () => {
  it('create → wait READY → read → destroy with the RFC 3339 timestamp → gone', async () => {
    await t.ka.send(
      new ka.CreateApplicationCommand({
        ApplicationName: 'tf-snap',
        RuntimeEnvironment: 'FLINK-1_20',
        ServiceExecutionRole: ROLE,
        ApplicationConfiguration: {
          ApplicationCodeConfiguration: {
            CodeContent: { S3ContentLocation: { BucketARN: 'arn:aws:s3:::tf-flink-code', FileKey: 'jobs/v1.jar' } },
            CodeContentType: 'ZIPFILE',
          },
        },
      }),
    );
    await t.ka.send(new ka.StartApplicationCommand({ ApplicationName: 'tf-snap', RunConfiguration: {} }));
    await waitStatus('tf-snap', 'RUNNING');
    await t.ka.send(
      new ka.CreateApplicationSnapshotCommand({ ApplicationName: 'tf-snap', SnapshotName: 'tf-snapshot' }),
    );
    const snap = await eventually(async () => {
      const s = await t.ka.send(
        new ka.DescribeApplicationSnapshotCommand({ ApplicationName: 'tf-snap', SnapshotName: 'tf-snapshot' }),
      );
      expect(s.SnapshotDetails?.SnapshotStatus).toBe('READY');
      return s.SnapshotDetails!;
    });
    const kept = {
      application_version_id: snap.ApplicationVersionId,
      snapshot_creation_timestamp: rfc3339(snap.SnapshotCreationTimestamp!),
    };
    expect(kept.application_version_id).toBe(1);
    // A second read (plan) gives the same.
    const again = (
      await t.ka.send(
        new ka.DescribeApplicationSnapshotCommand({ ApplicationName: 'tf-snap', SnapshotName: 'tf-snapshot' }),
      )
    ).SnapshotDetails!;
    expect(rfc3339(again.SnapshotCreationTimestamp!)).toBe(kept.snapshot_creation_timestamp);
    await t.ka.send(
      new ka.DeleteApplicationSnapshotCommand({
        ApplicationName: 'tf-snap',
        SnapshotName: 'tf-snapshot',
        SnapshotCreationTimestamp: new Date(kept.snapshot_creation_timestamp),
      }),
    );
    const gone = await eventually(async () => {
      const e = await awsError(
        t.ka.send(
          new ka.DescribeApplicationSnapshotCommand({ ApplicationName: 'tf-snap', SnapshotName: 'tf-snapshot' }),
        ),
      );
      expect(e.name).toBe('InvalidArgumentException');
      return e;
    });
    // The provider reads "does not exist" as gone.
    expect(gone.message).toContain('does not exist');
  });
});

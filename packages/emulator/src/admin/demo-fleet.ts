/**
 * The demo fleet that tells the product's story at a glance: a healthy application, one in a
 * fail-and-restart loop, one on a customer managed key, one with backpressure and slow checkpoints, one
 * READY with snapshots and one never started. Seeded through the engine's own API, then aged so it looks
 * like it has been running for a while.
 */
import type { CreateApplicationRequest } from '@aws-sdk/client-kinesis-analytics-v2';
import { adminContext, DEMO_BUCKET_ARN, MSF_SERVICE_PRINCIPALS, type Engine } from '@mfc/engine';

const ctx = adminContext();
const ROLE = 'arn:aws:iam::123456789012:role/service-role/kinesis-analytics-demo';
export const DEMO_KEY_ALIAS = 'alias/mfc-demo-state';
/** Virtual time the seeding takes: a fresh demo emulator starts this far in the past and ends at now. */
export const DEMO_HISTORY_MS = 15 * 60_000;

const code = (file: string) => ({
  CodeContentType: 'ZIPFILE' as const,
  CodeContent: { S3ContentLocation: { BucketARN: DEMO_BUCKET_ARN, FileKey: `sessionizer/${file}` } },
});

export const DEMO_APPS = {
  healthy: 'clickstream-sessionizer',
  looping: 'orders-enricher',
  cmk: 'payments-fraud-detector',
  backpressure: 'metrics-exporter',
  readyWithSnapshots: 'inventory-aggregator',
  neverStarted: 'returns-forecaster',
} as const;

function create(
  engine: Engine,
  name: string,
  file: string,
  extra: CreateApplicationRequest['ApplicationConfiguration'] = {},
  description?: string,
) {
  engine.kinesisAnalytics.createApplication(ctx, {
    ApplicationName: name,
    ApplicationDescription: description,
    RuntimeEnvironment: 'FLINK-1_20',
    ServiceExecutionRole: ROLE,
    CloudWatchLoggingOptions: [
      {
        LogStreamARN: `arn:aws:logs:us-east-1:123456789012:log-group:/aws/kinesis-analytics/${name}:log-stream:kinesis-analytics-log-stream`,
      },
    ],
    Tags: [
      { Key: 'team', Value: 'streaming' },
      { Key: 'env', Value: 'demo' },
    ],
    ApplicationConfiguration: { ApplicationCodeConfiguration: code(file), ...extra },
  });
}

const parallelism = (p: number, perKpu = 1) => ({
  FlinkApplicationConfiguration: {
    ParallelismConfiguration: {
      ConfigurationType: 'CUSTOM' as const,
      Parallelism: p,
      ParallelismPerKPU: perKpu,
      AutoScalingEnabled: false,
    },
  },
});

/** Seeds the fleet; the virtual clock first moves back so the fleet's history ends at "now". */
export function seedDemoFleet(engine: Engine): void {
  const ka = engine.kinesisAnalytics;
  const policy = {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'Enable IAM User Permissions',
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::123456789012:root' },
        Action: 'kms:*',
        Resource: '*',
      },
      {
        Sid: 'Allow Managed Service for Apache Flink',
        Effect: 'Allow',
        Principal: { Service: [...MSF_SERVICE_PRINCIPALS] },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey', 'kms:CreateGrant'],
        Resource: '*',
      },
    ],
  };
  const key = engine.kms.createKey(ctx, {
    Description: 'Flink application state (demo)',
    Policy: JSON.stringify(policy, null, 2),
  }).KeyMetadata!;
  engine.kms.createAlias(ctx, { AliasName: DEMO_KEY_ALIAS, TargetKeyId: key.KeyId });

  create(
    engine,
    DEMO_APPS.healthy,
    'sessionizer-1.0.0.jar',
    parallelism(4, 2),
    'Sessionizes the clickstream into 30-minute sessions.',
  );
  create(
    engine,
    DEMO_APPS.looping,
    'sessionizer-1.0.0.jar',
    parallelism(2),
    'Enriches orders; its latest deploy hides a poison pill.',
  );
  create(
    engine,
    DEMO_APPS.cmk,
    'sessionizer-1.0.0.jar',
    {
      ...parallelism(2),
      ApplicationEncryptionConfiguration: { KeyType: 'CUSTOMER_MANAGED_KEY', KeyId: DEMO_KEY_ALIAS },
    },
    'State encrypted with a customer managed key.',
  );
  create(
    engine,
    DEMO_APPS.backpressure,
    'sessionizer-1.4.0-slow-sink.jar',
    parallelism(2),
    'Exports metrics to a sink that cannot keep up.',
  );
  create(
    engine,
    DEMO_APPS.readyWithSnapshots,
    'sessionizer-1.0.0.jar',
    parallelism(1),
    'Stopped for the weekend, with snapshots to restore.',
  );
  create(engine, DEMO_APPS.neverStarted, 'sessionizer-1.1.0.jar', parallelism(1), 'Created, never started.');

  for (const name of [
    DEMO_APPS.healthy,
    DEMO_APPS.looping,
    DEMO_APPS.cmk,
    DEMO_APPS.backpressure,
    DEMO_APPS.readyWithSnapshots,
  ])
    ka.startApplication(ctx, { ApplicationName: name });
  engine.advanceBy(8 * 60_000);
  ka.createApplicationSnapshot(ctx, { ApplicationName: DEMO_APPS.readyWithSnapshots, SnapshotName: 'before-weekend' });
  ka.createApplicationSnapshot(ctx, { ApplicationName: DEMO_APPS.healthy, SnapshotName: 'nightly-1' });
  ka.createApplicationSnapshot(ctx, { ApplicationName: DEMO_APPS.cmk, SnapshotName: 'pre-audit' });
  engine.advanceBy(2 * 60_000);
  ka.stopApplication(ctx, { ApplicationName: DEMO_APPS.readyWithSnapshots });
  // The looping application's latest deploy carries the poison pill.
  ka.updateApplication(ctx, {
    ApplicationName: DEMO_APPS.looping,
    CurrentApplicationVersionId: 1,
    ApplicationConfigurationUpdate: {
      ApplicationCodeConfigurationUpdate: {
        CodeContentUpdate: {
          S3ContentLocationUpdate: { FileKeyUpdate: 'sessionizer/sessionizer-1.3.0-poison-pill.jar' },
        },
      },
    },
  });
  engine.advanceBy(5 * 60_000);
}

/**
 * Every kinesisanalyticsv2 operation through @aws-sdk/client-kinesis-analytics-v2 against the emulator.
 * The last test checks that all 33 operations of the service model were exercised here.
 */
import * as ka from '@aws-sdk/client-kinesis-analytics-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel } from '../src/protocol/model.js';
import { awsError, eventually, ROLE, startTestEmulator, type TestEmulator } from './harness.js';

let t: TestEmulator;
const exercised = new Set<string>();

async function send<O>(command: { constructor: { name: string } } & object): Promise<O> {
  exercised.add(command.constructor.name.replace(/Command$/, ''));
  return (await t.ka.send(command as never)) as O;
}

const code = (file = 'sessionizer-1.0.0.jar') => ({
  CodeContentType: 'ZIPFILE' as const,
  CodeContent: { S3ContentLocation: { BucketARN: 'arn:aws:s3:::mfc-demo-artifacts', FileKey: `sessionizer/${file}` } },
});

async function describeApp(name: string) {
  return (await send<ka.DescribeApplicationResponse>(new ka.DescribeApplicationCommand({ ApplicationName: name })))
    .ApplicationDetail!;
}

async function waitStatus(name: string, status: ka.ApplicationStatus) {
  return eventually(async () => {
    const d = await describeApp(name);
    if (d.ApplicationStatus !== status) throw new Error(`${name} is ${d.ApplicationStatus}, waiting for ${status}`);
    return d;
  });
}

async function create(name: string, extra: Partial<ka.CreateApplicationRequest> = {}) {
  return send<ka.CreateApplicationResponse>(
    new ka.CreateApplicationCommand({
      ApplicationName: name,
      RuntimeEnvironment: 'FLINK-1_20',
      ServiceExecutionRole: ROLE,
      ...extra,
      ApplicationConfiguration: { ApplicationCodeConfiguration: code(), ...extra.ApplicationConfiguration },
    }),
  );
}

beforeAll(async () => {
  t = await startTestEmulator();
});
afterAll(async () => {
  await t.close();
});

describe('kinesisanalyticsv2 through the AWS SDK', () => {
  it('CreateApplication returns the READY detail with Date timestamps; duplicates are refused', async () => {
    const r = await create('sdk-app', { Tags: [{ Key: 'team', Value: 'a' }] });
    const d = r.ApplicationDetail!;
    expect(d.ApplicationStatus).toBe('READY');
    expect(d.ApplicationVersionId).toBe(1);
    expect(d.CreateTimestamp).toBeInstanceOf(Date);
    expect(
      d.ApplicationConfigurationDescription?.FlinkApplicationConfigurationDescription
        ?.CheckpointConfigurationDescription?.CheckpointInterval,
    ).toBe(60000);
    const dup = await awsError(create('sdk-app'));
    expect(dup.name).toBe('ResourceInUseException');
    expect(dup.status).toBe(400);
  });

  it('CreateApplication rejects a code object that does not exist', async () => {
    const e = await awsError(
      create('missing-code', { ApplicationConfiguration: { ApplicationCodeConfiguration: code('nope.jar') } }),
    );
    expect(e.name).toBe('InvalidArgumentException');
    expect(e.message).toMatch(/does not exist/);
  });

  it('ListApplications and DescribeApplication (with the job plan)', async () => {
    const list = await send<ka.ListApplicationsResponse>(new ka.ListApplicationsCommand({}));
    expect(list.ApplicationSummaries?.map((s) => s.ApplicationName)).toContain('sdk-app');
    const d = (
      await send<ka.DescribeApplicationResponse>(
        new ka.DescribeApplicationCommand({ ApplicationName: 'sdk-app', IncludeAdditionalDetails: true }),
      )
    ).ApplicationDetail!;
    const plan = JSON.parse(
      d.ApplicationConfigurationDescription!.FlinkApplicationConfigurationDescription!.JobPlanDescription!,
    );
    expect(plan.nodes).toHaveLength(3);
    const missing = await awsError(send(new ka.DescribeApplicationCommand({ ApplicationName: 'nope' })));
    expect(missing.name).toBe('ResourceNotFoundException');
  });

  it('UpdateApplication makes a new version and refuses a stale one', async () => {
    const r = await send<ka.UpdateApplicationResponse>(
      new ka.UpdateApplicationCommand({
        ApplicationName: 'sdk-app',
        CurrentApplicationVersionId: 1,
        ApplicationConfigurationUpdate: {
          FlinkApplicationConfigurationUpdate: {
            ParallelismConfigurationUpdate: { ConfigurationTypeUpdate: 'CUSTOM', ParallelismUpdate: 2 },
          },
          EnvironmentPropertyUpdates: {
            PropertyGroups: [{ PropertyGroupId: 'app', PropertyMap: { 'session.gap.minutes': '30' } }],
          },
        },
      }),
    );
    expect(r.ApplicationDetail?.ApplicationVersionId).toBe(2);
    expect(r.OperationId).toBeTruthy();
    await waitStatus('sdk-app', 'READY');
    const stale = await awsError(
      send(
        new ka.UpdateApplicationCommand({
          ApplicationName: 'sdk-app',
          CurrentApplicationVersionId: 1,
          RunConfigurationUpdate: {},
        }),
      ),
    );
    expect(stale.name).toBe('ConcurrentModificationException');
  });

  it('StartApplication → RUNNING, presigned dashboard URL, snapshots', async () => {
    const { OperationId } = await send<ka.StartApplicationResponse>(
      new ka.StartApplicationCommand({ ApplicationName: 'sdk-app' }),
    );
    await waitStatus('sdk-app', 'RUNNING');
    const op = await send<ka.DescribeApplicationOperationResponse>(
      new ka.DescribeApplicationOperationCommand({ ApplicationName: 'sdk-app', OperationId }),
    );
    expect(op.ApplicationOperationInfoDetails).toMatchObject({
      Operation: 'StartApplication',
      OperationStatus: 'SUCCESSFUL',
    });
    expect(op.ApplicationOperationInfoDetails?.EndTime).toBeInstanceOf(Date);

    const url = await send<ka.CreateApplicationPresignedUrlResponse>(
      new ka.CreateApplicationPresignedUrlCommand({
        ApplicationName: 'sdk-app',
        UrlType: 'FLINK_DASHBOARD_URL',
        SessionExpirationDurationInSeconds: 1800,
      }),
    );
    expect(url.AuthorizedUrl).toMatch(new RegExp(`^${t.emu.url}/flinkdashboard/[0-9a-f]+/\\?authToken=`));
    const badRange = await awsError(
      send(
        new ka.CreateApplicationPresignedUrlCommand({
          ApplicationName: 'sdk-app',
          UrlType: 'FLINK_DASHBOARD_URL',
          SessionExpirationDurationInSeconds: 60,
        }),
      ),
    );
    expect(badRange.name).toBe('InvalidArgumentException');

    await send(new ka.CreateApplicationSnapshotCommand({ ApplicationName: 'sdk-app', SnapshotName: 'snap-1' }));
    const snap = await eventually(async () => {
      const s = (
        await send<ka.DescribeApplicationSnapshotResponse>(
          new ka.DescribeApplicationSnapshotCommand({ ApplicationName: 'sdk-app', SnapshotName: 'snap-1' }),
        )
      ).SnapshotDetails!;
      if (s.SnapshotStatus !== 'READY') throw new Error(s.SnapshotStatus);
      return s;
    });
    expect(snap.ApplicationVersionId).toBe(2);
    const list = await send<ka.ListApplicationSnapshotsResponse>(
      new ka.ListApplicationSnapshotsCommand({ ApplicationName: 'sdk-app' }),
    );
    expect(list.SnapshotSummaries?.map((s) => s.SnapshotName)).toEqual(['snap-1']);
    // The SDK sends the timestamp back at millisecond precision; the emulator compares whole seconds.
    await send(
      new ka.DeleteApplicationSnapshotCommand({
        ApplicationName: 'sdk-app',
        SnapshotName: 'snap-1',
        SnapshotCreationTimestamp: snap.SnapshotCreationTimestamp,
      }),
    );
    await eventually(async () => {
      const l = await send<ka.ListApplicationSnapshotsResponse>(
        new ka.ListApplicationSnapshotsCommand({ ApplicationName: 'sdk-app' }),
      );
      expect(l.SnapshotSummaries).toEqual([]);
    });
  });

  it('logging options and VPC configurations come and go as versions', async () => {
    const d = await describeApp('sdk-app');
    const add = await send<ka.AddApplicationCloudWatchLoggingOptionResponse>(
      new ka.AddApplicationCloudWatchLoggingOptionCommand({
        ApplicationName: 'sdk-app',
        ConditionalToken: d.ConditionalToken,
        CloudWatchLoggingOption: {
          LogStreamARN: 'arn:aws:logs:us-east-1:123456789012:log-group:/mfc/sdk-app:log-stream:main',
        },
      }),
    );
    expect(add.ApplicationVersionId).toBe(3);
    await waitStatus('sdk-app', 'RUNNING');
    const vpc = await send<ka.AddApplicationVpcConfigurationResponse>(
      new ka.AddApplicationVpcConfigurationCommand({
        ApplicationName: 'sdk-app',
        CurrentApplicationVersionId: 3,
        VpcConfiguration: { SubnetIds: ['subnet-0a1b'], SecurityGroupIds: ['sg-0c2d'] },
      }),
    );
    await waitStatus('sdk-app', 'RUNNING');
    await send(
      new ka.DeleteApplicationVpcConfigurationCommand({
        ApplicationName: 'sdk-app',
        CurrentApplicationVersionId: 4,
        VpcConfigurationId: vpc.VpcConfigurationDescription!.VpcConfigurationId,
      }),
    );
    await waitStatus('sdk-app', 'RUNNING');
    const del = await send<ka.DeleteApplicationCloudWatchLoggingOptionResponse>(
      new ka.DeleteApplicationCloudWatchLoggingOptionCommand({
        ApplicationName: 'sdk-app',
        CurrentApplicationVersionId: 5,
        CloudWatchLoggingOptionId: add.CloudWatchLoggingOptionDescriptions![0]!.CloudWatchLoggingOptionId,
      }),
    );
    expect(del.ApplicationVersionId).toBe(6);
    await waitStatus('sdk-app', 'RUNNING');
  });

  it('versions and operations are listed and described', async () => {
    const versions = await send<ka.ListApplicationVersionsResponse>(
      new ka.ListApplicationVersionsCommand({ ApplicationName: 'sdk-app', Limit: 50 }),
    );
    expect(versions.ApplicationVersionSummaries?.map((v) => v.ApplicationVersionId)).toEqual([1, 2, 3, 4, 5, 6]);
    const v2 = await send<ka.DescribeApplicationVersionResponse>(
      new ka.DescribeApplicationVersionCommand({ ApplicationName: 'sdk-app', ApplicationVersionId: 2 }),
    );
    expect(
      v2.ApplicationVersionDetail?.ApplicationConfigurationDescription?.EnvironmentPropertyDescriptions
        ?.PropertyGroupDescriptions?.[0]?.PropertyGroupId,
    ).toBe('app');
    const page1 = await send<ka.ListApplicationOperationsResponse>(
      new ka.ListApplicationOperationsCommand({ ApplicationName: 'sdk-app', Limit: 2 }),
    );
    expect(page1.ApplicationOperationInfoList).toHaveLength(2);
    expect(page1.NextToken).toBeTruthy();
    const page2 = await send<ka.ListApplicationOperationsResponse>(
      new ka.ListApplicationOperationsCommand({ ApplicationName: 'sdk-app', Limit: 50, NextToken: page1.NextToken }),
    );
    expect(page2.ApplicationOperationInfoList!.length).toBeGreaterThan(0);
    const updates = await send<ka.ListApplicationOperationsResponse>(
      new ka.ListApplicationOperationsCommand({
        ApplicationName: 'sdk-app',
        Operation: 'UpdateApplication',
        OperationStatus: 'SUCCESSFUL',
      }),
    );
    expect(updates.ApplicationOperationInfoList?.map((o) => o.Operation)).toEqual(['UpdateApplication']);
  });

  it('tags by ARN', async () => {
    const arn = (await describeApp('sdk-app')).ApplicationARN!;
    await send(new ka.TagResourceCommand({ ResourceARN: arn, Tags: [{ Key: 'env', Value: 'test' }] }));
    await send(new ka.UntagResourceCommand({ ResourceARN: arn, TagKeys: ['team'] }));
    const tags = await send<ka.ListTagsForResourceResponse>(new ka.ListTagsForResourceCommand({ ResourceARN: arn }));
    expect(tags.Tags).toEqual([{ Key: 'env', Value: 'test' }]);
  });

  it('maintenance window', async () => {
    const r = await send<ka.UpdateApplicationMaintenanceConfigurationResponse>(
      new ka.UpdateApplicationMaintenanceConfigurationCommand({
        ApplicationName: 'sdk-app',
        ApplicationMaintenanceConfigurationUpdate: { ApplicationMaintenanceWindowStartTimeUpdate: '22:00' },
      }),
    );
    expect(r.ApplicationMaintenanceConfigurationDescription).toEqual({
      ApplicationMaintenanceWindowStartTime: '22:00',
      ApplicationMaintenanceWindowEndTime: '06:00',
    });
    const bad = await awsError(
      send(
        new ka.UpdateApplicationMaintenanceConfigurationCommand({
          ApplicationName: 'sdk-app',
          ApplicationMaintenanceConfigurationUpdate: { ApplicationMaintenanceWindowStartTimeUpdate: '25:00' },
        }),
      ),
    );
    expect(bad.name).toBe('InvalidArgumentException');
  });

  it('a poison-pill deploy loops while RUNNING; RollbackApplication brings back the previous version', async () => {
    const d = await describeApp('sdk-app');
    await send(
      new ka.UpdateApplicationCommand({
        ApplicationName: 'sdk-app',
        CurrentApplicationVersionId: d.ApplicationVersionId,
        ApplicationConfigurationUpdate: {
          ApplicationCodeConfigurationUpdate: {
            CodeContentUpdate: {
              S3ContentLocationUpdate: { FileKeyUpdate: 'sessionizer/sessionizer-1.3.0-poison-pill.jar' },
            },
          },
        },
      }),
    );
    const updated = await waitStatus('sdk-app', 'RUNNING');
    const r = await send<ka.RollbackApplicationResponse>(
      new ka.RollbackApplicationCommand({
        ApplicationName: 'sdk-app',
        CurrentApplicationVersionId: updated.ApplicationVersionId,
      }),
    );
    expect(r.ApplicationDetail?.ApplicationStatus).toBe('ROLLING_BACK');
    const after = await waitStatus('sdk-app', 'RUNNING');
    expect(after.ApplicationVersionRolledBackFrom).toBe(updated.ApplicationVersionId);
    expect(after.ApplicationVersionRolledBackTo).toBe(updated.ApplicationVersionId! - 1);
  });

  it('StopApplication (graceful, then force on a new run)', async () => {
    await send(new ka.StopApplicationCommand({ ApplicationName: 'sdk-app' }));
    await waitStatus('sdk-app', 'READY');
    await send(
      new ka.StartApplicationCommand({
        ApplicationName: 'sdk-app',
        RunConfiguration: { ApplicationRestoreConfiguration: { ApplicationRestoreType: 'SKIP_RESTORE_FROM_SNAPSHOT' } },
      }),
    );
    await send(new ka.StopApplicationCommand({ ApplicationName: 'sdk-app', Force: true }));
    await waitStatus('sdk-app', 'READY');
    const notRunning = await awsError(send(new ka.StopApplicationCommand({ ApplicationName: 'sdk-app' })));
    expect(notRunning.name).toBe('ResourceInUseException');
  });

  it('SQL-only operations answer a Flink application with InvalidArgumentException', async () => {
    const schema = {
      RecordFormat: {
        RecordFormatType: 'JSON' as const,
        MappingParameters: { JSONMappingParameters: { RecordRowPath: '$' } },
      },
      RecordColumns: [{ Name: 'c', SqlType: 'VARCHAR(8)', Mapping: '$.c' }],
    };
    const calls: Promise<unknown>[] = [
      send(
        new ka.AddApplicationInputCommand({
          ApplicationName: 'sdk-app',
          CurrentApplicationVersionId: 1,
          Input: {
            NamePrefix: 'p',
            InputSchema: schema,
            KinesisStreamsInput: { ResourceARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/s' },
          },
        }),
      ),
      send(
        new ka.AddApplicationInputProcessingConfigurationCommand({
          ApplicationName: 'sdk-app',
          CurrentApplicationVersionId: 1,
          InputId: '1.1',
          InputProcessingConfiguration: {
            InputLambdaProcessor: { ResourceARN: 'arn:aws:lambda:us-east-1:123456789012:function:f' },
          },
        }),
      ),
      send(
        new ka.AddApplicationOutputCommand({
          ApplicationName: 'sdk-app',
          CurrentApplicationVersionId: 1,
          Output: {
            Name: 'o',
            DestinationSchema: { RecordFormatType: 'JSON' },
            KinesisStreamsOutput: { ResourceARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/o' },
          },
        }),
      ),
      send(
        new ka.AddApplicationReferenceDataSourceCommand({
          ApplicationName: 'sdk-app',
          CurrentApplicationVersionId: 1,
          ReferenceDataSource: {
            TableName: 't',
            ReferenceSchema: schema,
            S3ReferenceDataSource: { BucketARN: 'arn:aws:s3:::b', FileKey: 'k' },
          },
        }),
      ),
      send(
        new ka.DeleteApplicationInputProcessingConfigurationCommand({
          ApplicationName: 'sdk-app',
          CurrentApplicationVersionId: 1,
          InputId: '1.1',
        }),
      ),
      send(
        new ka.DeleteApplicationOutputCommand({
          ApplicationName: 'sdk-app',
          CurrentApplicationVersionId: 1,
          OutputId: '1.1',
        }),
      ),
      send(
        new ka.DeleteApplicationReferenceDataSourceCommand({
          ApplicationName: 'sdk-app',
          CurrentApplicationVersionId: 1,
          ReferenceId: '1.1',
        }),
      ),
    ];
    for (const call of calls) {
      const e = await awsError(call);
      expect(e.name).toBe('InvalidArgumentException');
      expect(e.message).toMatch(/only for SQL applications/);
    }
    const discover = await awsError(
      send(
        new ka.DiscoverInputSchemaCommand({
          ServiceExecutionRole: ROLE,
          ResourceARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/s',
        }),
      ),
    );
    expect(discover.name).toBe('UnsupportedOperationException');
  });

  it('DeleteApplication needs the CreateTimestamp the SDK echoes', async () => {
    const d = await describeApp('sdk-app');
    await send(new ka.DeleteApplicationCommand({ ApplicationName: 'sdk-app', CreateTimestamp: d.CreateTimestamp }));
    await eventually(async () => {
      const e = await awsError(send(new ka.DescribeApplicationCommand({ ApplicationName: 'sdk-app' })));
      expect(e.name).toBe('ResourceNotFoundException');
    });
  });

  it('exercised all 33 operations of the service model', () => {
    const all = Object.keys(loadModel('kinesisanalyticsv2').operations).sort();
    expect(all).toHaveLength(33);
    expect([...exercised].sort()).toEqual(all);
  });
});

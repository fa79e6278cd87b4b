/** Metrics and logs read the way the console reads them in both targets: CloudWatch and CloudWatch Logs clients. */
import {
  CloudWatchClient,
  GetMetricDataCommand,
  ListMetricsCommand,
  GetMetricStatisticsCommand,
} from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchLogsClient,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import * as ka from '@aws-sdk/client-kinesis-analytics-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsError, credentials, eventually, ROLE, startTestEmulator, type TestEmulator } from './harness.js';

let t: TestEmulator;
let cw: CloudWatchClient;
let logs: CloudWatchLogsClient;

beforeAll(async () => {
  t = await startTestEmulator();
  const config = { endpoint: t.emu.url, region: 'us-east-1', credentials, maxAttempts: 1 };
  cw = new CloudWatchClient(config);
  logs = new CloudWatchLogsClient(config);
  await t.ka.send(
    new ka.CreateApplicationCommand({
      ApplicationName: 'loop',
      RuntimeEnvironment: 'FLINK-1_20',
      ServiceExecutionRole: ROLE,
      CloudWatchLoggingOptions: [
        { LogStreamARN: 'arn:aws:logs:us-east-1:123456789012:log-group:/flink/loop:log-stream:main' },
      ],
      ApplicationConfiguration: {
        ApplicationCodeConfiguration: {
          CodeContentType: 'ZIPFILE',
          CodeContent: {
            S3ContentLocation: {
              BucketARN: 'arn:aws:s3:::mfc-demo-artifacts',
              FileKey: 'sessionizer/sessionizer-1.3.0-poison-pill.jar',
            },
          },
        },
      },
    }),
  );
  await t.ka.send(new ka.StartApplicationCommand({ ApplicationName: 'loop' }));
  await eventually(async () => {
    const d = await t.ka.send(new ka.DescribeApplicationCommand({ ApplicationName: 'loop' }));
    expect(d.ApplicationDetail?.ApplicationStatus).toBe('RUNNING');
  });
  await t.admin('/_emulator/clock', { advanceMs: 15 * 60_000 });
});
afterAll(() => t.close());

const metric = (name: string) => ({
  Namespace: 'AWS/KinesisAnalytics',
  MetricName: name,
  Dimensions: [{ Name: 'Application', Value: 'loop' }],
});

describe('CloudWatch GetMetricData', () => {
  it('shows fullRestarts climbing for the poison pill, one point a minute', async () => {
    const now = Date.parse(((await t.admin('/_emulator/clock')) as { nowIso: string }).nowIso);
    const r = await cw.send(
      new GetMetricDataCommand({
        StartTime: new Date(now - 20 * 60_000),
        EndTime: new Date(now),
        ScanBy: 'TimestampAscending',
        MetricDataQueries: [
          { Id: 'restarts', MetricStat: { Metric: metric('fullRestarts'), Period: 60, Stat: 'Maximum' } },
          { Id: 'downtime', MetricStat: { Metric: metric('downtime'), Period: 300, Stat: 'Average' } },
        ],
      }),
    );
    const restarts = r.MetricDataResults!.find((m) => m.Id === 'restarts')!;
    expect(restarts.StatusCode).toBe('Complete');
    expect(restarts.Label).toBe('fullRestarts');
    expect(restarts.Values!.length).toBeGreaterThanOrEqual(14);
    for (let i = 1; i < restarts.Values!.length; i++)
      expect(restarts.Values![i]!).toBeGreaterThan(restarts.Values![i - 1]!);
    expect(restarts.Timestamps![1]!.getTime() - restarts.Timestamps![0]!.getTime()).toBe(60_000);
    const downtime = r.MetricDataResults!.find((m) => m.Id === 'downtime')!;
    expect(downtime.Values!.length).toBeLessThanOrEqual(5);
    // Newest first by default.
    const desc = await cw.send(
      new GetMetricDataCommand({
        StartTime: new Date(now - 20 * 60_000),
        EndTime: new Date(now),
        MetricDataQueries: [{ Id: 'r', MetricStat: { Metric: metric('fullRestarts'), Period: 60, Stat: 'Maximum' } }],
      }),
    );
    expect(desc.MetricDataResults![0]!.Values).toEqual([...restarts.Values!].reverse());
  });

  it('GetMetricStatistics and ListMetrics', async () => {
    const now = Date.parse(((await t.admin('/_emulator/clock')) as { nowIso: string }).nowIso);
    const stats = await cw.send(
      new GetMetricStatisticsCommand({
        ...metric('numRestarts'),
        StartTime: new Date(now - 10 * 60_000),
        EndTime: new Date(now),
        Period: 600,
        Statistics: ['Maximum', 'SampleCount'],
      }),
    );
    expect(stats.Datapoints!.length).toBeGreaterThanOrEqual(1);
    expect(stats.Datapoints![0]!.Maximum).toBeGreaterThan(0);
    const list = await cw.send(
      new ListMetricsCommand({ Namespace: 'AWS/KinesisAnalytics', MetricName: 'fullRestarts' }),
    );
    expect(list.Metrics).toEqual([
      {
        Namespace: 'AWS/KinesisAnalytics',
        MetricName: 'fullRestarts',
        Dimensions: [{ Name: 'Application', Value: 'loop' }],
      },
    ]);
  });

  it('refuses periods that are not whole minutes', async () => {
    const e = await awsError(
      cw.send(
        new GetMetricDataCommand({
          StartTime: new Date(Date.now() - 60_000),
          EndTime: new Date(),
          MetricDataQueries: [{ Id: 'r', MetricStat: { Metric: metric('fullRestarts'), Period: 90, Stat: 'Maximum' } }],
        }),
      ),
    );
    expect(e.name).toBe('InvalidParameterValueException');
  });
});

describe('CloudWatch Logs', () => {
  it('FilterLogEvents finds the subtask transitions in the application’s log stream', async () => {
    const r = await logs.send(
      new FilterLogEventsCommand({ logGroupName: '/flink/loop', filterPattern: '"switched from RUNNING to FAILED"' }),
    );
    expect(r.events!.length).toBeGreaterThan(3);
    const doc = JSON.parse(r.events![0]!.message!);
    expect(doc).toMatchObject({
      messageType: 'WARN',
      messageSchemaVersion: '1',
      logger: 'org.apache.flink.runtime.executiongraph.ExecutionGraph',
    });
    expect(doc.message).toMatch(
      /^Session window 30 min \(1\/1\)#\d+ \(\S+\) switched from RUNNING to FAILED with failure cause: java.lang.NullPointerException/,
    );
    expect(r.events![0]!.logStreamName).toBe('main');
    const errors = await logs.send(
      new FilterLogEventsCommand({
        logGroupName: '/flink/loop',
        filterPattern: '{ $.messageType = "WARN" }',
        limit: 2,
      }),
    );
    expect(errors.events).toHaveLength(2);
    expect(errors.nextToken).toBeTruthy();
    const missing = await awsError(logs.send(new FilterLogEventsCommand({ logGroupName: '/nope' })));
    expect(missing.name).toBe('ResourceNotFoundException');
  });

  it('GetLogEvents pages forward from the head', async () => {
    const first = await logs.send(
      new GetLogEventsCommand({ logGroupName: '/flink/loop', logStreamName: 'main', startFromHead: true, limit: 5 }),
    );
    expect(first.events).toHaveLength(5);
    expect(JSON.parse(first.events![0]!.message!).message).toMatch(/^Submitting job clickstream-sessionizer/);
    const next = await logs.send(
      new GetLogEventsCommand({
        logGroupName: '/flink/loop',
        logStreamName: 'main',
        limit: 5,
        nextToken: first.nextForwardToken,
      }),
    );
    expect(next.events![0]!.timestamp!).toBeGreaterThanOrEqual(first.events![4]!.timestamp!);
    expect(next.events![0]!.message).not.toBe(first.events![4]!.message);
    const streams = await logs.send(new DescribeLogStreamsCommand({ logGroupName: '/flink/loop' }));
    expect(streams.logStreams?.map((s) => s.logStreamName)).toEqual(['main']);
  });
});

describe('Prometheus', () => {
  it('/_emulator/metrics exposes the latest samples', async () => {
    const text = await (await fetch(`${t.emu.url}/_emulator/metrics`)).text();
    expect(text).toMatch(/# TYPE kinesisanalytics_full_restarts gauge/);
    const line = text.split('\n').find((l) => l.startsWith('kinesisanalytics_full_restarts{application="loop"'));
    expect(Number(line!.split(' ')[1])).toBeGreaterThan(0);
    expect(text).toContain(
      'kinesisanalytics_application_status{application="loop",account="123456789012",region="us-east-1",status="RUNNING"} 1',
    );
  });
});

/**
 * The guidance's monitoring automation, verbatim through the real clients: the restart-loop alarm (DIFF of
 * fullRestarts) created with the `aws` CLI on the demo fleet, metric math through the AWS SDK, the alarm
 * calls through boto3, and alarms that survive a restart on the same data directory.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  CloudWatchClient,
  DeleteAlarmsCommand,
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  DescribeAlarmsForMetricCommand,
  DisableAlarmActionsCommand,
  GetMetricDataCommand,
  ListTagsForResourceCommand,
  PutMetricAlarmCommand,
  SetAlarmStateCommand,
  TagResourceCommand,
} from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../src/server.js';
import { awsError, credentials, startTestEmulator, tempDir, type TestEmulator } from './harness.js';

const run = promisify(execFile);
const MIN = 60_000;
const LOOPING = 'orders-enricher';
const HEALTHY = 'clickstream-sessionizer';

let t: TestEmulator;
let cw: CloudWatchClient;
beforeAll(async () => {
  t = await startTestEmulator({ demo: true, timeProfile: 'fast' });
  cw = new CloudWatchClient({ endpoint: t.emu.url, region: 'us-east-1', credentials, maxAttempts: 1 });
});
afterAll(() => t.close());

const now = async () => Date.parse(((await t.admin('/_emulator/clock')) as { nowIso: string }).nowIso);
const advance = (ms: number) => t.admin('/_emulator/clock', { advanceMs: ms });
const restarts = (app: string) => ({
  Namespace: 'AWS/KinesisAnalytics',
  MetricName: 'fullRestarts',
  Dimensions: [{ Name: 'Application', Value: app }],
});

/** The guidance's alarm: DIFF(fullRestarts) above 0 in each of 5 one-minute periods. */
const seedAlarmArgs = (app: string) => [
  'cloudwatch',
  'put-metric-alarm',
  '--alarm-name',
  `${app}-restart-loop`,
  '--alarm-description',
  'Flink job keeps restarting',
  '--metrics',
  JSON.stringify([
    {
      Id: 'm1',
      MetricStat: { Metric: restarts(app), Period: 60, Stat: 'Maximum' },
      ReturnData: false,
    },
    { Id: 'e1', Expression: 'DIFF(m1)', Label: 'fullRestarts increase', ReturnData: true },
  ]),
  '--evaluation-periods',
  '5',
  '--datapoints-to-alarm',
  '5',
  '--threshold',
  '0',
  '--comparison-operator',
  'GreaterThanThreshold',
  '--treat-missing-data',
  'notBreaching',
  '--alarm-actions',
  'arn:aws:sns:us-east-1:123456789012:flink-oncall',
];

interface CliAlarm {
  AlarmName: string;
  StateValue: string;
  StateReason: string;
  StateReasonData?: string;
  Metrics?: unknown[];
}

describe('the restart-loop alarm through the aws CLI', { timeout: 120_000 }, () => {
  it('goes to ALARM within 6 simulated minutes for orders-enricher and stays OK for clickstream-sessionizer', async () => {
    for (const app of [LOOPING, HEALTHY]) await t.cli(seedAlarmArgs(app));
    const states: Record<string, string[]> = { [LOOPING]: [], [HEALTHY]: [] };
    for (let m = 0; m < 6; m++) {
      await advance(MIN);
      const r = (await t.cli(['cloudwatch', 'describe-alarms', '--alarm-name-prefix', 'o'])) as {
        MetricAlarms: CliAlarm[];
      };
      states[LOOPING]!.push(r.MetricAlarms.find((a) => a.AlarmName === `${LOOPING}-restart-loop`)!.StateValue);
    }
    const all = (await t.cli(['cloudwatch', 'describe-alarms'])) as { MetricAlarms: CliAlarm[] };
    const looping = all.MetricAlarms.find((a) => a.AlarmName === `${LOOPING}-restart-loop`)!;
    const healthy = all.MetricAlarms.find((a) => a.AlarmName === `${HEALTHY}-restart-loop`)!;
    expect(states[LOOPING]).toContain('ALARM');
    expect(looping.StateValue).toBe('ALARM');
    expect(looping.StateReason).toMatch(/^Threshold Crossed: 5 out of the last 5 datapoints \[/);
    const data = JSON.parse(looping.StateReasonData!) as { evaluatedDatapoints: { value: number }[] };
    expect(data.evaluatedDatapoints).toHaveLength(5);
    for (const p of data.evaluatedDatapoints) expect(p.value).toBeGreaterThan(0);
    expect(looping.Metrics).toHaveLength(2);
    expect(healthy.StateValue).toBe('OK');

    // The state change and the SNS action it ran are in the history, newest first.
    const history = (await t.cli([
      'cloudwatch',
      'describe-alarm-history',
      '--alarm-name',
      `${LOOPING}-restart-loop`,
    ])) as { AlarmHistoryItems: { HistoryItemType: string; HistorySummary: string }[] };
    const summaries = history.AlarmHistoryItems.map((h) => `${h.HistoryItemType}: ${h.HistorySummary}`);
    expect(summaries).toContain('StateUpdate: Alarm updated from INSUFFICIENT_DATA to ALARM');
    expect(summaries).toContain('Action: Successfully executed action arn:aws:sns:us-east-1:123456789012:flink-oncall');
    expect(summaries.at(-1)).toBe(`ConfigurationUpdate: Alarm "${LOOPING}-restart-loop" created`);

    // describe-alarms --state-value filters.
    const firing = (await t.cli(['cloudwatch', 'describe-alarms', '--state-value', 'ALARM'])) as {
      MetricAlarms: CliAlarm[];
    };
    expect(firing.MetricAlarms.map((a) => a.AlarmName)).toEqual([`${LOOPING}-restart-loop`]);
  });

  it('answers a bad expression with the ValidationError CloudWatch sends', async () => {
    const args = seedAlarmArgs(LOOPING);
    const i = args.indexOf('--metrics') + 1;
    args[i] = args[i]!.replace('DIFF(m1)', 'DIFF(m2)');
    const stderr = await t.cliError(args);
    expect(stderr).toMatch(/ValidationError/);
    expect(stderr).toMatch(/m2/);
  });
});

describe('metric math through the AWS SDK', () => {
  it('DIFF, RATE, FILL, arithmetic, METRICS() and SUM over the demo fleet', async () => {
    const end = Math.floor((await now()) / MIN) * MIN;
    const r = await cw.send(
      new GetMetricDataCommand({
        StartTime: new Date(end - 15 * MIN),
        EndTime: new Date(end),
        ScanBy: 'TimestampAscending',
        MetricDataQueries: [
          { Id: 'loop', MetricStat: { Metric: restarts(LOOPING), Period: 60, Stat: 'Maximum' } },
          { Id: 'calm', MetricStat: { Metric: restarts(HEALTHY), Period: 60, Stat: 'Maximum' }, ReturnData: false },
          { Id: 'diff', Expression: 'DIFF(loop)' },
          { Id: 'rate', Expression: 'RATE(loop) * 60' },
          { Id: 'total', Expression: 'SUM(METRICS())', Label: 'fleet restarts' },
          { Id: 'filled', Expression: 'FILL(calm, 0) + 1' },
          { Id: 'peak', Expression: 'MAX(diff)' },
        ],
      }),
    );
    const by = new Map(r.MetricDataResults!.map((m) => [m.Id!, m]));
    expect([...by.keys()]).toEqual(['loop', 'diff', 'rate', 'total', 'filled', 'peak']);
    const raw = by.get('loop')!;
    const diff = by.get('diff')!;
    expect(diff.Values!.length).toBeGreaterThanOrEqual(10);
    // Each DIFF point is its datapoint less the one before it (CloudWatch's DIFF: consecutive points, whatever the gap).
    const rawTimes = raw.Timestamps!.map((t) => t.getTime());
    diff.Timestamps!.forEach((t, i) => {
      const at = rawTimes.indexOf(t.getTime());
      expect(at).toBeGreaterThan(0);
      expect(diff.Values![i]).toBe(raw.Values![at]! - raw.Values![at - 1]!);
    });
    expect(diff.Values!.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    // RATE is per second; times 60 it is the per-minute DIFF.
    expect(by.get('rate')!.Values!.map((v) => Math.round(v * 1e6) / 1e6)).toEqual(diff.Values);
    expect(by.get('total')!.Label).toBe('fleet restarts');
    for (const v of by.get('filled')!.Values!) expect(v).toBeGreaterThanOrEqual(1);
    // A scalar is drawn as a flat line at the metrics' timestamps.
    const peak = by.get('peak')!;
    expect(new Set(peak.Values).size).toBe(1);
    expect(peak.Values![0]).toBe(Math.max(...diff.Values!));
  });

  it('answers a range reaching years ahead and back with the points that exist, FILL bounded by retention', async () => {
    const end = await now();
    const year = 365 * 24 * 60 * MIN;
    const ask = (from: number, to: number) =>
      cw.send(
        new GetMetricDataCommand({
          StartTime: new Date(from),
          EndTime: new Date(to),
          ScanBy: 'TimestampAscending',
          MetricDataQueries: [
            { Id: 'm1', MetricStat: { Metric: restarts(LOOPING), Period: 60, Stat: 'Maximum' } },
            { Id: 'f', Expression: 'FILL(m1, 0)' },
          ],
        }),
      );
    const near = await ask(end - 30 * MIN, end + MIN);
    const wide = await ask(end - 40 * year, end + 10 * year);
    const [m1, filled] = wide.MetricDataResults!;
    expect(m1!.Values!.length).toBeGreaterThan(0);
    expect(m1!.Values!.slice(-5)).toEqual(near.MetricDataResults![0]!.Values!.slice(-5));
    // One-minute points are kept 15 days: FILL makes at most that many, none after now.
    expect(filled!.Timestamps!.length).toBeLessThanOrEqual(15 * 24 * 60 + 1);
    expect(filled!.Timestamps!.at(-1)!.getTime()).toBeLessThanOrEqual(end);
  });

  it('names the error of a malformed expression and of an unknown id', async () => {
    const end = await now();
    const ask = (expr: string) =>
      awsError(
        cw.send(
          new GetMetricDataCommand({
            StartTime: new Date(end - 10 * MIN),
            EndTime: new Date(end),
            MetricDataQueries: [
              { Id: 'm1', MetricStat: { Metric: restarts(LOOPING), Period: 60, Stat: 'Maximum' }, ReturnData: false },
              { Id: 'e1', Expression: expr },
            ],
          }),
        ),
      );
    // The JS SDK names CloudWatch's query-compatible ValidationError ValidationException (its Code stays ValidationError).
    const malformed = await ask('DIFF(m1');
    expect(malformed.name).toBe('ValidationException');
    expect(malformed.message).toMatch(/e1/);
    const unknown = await ask('m1 + nope');
    expect(unknown.name).toBe('ValidationException');
    expect(unknown.message).toMatch(/nope/);
    // The service still answers afterwards.
    const ok = await cw.send(new DescribeAlarmsCommand({}));
    expect(ok.MetricAlarms).toBeDefined();
  });
});

describe('alarm calls through the AWS SDK', () => {
  it('single-metric alarms, paging, for-metric, manual state, actions, tags and delete', async () => {
    for (let i = 0; i < 5; i++)
      await cw.send(
        new PutMetricAlarmCommand({
          AlarmName: `sdk-downtime-${i}`,
          Namespace: 'AWS/KinesisAnalytics',
          MetricName: 'downtime',
          Dimensions: [{ Name: 'Application', Value: LOOPING }],
          Statistic: 'Maximum',
          Period: 60,
          EvaluationPeriods: 3,
          Threshold: 1000 * (i + 1),
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          Tags: [{ Key: 'team', Value: 'streaming' }],
        }),
      );
    const page1 = await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'sdk-', MaxRecords: 2 }));
    expect(page1.MetricAlarms!.map((a) => a.AlarmName)).toEqual(['sdk-downtime-0', 'sdk-downtime-1']);
    const rest = await cw.send(
      new DescribeAlarmsCommand({ AlarmNamePrefix: 'sdk-', MaxRecords: 100, NextToken: page1.NextToken }),
    );
    expect(rest.MetricAlarms!.map((a) => a.AlarmName)).toEqual(['sdk-downtime-2', 'sdk-downtime-3', 'sdk-downtime-4']);
    expect(rest.NextToken).toBeUndefined();
    expect((await awsError(cw.send(new DescribeAlarmsCommand({ NextToken: 'garbage' })))).name).toBe(
      'InvalidNextToken',
    );

    const forMetric = await cw.send(
      new DescribeAlarmsForMetricCommand({
        Namespace: 'AWS/KinesisAnalytics',
        MetricName: 'downtime',
        Dimensions: [{ Name: 'Application', Value: LOOPING }],
      }),
    );
    expect(forMetric.MetricAlarms).toHaveLength(5);

    await cw.send(new SetAlarmStateCommand({ AlarmName: 'sdk-downtime-0', StateValue: 'ALARM', StateReason: 'drill' }));
    const drilled = (await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['sdk-downtime-0'] }))).MetricAlarms![0]!;
    expect(drilled.StateValue).toBe('ALARM');
    expect(drilled.StateReason).toBe('drill');
    await cw.send(new DisableAlarmActionsCommand({ AlarmNames: ['sdk-downtime-0'] }));
    expect(
      (await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['sdk-downtime-0'] }))).MetricAlarms![0]!.ActionsEnabled,
    ).toBe(false);
    const history = await cw.send(
      new DescribeAlarmHistoryCommand({ AlarmName: 'sdk-downtime-0', HistoryItemType: 'StateUpdate' }),
    );
    expect(history.AlarmHistoryItems![0]!.HistorySummary).toBe('Alarm updated from INSUFFICIENT_DATA to ALARM');

    const arn = drilled.AlarmArn!;
    expect(arn).toBe('arn:aws:cloudwatch:us-east-1:123456789012:alarm:sdk-downtime-0');
    await cw.send(new TagResourceCommand({ ResourceARN: arn, Tags: [{ Key: 'tier', Value: 'gold' }] }));
    const tags = await cw.send(new ListTagsForResourceCommand({ ResourceARN: arn }));
    expect(tags.Tags).toEqual([
      { Key: 'team', Value: 'streaming' },
      { Key: 'tier', Value: 'gold' },
    ]);

    const bad = await awsError(
      cw.send(
        new PutMetricAlarmCommand({
          AlarmName: 'sdk-bad',
          Namespace: 'AWS/KinesisAnalytics',
          MetricName: 'downtime',
          Statistic: 'Maximum',
          Period: 60,
          EvaluationPeriods: 3,
          DatapointsToAlarm: 4,
          Threshold: 1,
          ComparisonOperator: 'GreaterThanThreshold',
        }),
      ),
    );
    expect(bad.name).toBe('ValidationException');
    expect(bad.message).toMatch(/DatapointsToAlarm/);

    await cw.send(new DeleteAlarmsCommand({ AlarmNames: ['sdk-downtime-0', 'sdk-downtime-1'] }));
    const left = await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'sdk-' }));
    expect(left.MetricAlarms).toHaveLength(3);
  });
});

describe('alarm calls through boto3', () => {
  it('reads the alarms the CLI made, with paging, as a Python script would', async () => {
    const script = `
import boto3, json, sys
cw = boto3.client('cloudwatch', endpoint_url=sys.argv[1], region_name='us-east-1',
                  aws_access_key_id='any', aws_secret_access_key='any')
names = []
for page in cw.get_paginator('describe_alarms').paginate(PaginationConfig={'PageSize': 2}):
    names += [a['AlarmName'] for a in page['MetricAlarms']]
state = cw.describe_alarms(AlarmNames=['${LOOPING}-restart-loop'])['MetricAlarms'][0]['StateValue']
try:
    cw.delete_alarms(AlarmNames=['does-not-exist'])
    err = None
except cw.exceptions.ResourceNotFound as e:
    err = e.response['Error']['Code']
print(json.dumps({'names': names, 'state': state, 'err': err}))
`;
    const { stdout } = await run('python3', ['-c', script, t.emu.url], { timeout: 60_000 });
    const out = JSON.parse(stdout) as { names: string[]; state: string; err: string };
    expect(out.names).toEqual(expect.arrayContaining([`${LOOPING}-restart-loop`, `${HEALTHY}-restart-loop`]));
    expect(out.names).toEqual([...out.names].sort());
    expect(out.state).toBe('ALARM');
    expect(out.err).toBe('ResourceNotFound');
  });
});

describe('alarms on a data directory', { timeout: 60_000 }, () => {
  it('keep their state and history across a restart and go on being evaluated', async () => {
    const dir = tempDir();
    try {
      const open = () => startEmulator({ dataDir: dir.dir, port: 0, timeProfile: 'fast', demo: true });
      const first = await open();
      const client = (url: string) =>
        new CloudWatchClient({ endpoint: url, region: 'us-east-1', credentials, maxAttempts: 1 });
      const put = {
        AlarmName: 'durable-loop',
        Metrics: [
          { Id: 'm1', MetricStat: { Metric: restarts(LOOPING), Period: 60, Stat: 'Maximum' }, ReturnData: false },
          { Id: 'e1', Expression: 'DIFF(m1)', ReturnData: true },
        ],
        EvaluationPeriods: 5,
        DatapointsToAlarm: 5,
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold' as const,
      };
      await client(first.url).send(new PutMetricAlarmCommand(put));
      await fetch(`${first.url}/_emulator/clock`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ advanceMs: 7 * MIN }),
      });
      const before = (await client(first.url).send(new DescribeAlarmsCommand({ AlarmNames: ['durable-loop'] })))
        .MetricAlarms![0]!;
      expect(before.StateValue).toBe('ALARM');
      await first.close();

      const second = await open();
      try {
        const after = (await client(second.url).send(new DescribeAlarmsCommand({ AlarmNames: ['durable-loop'] })))
          .MetricAlarms![0]!;
        expect(after).toEqual(before);
        const history = await client(second.url).send(new DescribeAlarmHistoryCommand({ AlarmName: 'durable-loop' }));
        expect(history.AlarmHistoryItems!.map((h) => h.HistorySummary)).toContain(
          'Alarm updated from INSUFFICIENT_DATA to ALARM',
        );
      } finally {
        await second.close();
      }
    } finally {
      dir.remove();
    }
  });
});

/**
 * Metric alarms on the virtual clock: the guidance's restart-loop alarm (DIFF of fullRestarts, 5 of 5)
 * fires for a poison pill and stays OK for a healthy job; M of N, missing data, manual state, actions,
 * history, and a reload from stored rows that evaluates exactly as before.
 */
import { describe, expect, it } from 'vitest';
import { Engine, type PutMetricAlarmInput } from '../src/index.js';
import { ctx, newEngine, runningApp } from './helpers.js';

const MIN = 60_000;

/** The recommended loop alarm: fullRestarts' DIFF above 0 for 5 minutes in a row. */
function loopAlarm(app: string, extra: Partial<PutMetricAlarmInput> = {}): PutMetricAlarmInput {
  return {
    AlarmName: `${app}-restart-loop`,
    Metrics: [
      {
        Id: 'm1',
        MetricStat: {
          Metric: {
            Namespace: 'AWS/KinesisAnalytics',
            MetricName: 'fullRestarts',
            Dimensions: [{ Name: 'Application', Value: app }],
          },
          Period: 60,
          Stat: 'Maximum',
        },
        ReturnData: false,
      },
      { Id: 'e1', Expression: 'DIFF(m1)', Label: 'restarts per minute', ReturnData: true },
    ],
    ComparisonOperator: 'GreaterThanThreshold',
    Threshold: 0,
    EvaluationPeriods: 5,
    DatapointsToAlarm: 5,
    TreatMissingData: 'notBreaching',
    AlarmActions: ['arn:aws:sns:us-east-1:123456789012:oncall'],
    OKActions: ['arn:aws:sns:us-east-1:123456789012:oncall'],
    ...extra,
  };
}

const alarm = (e: Engine, name: string) => e.alarms.describeAlarms(ctx, { AlarmNames: [name] }).MetricAlarms[0]!;
const history = (e: Engine, name: string) =>
  e.alarms.describeAlarmHistory(ctx, { AlarmName: name, ScanBy: 'TimestampAscending' }).AlarmHistoryItems;

/** Minutes until the alarm first reaches `state` (undefined within `max`). */
function minutesUntil(e: Engine, name: string, state: string, max: number): number | undefined {
  for (let m = 1; m <= max; m++) {
    e.advanceBy(MIN);
    if (alarm(e, name).StateValue === state) return m;
  }
  return undefined;
}

describe('the restart-loop alarm', () => {
  it('goes to ALARM within 6 minutes for a poison pill and to OK for a healthy job, with reasons and actions', () => {
    const e = newEngine();
    runningApp(e, 'loop', '1.3.0-poison-pill');
    runningApp(e, 'calm');
    e.alarms.putMetricAlarm(ctx, loopAlarm('loop'));
    e.alarms.putMetricAlarm(ctx, loopAlarm('calm'));
    expect(alarm(e, 'loop-restart-loop').StateValue).toBe('INSUFFICIENT_DATA');
    expect(alarm(e, 'loop-restart-loop').StateReason).toBe('Unchecked: Initial alarm creation');
    const loopAt = minutesUntil(e, 'loop-restart-loop', 'ALARM', 10);
    expect(loopAt).toBeDefined();
    expect(loopAt!).toBeLessThanOrEqual(6);
    expect(alarm(e, 'calm-restart-loop').StateValue).toBe('OK');

    const a = alarm(e, 'loop-restart-loop');
    expect(a.StateReason).toMatch(
      /^Threshold Crossed: 5 out of the last 5 datapoints \[(\d+\.\d \(\d\d\/\d\d\/\d\d \d\d:\d\d:\d\d\)(, )?){5}\] were greater than the threshold \(0\.0\) \(minimum 5 datapoints for \w+ -> ALARM transition\)\.$/,
    );
    const data = JSON.parse(a.StateReasonData!) as { period: number; evaluatedDatapoints: { value: number }[] };
    expect(data.period).toBe(60);
    expect(data.evaluatedDatapoints).toHaveLength(5);
    expect(data.evaluatedDatapoints.every((d) => d.value > 0)).toBe(true);
    const items = history(e, 'loop-restart-loop');
    expect(items.map((h) => h.HistoryItemType)).toEqual(
      expect.arrayContaining(['ConfigurationUpdate', 'StateUpdate', 'Action']),
    );
    expect(items.find((h) => h.HistoryItemType === 'Action')?.HistorySummary).toBe(
      'Successfully executed action arn:aws:sns:us-east-1:123456789012:oncall',
    );
    const transitions = e.alarms.drainTransitions();
    expect(transitions.map((t) => [t.alarm.name, t.to])).toEqual(
      expect.arrayContaining([
        ['loop-restart-loop', 'ALARM'],
        ['calm-restart-loop', 'OK'],
      ]),
    );
  });

  it('stays quiet about state it already holds: one StateUpdate per change, none per minute', () => {
    const e = newEngine();
    runningApp(e, 'calm');
    e.alarms.putMetricAlarm(ctx, loopAlarm('calm'));
    e.advanceBy(30 * MIN);
    const updates = history(e, 'calm-restart-loop').filter((h) => h.HistoryItemType === 'StateUpdate');
    expect(updates).toHaveLength(1);
  });
});

describe('evaluation rules', () => {
  it('M of N: 2 breaching datapoints of 3 alarm with DatapointsToAlarm 2, not with 3', () => {
    const e = newEngine();
    runningApp(e, 'app');
    // On a minute: its uptime point is the newest. At the next evaluation the three datapoints are
    // u - 60 s, u and u + 60 s; a threshold just under u makes the last two breach.
    e.advanceTo(Math.ceil(e.now() / MIN) * MIN + 10 * MIN);
    const key = e.core.appKey(ctx, 'app');
    const u = e.telemetry.metrics.query(key, 'uptime', e.now(), e.now()).at(-1)!.value;
    const base = (name: string, m: number): PutMetricAlarmInput => ({
      AlarmName: name,
      Namespace: 'AWS/KinesisAnalytics',
      MetricName: 'uptime',
      Dimensions: [{ Name: 'Application', Value: 'app' }],
      Statistic: 'Maximum',
      Period: 60,
      EvaluationPeriods: 3,
      DatapointsToAlarm: m,
      Threshold: u - 1,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    e.alarms.putMetricAlarm(ctx, base('two-of-three', 2));
    e.alarms.putMetricAlarm(ctx, base('three-of-three', 3));
    e.advanceBy(MIN);
    expect(alarm(e, 'two-of-three').StateValue).toBe('ALARM');
    expect(alarm(e, 'two-of-three').StateReason).toMatch(/^Threshold Crossed: 2 out of the last 3 datapoints/);
    expect(alarm(e, 'three-of-three').StateValue).toBe('OK');
    expect(alarm(e, 'three-of-three').StateReason).toMatch(/1 out of the last 3 datapoints .* were not greater than/);
  });

  it('missing data: INSUFFICIENT_DATA, notBreaching → OK, breaching → ALARM, ignore keeps the state', () => {
    const e = newEngine();
    const missingMetric = (name: string, treat?: string): PutMetricAlarmInput => ({
      AlarmName: name,
      Namespace: 'AWS/KinesisAnalytics',
      MetricName: 'fullRestarts',
      Dimensions: [{ Name: 'Application', Value: 'nowhere' }],
      Statistic: 'Maximum',
      Period: 60,
      EvaluationPeriods: 2,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      ...(treat ? { TreatMissingData: treat } : {}),
    });
    e.alarms.putMetricAlarm(ctx, missingMetric('missing'));
    e.alarms.putMetricAlarm(ctx, missingMetric('not-breaching', 'notBreaching'));
    e.alarms.putMetricAlarm(ctx, missingMetric('breaching', 'breaching'));
    e.alarms.putMetricAlarm(ctx, missingMetric('ignore', 'ignore'));
    e.alarms.setAlarmState(ctx, { AlarmName: 'missing', StateValue: 'ALARM', StateReason: 'testing' });
    e.alarms.setAlarmState(ctx, { AlarmName: 'ignore', StateValue: 'ALARM', StateReason: 'testing' });
    e.advanceBy(2 * MIN);
    expect(alarm(e, 'missing').StateValue).toBe('INSUFFICIENT_DATA');
    expect(alarm(e, 'missing').StateReason).toBe('Insufficient Data: 2 datapoints were unknown.');
    expect(alarm(e, 'not-breaching').StateValue).toBe('OK');
    expect(alarm(e, 'breaching').StateValue).toBe('ALARM');
    expect(alarm(e, 'ignore').StateValue).toBe('ALARM');
  });

  it('SetAlarmState holds until the next evaluation; disabled actions are not run', () => {
    const e = newEngine();
    runningApp(e, 'calm');
    e.alarms.putMetricAlarm(ctx, loopAlarm('calm'));
    e.advanceBy(MIN);
    expect(alarm(e, 'calm-restart-loop').StateValue).toBe('OK');
    e.alarms.setActionsEnabled(ctx, ['calm-restart-loop'], false);
    e.alarms.setAlarmState(ctx, { AlarmName: 'calm-restart-loop', StateValue: 'ALARM', StateReason: 'drill' });
    expect(alarm(e, 'calm-restart-loop')).toMatchObject({
      StateValue: 'ALARM',
      StateReason: 'drill',
      ActionsEnabled: false,
    });
    e.advanceBy(MIN);
    expect(alarm(e, 'calm-restart-loop').StateValue).toBe('OK');
    const actions = history(e, 'calm-restart-loop').filter((h) => h.HistoryItemType === 'Action');
    // The first OK ran its action; with actions disabled, the drill's ALARM and the OK after it ran none.
    expect(actions).toHaveLength(1);
  });
});

describe('alarms as stored rows', () => {
  it('an engine loaded from its rows has the same alarms and evaluates them the same way', () => {
    const a = newEngine();
    runningApp(a, 'loop', '1.3.0-poison-pill');
    a.alarms.putMetricAlarm(ctx, loopAlarm('loop'));
    a.advanceBy(3 * MIN);
    // Through JSON, as the emulator stores rows (dump() hands out the live objects).
    const b = new Engine(
      { seed: 'test', timeProfile: 'fast' },
      JSON.parse(JSON.stringify(a.dump())) as ReturnType<Engine['dump']>,
    );
    // The metric ring is telemetry (restored by the emulator from its file); copy it for this check.
    const key = a.core.appKey(ctx, 'loop');
    for (const p of a.telemetry.metrics.query(key, 'fullRestarts', 0, a.now())) {
      const row = new Float32Array(18);
      row[0] = p.value;
      b.telemetry.metrics.restore(key, p.timestamp / MIN, row);
    }
    expect(b.alarms.describeAlarms(ctx, {})).toEqual(a.alarms.describeAlarms(ctx, {}));
    a.advanceBy(5 * MIN);
    b.advanceBy(5 * MIN);
    expect(alarm(b, 'loop-restart-loop').StateValue).toBe('ALARM');
    expect(b.alarms.describeAlarms(ctx, {})).toEqual(a.alarms.describeAlarms(ctx, {}));
  });
});

describe('PutMetricAlarm validation', () => {
  const single: PutMetricAlarmInput = {
    AlarmName: 'a',
    Namespace: 'AWS/KinesisAnalytics',
    MetricName: 'fullRestarts',
    Statistic: 'Maximum',
    Period: 60,
    EvaluationPeriods: 1,
    Threshold: 0,
    ComparisonOperator: 'GreaterThanThreshold',
  };
  it.each([
    ['both MetricName and Metrics', { ...single, Metrics: loopAlarm('x').Metrics }, /either MetricName or Metrics/],
    ['DatapointsToAlarm above EvaluationPeriods', { ...single, DatapointsToAlarm: 2 }, /must not exceed/],
    ['an anomaly band', { ...single, ComparisonOperator: 'LessThanLowerOrGreaterThanUpperThreshold' }, /not supported/],
    ['more than a day', { ...single, Period: 3600, EvaluationPeriods: 25 }, /one day/],
    ['a bad action', { ...single, AlarmActions: ['mailto:me'] }, /Invalid action/],
    [
      'an expression making many series',
      {
        ...loopAlarm('x'),
        Metrics: [
          ...loopAlarm('x').Metrics!.slice(0, 1),
          { Id: 'e1', Expression: 'DIFF(METRICS())', ReturnData: true },
        ],
      },
      /exactly one time series/,
    ],
    [
      'a bad expression',
      { ...loopAlarm('x'), Metrics: [{ Id: 'e1', Expression: 'DIFF(', ReturnData: true }] },
      /Error in expression e1/,
    ],
  ])('refuses %s', (_what, input, message) => {
    const e = newEngine();
    expect(() => e.alarms.putMetricAlarm(ctx, input as PutMetricAlarmInput)).toThrow(message);
    expect(e.alarms.describeAlarms(ctx, {}).MetricAlarms).toEqual([]);
  });
});

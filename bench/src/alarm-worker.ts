/**
 * Alarm evaluation at fleet scale, in a fresh process on the built engine:
 *
 *   node --import tsx bench/src/alarm-worker.ts <apps> <minutes>
 *
 * A fleet of RUNNING applications (parallelism 4; one in fifty the poison-pill job, in a fail-and-restart
 * loop) advances `minutes` simulated minutes without alarms, then the same number with three alarms per
 * application: the guidance's restart-loop alarm (DIFF of fullRestarts, metric math), a single-metric
 * downtime alarm, and a RATE of failed checkpoints. The evaluation itself is timed where the engine runs
 * it (AlarmService.evaluateDue), besides the whole advance with and without. Prints one JSON line.
 */
import { adminContext, DEMO_BUCKET_ARN, Engine, type PutMetricAlarmInput } from '@mfc/engine';

const [n = '1000', m = '30'] = process.argv.slice(2);
const N = Number(n);
const MINUTES = Number(m);
const MIN = 60_000;

const ctx = adminContext();
const engine = new Engine({ seed: 'bench-alarms', timeProfile: 'fast', limits: { applicationsPerRegion: 1_000_000 } });
engine.store.journal.enabled = false;
for (let i = 0; i < N; i++) {
  const looping = i % 50 === 49;
  engine.kinesisAnalytics.createApplication(ctx, {
    ApplicationName: `app-${i}`,
    RuntimeEnvironment: 'FLINK-1_20',
    ServiceExecutionRole: 'arn:aws:iam::123456789012:role/bench',
    ApplicationConfiguration: {
      ApplicationCodeConfiguration: {
        CodeContentType: 'ZIPFILE',
        CodeContent: {
          S3ContentLocation: {
            BucketARN: DEMO_BUCKET_ARN,
            FileKey: `sessionizer/${looping ? 'sessionizer-1.3.0-poison-pill.jar' : 'sessionizer-1.0.0.jar'}`,
          },
        },
      },
      FlinkApplicationConfiguration: {
        ParallelismConfiguration: {
          ConfigurationType: 'CUSTOM',
          Parallelism: 4,
          ParallelismPerKPU: 1,
          AutoScalingEnabled: false,
        },
      },
    },
  });
  engine.kinesisAnalytics.startApplication(ctx, { ApplicationName: `app-${i}` });
}
// Everything RUNNING, and a few minutes of metrics to evaluate from.
engine.advanceBy(10 * MIN);

const metric = (app: string, name: string) => ({
  Namespace: 'AWS/KinesisAnalytics',
  MetricName: name,
  Dimensions: [{ Name: 'Application', Value: app }],
});
function alarmsFor(app: string): PutMetricAlarmInput[] {
  return [
    {
      AlarmName: `${app}-restart-loop`,
      Metrics: [
        {
          Id: 'm1',
          MetricStat: { Metric: metric(app, 'fullRestarts'), Period: 60, Stat: 'Maximum' },
          ReturnData: false,
        },
        { Id: 'e1', Expression: 'DIFF(m1)', ReturnData: true },
      ],
      EvaluationPeriods: 5,
      DatapointsToAlarm: 5,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: ['arn:aws:sns:us-east-1:123456789012:oncall'],
    },
    {
      AlarmName: `${app}-downtime`,
      ...metric(app, 'downtime'),
      Statistic: 'Maximum',
      Period: 60,
      EvaluationPeriods: 3,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    },
    {
      AlarmName: `${app}-failed-checkpoints`,
      Metrics: [
        {
          Id: 'f',
          MetricStat: { Metric: metric(app, 'numberOfFailedCheckpoints'), Period: 60, Stat: 'Maximum' },
          ReturnData: false,
        },
        { Id: 'r', Expression: 'RATE(FILL(f, REPEAT)) * 60', ReturnData: true },
      ],
      EvaluationPeriods: 3,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
    },
  ];
}

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
function advance(): { wallMs: number; cpuMs: number } {
  const c0 = cpuMs();
  const t0 = performance.now();
  for (let i = 0; i < MINUTES; i++) engine.advanceBy(MIN);
  return { wallMs: performance.now() - t0, cpuMs: cpuMs() - c0 };
}

const without = advance();

const p0 = performance.now();
for (let i = 0; i < N; i++) for (const a of alarmsFor(`app-${i}`)) engine.alarms.putMetricAlarm(ctx, a);
const putMs = performance.now() - p0;

// Time the evaluation where the engine runs it.
let evalMs = 0;
let rounds = 0;
const evaluateDue = engine.alarms.evaluateDue.bind(engine.alarms);
engine.alarms.evaluateDue = (now: number) => {
  const t = performance.now();
  evaluateDue(now);
  evalMs += performance.now() - t;
  rounds++;
};
const withAlarms = advance();

const states: Record<string, number> = {};
const loopStates: Record<string, number> = {};
let token: string | undefined;
do {
  const page = engine.alarms.describeAlarms(ctx, { MaxRecords: 100, NextToken: token });
  for (const a of page.MetricAlarms) {
    states[a.StateValue] = (states[a.StateValue] ?? 0) + 1;
    if (a.AlarmName.endsWith('-restart-loop')) loopStates[a.StateValue] = (loopStates[a.StateValue] ?? 0) + 1;
  }
  token = page.NextToken;
} while (token);

console.log(
  JSON.stringify({
    applications: N,
    alarms: N * 3,
    minutes: MINUTES,
    looping: Math.floor(N / 50),
    withoutMs: Math.round(without.wallMs),
    withoutCpuMs: Math.round(without.cpuMs),
    withMs: Math.round(withAlarms.wallMs),
    withCpuMs: Math.round(withAlarms.cpuMs),
    putMs: Math.round(putMs),
    evaluationMs: Math.round(evalMs),
    evaluationRounds: rounds,
    states,
    loopStates,
    maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    faults: engine.faults.length,
  }),
);

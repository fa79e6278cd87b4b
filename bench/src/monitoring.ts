/**
 * The guidance's monitoring recipes at fleet scale: alarm evaluation for 1,000 applications × 3 alarms
 * per simulated minute (in the engine, where it runs), the alarm calls over the wire against moto_server
 * (which stores alarms but never evaluates them), and Logs Insights over a million log events against
 * moto_server (whose Insights understands only fields, sort and limit).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, ROOT, start, type Proc } from './processes.js';

export interface AlarmRun {
  applications: number;
  alarms: number;
  minutes: number;
  looping: number;
  withoutMs: number;
  withoutCpuMs: number;
  withMs: number;
  withCpuMs: number;
  putMs: number;
  evaluationMs: number;
  evaluationRounds: number;
  states: Record<string, number>;
  loopStates: Record<string, number>;
  maxRssMiB: number;
}

export interface WireRun {
  system: string;
  putAlarmsMs: number;
  describeAllMs: number;
  described: number;
  pages: number;
}

export interface InsightsQueryRun {
  name: string;
  wallMs: number;
  status: string;
  rows: number;
  recordsScanned: number;
  recordsMatched: number;
  polls: number;
  sample?: Record<string, string>;
}

export interface InsightsRun {
  applications: number;
  events: number;
  fillMs: number;
  emulator: InsightsQueryRun[];
  moto: InsightsQueryRun[] | string;
  motoIngestMs: number;
  maxRssMiB: number;
}

export interface MonitoringResult {
  alarms: AlarmRun;
  wire: WireRun[] | string;
  insights: InsightsRun;
}

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

function worker<T>(file: string, args: string[]): T {
  const out = execFileSync(process.execPath, ['--import', 'tsx', here(file), ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  return JSON.parse(out.trim().split('\n').at(-1)!) as T;
}

const AUTH = `AWS4-HMAC-SHA256 Credential=AKIDBENCH/20261206/us-east-1/monitoring/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`;

async function cloudwatch<T>(url: string, op: string, body: unknown): Promise<T> {
  const res = await fetch(`${url}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `GraniteServiceVersion20100801.${op}`,
      'x-amzn-query-mode': 'true',
      authorization: AUTH,
      'x-amz-date': '20261206T000000Z',
    },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${op}: ${res.status} ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : {}) as T;
}

/** The restart-loop alarm of the guidance, for one application. */
const loopAlarm = (app: string) => ({
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
    { Id: 'e1', Expression: 'DIFF(m1)', ReturnData: true },
  ],
  EvaluationPeriods: 5,
  DatapointsToAlarm: 5,
  Threshold: 0,
  ComparisonOperator: 'GreaterThanThreshold',
  TreatMissingData: 'notBreaching',
});

/** PutMetricAlarm for `count` alarms, 16 at a time, then DescribeAlarms page by page (100 a page). */
async function wire(system: string, url: string, count: number): Promise<WireRun> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      for (;;) {
        const i = next++;
        if (i >= count) return;
        await cloudwatch(url, 'PutMetricAlarm', loopAlarm(`app-${String(i).padStart(4, '0')}`));
      }
    }),
  );
  const putAlarmsMs = performance.now() - t0;
  const t1 = performance.now();
  let described = 0;
  let pages = 0;
  let token: string | undefined;
  do {
    const page: { MetricAlarms?: unknown[]; NextToken?: string } = await cloudwatch(url, 'DescribeAlarms', {
      MaxRecords: 100,
      ...(token ? { NextToken: token } : {}),
    });
    described += page.MetricAlarms?.length ?? 0;
    pages++;
    token = page.NextToken;
  } while (token);
  return {
    system,
    putAlarmsMs: Math.round(putAlarmsMs),
    describeAllMs: Math.round(performance.now() - t1),
    described,
    pages,
  };
}

export async function monitoring(log: (line: string) => void): Promise<MonitoringResult> {
  log('monitoring: alarm evaluation, 1,000 applications × 3 alarms, 30 simulated minutes without and with');
  const alarms = worker<AlarmRun>('./alarm-worker.ts', ['1000', '30']);

  let wireRuns: WireRun[] | string;
  const port = await freePort();
  const emulator = await start(
    process.execPath,
    [join(ROOT, 'packages/emulator/dist/cli.js'), '--port', String(port), '--in-memory', '--time-profile', 'instant'],
    /listening on/,
    `http://127.0.0.1:${port}`,
  );
  let moto: Proc | undefined;
  try {
    log('monitoring: 3,000 PutMetricAlarm and a full DescribeAlarms, emulator');
    const e = await wire('emulator', emulator.url, 3000);
    try {
      const motoPort = await freePort();
      moto = await start(
        'moto_server',
        ['-H', '127.0.0.1', '-p', String(motoPort)],
        /Running on|Serving/,
        `http://127.0.0.1:${motoPort}`,
      );
      log('monitoring: the same, moto_server');
      wireRuns = [e, await wire('moto_server', moto.url, 3000)];
    } catch (err) {
      wireRuns = `moto_server unavailable: ${(err as Error).message.slice(0, 200)}`;
    }
  } finally {
    await emulator.stop();
    await moto?.stop();
  }

  log(
    'monitoring: Logs Insights over 1.1 million log events (110 looping applications × 10,000 lines), emulator and moto_server',
  );
  const insights = worker<InsightsRun>('./insights-worker.ts', ['110', 'moto']);
  return { alarms, wire: wireRuns, insights };
}

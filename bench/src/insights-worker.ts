/**
 * Logs Insights over a million log events, in a fresh process:
 *
 *   node --import tsx bench/src/insights-worker.ts <apps> [moto]
 *
 * The emulator (in memory) runs `apps` applications of the poison-pill job at parallelism 4, all logging to
 * one log group, one stream each, until every stream holds the 10,000 lines the emulator keeps per
 * application. Then, over the wire (JSON, as the SDKs send it): the guidance's subtask-transition query,
 * a stats query, and a fields/sort/limit query, each started with StartQuery and read with GetQueryResults
 * until Complete. With `moto`, the same events are copied into moto_server (PutLogEvents) and the queries
 * moto understands are run there too. Prints one JSON line.
 */
import { SUBTASK_TRANSITIONS_QUERY } from '@mfc/contracts';
import { startEmulator } from '@mfc/emulator';
import { adminContext, DEMO_BUCKET_ARN } from '@mfc/engine';
import { freePort, start, type Proc } from './processes.js';

const [n = '110', withMoto = ''] = process.argv.slice(2);
const N = Number(n);
const GROUP = '/bench/insights';
const MIN = 60_000;

const auth = (service: string) =>
  `AWS4-HMAC-SHA256 Credential=AKIDBENCH/20261206/us-east-1/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`;

async function logs<T>(url: string, op: string, body: unknown): Promise<T> {
  const res = await fetch(`${url}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `Logs_20140328.${op}`,
      authorization: auth('logs'),
      'x-amz-date': '20261206T000000Z',
    },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${op}: ${res.status} ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : {}) as T;
}

interface QueryRun {
  name: string;
  wallMs: number;
  status: string;
  rows: number;
  recordsScanned: number;
  recordsMatched: number;
  /** GetQueryResults calls until Complete (results come in while the query runs). */
  polls: number;
  /** The first row's fields, to show what came back. */
  sample?: Record<string, string>;
}

async function runQuery(url: string, name: string, query: string, from: number, to: number): Promise<QueryRun> {
  const t0 = performance.now();
  const { queryId } = await logs<{ queryId: string }>(url, 'StartQuery', {
    logGroupName: GROUP,
    queryString: query,
    startTime: Math.floor(from / 1000),
    endTime: Math.ceil(to / 1000),
    limit: 10_000,
  });
  let polls = 0;
  for (;;) {
    polls++;
    const r = await logs<{
      status: string;
      results?: { field: string; value: string }[][];
      statistics?: { recordsScanned?: number; recordsMatched?: number };
    }>(url, 'GetQueryResults', { queryId });
    if (r.status !== 'Scheduled' && r.status !== 'Running') {
      const first = r.results?.[0];
      return {
        name,
        wallMs: Math.round(performance.now() - t0),
        status: r.status,
        rows: r.results?.length ?? 0,
        recordsScanned: r.statistics?.recordsScanned ?? 0,
        recordsMatched: r.statistics?.recordsMatched ?? 0,
        polls,
        ...(first ? { sample: Object.fromEntries(first.map((c) => [c.field, c.value.slice(0, 120)])) } : {}),
      };
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

const QUERIES: { name: string; query: string; moto: boolean }[] = [
  { name: 'subtask transitions (the guidance’s query)', query: SUBTASK_TRANSITIONS_QUERY, moto: false },
  {
    name: 'failures per 5 minutes (stats count(*) by bin(5m))',
    query: 'filter @message like /to FAILED/ | stats count(*) as failures by bin(5m)',
    moto: false,
  },
  {
    name: 'newest 10,000 (fields, sort, limit)',
    query: 'fields @timestamp, @message | sort @timestamp desc | limit 10000',
    moto: true,
  },
];

async function main(): Promise<void> {
  const emu = await startEmulator({
    inMemory: true,
    port: 0,
    timeProfile: 'fast',
    speed: 0,
    limits: { applicationsPerRegion: 100_000 },
    log: (line) => console.error(`[emulator] ${line}`),
  });
  let moto: Proc | undefined;
  try {
    const ctx = adminContext();
    emu.mutate((engine) => {
      for (let i = 0; i < N; i++) {
        engine.kinesisAnalytics.createApplication(ctx, {
          ApplicationName: `loop-${i}`,
          RuntimeEnvironment: 'FLINK-1_20',
          ServiceExecutionRole: 'arn:aws:iam::123456789012:role/bench',
          CloudWatchLoggingOptions: [
            { LogStreamARN: `arn:aws:logs:us-east-1:123456789012:log-group:${GROUP}:log-stream:loop-${i}` },
          ],
          ApplicationConfiguration: {
            ApplicationCodeConfiguration: {
              CodeContentType: 'ZIPFILE',
              CodeContent: {
                S3ContentLocation: {
                  BucketARN: DEMO_BUCKET_ARN,
                  FileKey: 'sessionizer/sessionizer-1.3.0-poison-pill.jar',
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
        engine.kinesisAnalytics.startApplication(ctx, { ApplicationName: `loop-${i}` });
      }
    });
    const fillStart = performance.now();
    let events = 0;
    for (let minutes = 0; minutes < 6 * 60; minutes += 10) {
      emu.mutate((engine) => engine.advanceBy(10 * MIN));
      events = emu.mutate((engine) => {
        let total = 0;
        for (const key of engine.telemetry.logs.keys()) total += engine.telemetry.logs.get(key)!.entries.length;
        return total;
      });
      if (events >= N * 10_000) break;
    }
    const fillMs = performance.now() - fillStart;
    const now = emu.mutate((engine) => engine.now());
    const from = now - 24 * 60 * MIN;
    const emulatorRuns: QueryRun[] = [];
    for (const q of QUERIES) emulatorRuns.push(await runQuery(emu.url, q.name, q.query, from, now));

    let motoRuns: QueryRun[] | string = 'not run (pass `moto`)';
    let motoIngestMs = 0;
    if (withMoto === 'moto') {
      const port = await freePort();
      moto = await start(
        'moto_server',
        ['-H', '127.0.0.1', '-p', String(port)],
        /Running on|Serving/,
        `http://127.0.0.1:${port}`,
      );
      const t0 = performance.now();
      await logs(moto.url, 'CreateLogGroup', { logGroupName: GROUP });
      // moto refuses events from more than 14 days ago or 2 hours ahead: the copy keeps their spacing, ending now.
      const shift = Date.now() - now;
      for (let i = 0; i < N; i++) {
        const stream = `loop-${i}`;
        await logs(moto.url, 'CreateLogStream', { logGroupName: GROUP, logStreamName: stream });
        let token: string | undefined;
        do {
          const page: { events?: { timestamp: number; message: string }[]; nextToken?: string } = await logs(
            emu.url,
            'FilterLogEvents',
            { logGroupName: GROUP, logStreamNames: [stream], limit: 10_000, ...(token ? { nextToken: token } : {}) },
          );
          const evs = (page.events ?? []).map((e) => ({ timestamp: e.timestamp + shift, message: e.message }));
          // PutLogEvents takes at most 1 MiB (26 bytes counted per event) per call.
          for (let k = 0; k < evs.length;) {
            let bytes = 0;
            let end = k;
            while (end < evs.length && bytes + evs[end]!.message.length + 26 < 1_000_000)
              bytes += evs[end++]!.message.length + 26;
            await logs(moto.url, 'PutLogEvents', {
              logGroupName: GROUP,
              logStreamName: stream,
              logEvents: evs.slice(k, end),
            });
            k = end;
          }
          token = page.nextToken;
        } while (token);
      }
      motoIngestMs = performance.now() - t0;
      motoRuns = [];
      for (const q of QUERIES.filter((x) => x.moto))
        motoRuns.push(await runQuery(moto.url, q.name, q.query, from + shift, now + shift));
    }
    console.log(
      JSON.stringify({
        applications: N,
        events,
        fillMs: Math.round(fillMs),
        emulator: emulatorRuns,
        moto: motoRuns,
        motoIngestMs: Math.round(motoIngestMs),
        maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
      }),
    );
  } finally {
    await moto?.stop();
    await emu.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});

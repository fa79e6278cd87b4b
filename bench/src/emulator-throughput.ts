/**
 * Emulator throughput against the floor (a bare Node http server answering the same bytes) and a peer
 * (moto_server), side by side in one run, each loaded by wrk at 16 connections on loopback.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, ROOT, start, type Proc } from './processes.js';
import { ensureWrk, load, type LoadResult } from './wrk.js';

const CONNECTIONS = 16;
const SECONDS = Number(process.env.MFC_BENCH_SECONDS ?? 5);
const APPS = 1000;
const AUTH =
  'AWS4-HMAC-SHA256 Credential=AKIDBENCH/20261121/us-east-1/kinesisanalytics/aws4_request, SignedHeaders=host;x-amz-date, Signature=' +
  '0'.repeat(64);
const headersFor = (op: string) => ({
  'content-type': 'application/x-amz-json-1.1',
  'x-amz-target': `KinesisAnalytics_20180523.${op}`,
  authorization: AUTH,
  'x-amz-date': '20261121T000000Z',
});

export interface ThroughputRow {
  call: string;
  emulator: LoadResult;
  floor?: LoadResult;
  moto?: LoadResult | string;
}

/**
 * Seeds applications with plain HTTP (the wire bytes the SDK would send): moto_server answers
 * CreateApplication with timestamps the SDK cannot parse, and the seed only needs the 200.
 */
async function seed(url: string, apps: number): Promise<void> {
  const create = async (name: string) => {
    const res = await fetch(`${url}/`, {
      method: 'POST',
      headers: headersFor('CreateApplication'),
      body: JSON.stringify({
        ApplicationName: name,
        RuntimeEnvironment: 'FLINK-1_20',
        ServiceExecutionRole: 'arn:aws:iam::123456789012:role/bench',
        ApplicationConfiguration: {
          ApplicationCodeConfiguration: {
            CodeContentType: 'ZIPFILE',
            CodeContent: { ZipFileContent: Buffer.from('{"not":"a manifest"}').toString('base64') },
          },
        },
      }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`CreateApplication ${name}: ${res.status} ${text.slice(0, 200)}`);
  };
  for (let i = 0; i < apps; i += 50)
    await Promise.all(
      Array.from({ length: Math.min(50, apps - i) }, (_, j) => create(`bench-${String(i + j).padStart(4, '0')}`)),
    );
}

/** A bare Node http server answering every request with fixed bytes: the floor for a JSON API. */
async function floorServer(status: number, headers: Record<string, string>, body: string): Promise<Proc> {
  const port = await freePort();
  const file = join(tmpdir(), `mfc-floor-server-${process.pid}.cjs`);
  writeFileSync(
    file,
    `const http=require('http');const body=Buffer.from(${JSON.stringify(body)});const headers=${JSON.stringify(headers)};
http.createServer((req,res)=>{req.on('data',()=>{});req.on('end',()=>{res.writeHead(${status},{...headers,'content-length':body.length});res.end(body);});}).listen(${port},'127.0.0.1',()=>console.log('floor ready'));`,
  );
  return start(process.execPath, [file], /floor ready/, `http://127.0.0.1:${port}`);
}

async function capture(url: string, op: string, body: string) {
  const res = await fetch(`${url}/`, { method: 'POST', headers: headersFor(op), body });
  const text = await res.text();
  return {
    status: res.status,
    headers: { 'content-type': res.headers.get('content-type') ?? 'application/json' },
    body: text,
  };
}

/** StartApplication is a state change: 16 workers start 1,000 READY applications, once each. */
async function startMany(url: string, apps: number): Promise<LoadResult> {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      for (;;) {
        const i = next++;
        if (i >= apps) return;
        const started = performance.now();
        const res = await fetch(`${url}/`, {
          method: 'POST',
          headers: headersFor('StartApplication'),
          body: JSON.stringify({ ApplicationName: `bench-${String(i).padStart(4, '0')}` }),
        });
        await res.arrayBuffer();
        if (!res.ok) errors++;
        latencies.push(performance.now() - started);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    requestsPerSecond: apps / seconds,
    p50Ms: latencies[Math.floor(latencies.length * 0.5)]!,
    p99Ms: latencies[Math.floor(latencies.length * 0.99)]!,
    errors,
  };
}

export async function emulatorThroughput(log: (line: string) => void): Promise<ThroughputRow[]> {
  ensureWrk();
  const port = await freePort();
  const emulator = await start(
    process.execPath,
    [
      join(ROOT, 'packages/emulator/dist/cli.js'),
      '--port',
      String(port),
      '--in-memory',
      '--time-profile',
      'instant',
      '--application-quota',
      String(APPS),
    ],
    /listening on/,
    `http://127.0.0.1:${port}`,
    { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  );
  const rows: ThroughputRow[] = [];
  let moto: Proc | undefined;
  try {
    log(`seeding ${APPS} applications in the emulator`);
    await seed(emulator.url, APPS);
    const describeBody = JSON.stringify({ ApplicationName: 'bench-0500' });
    const listBody = JSON.stringify({ Limit: 50 });

    try {
      const motoPort = await freePort();
      moto = await start(
        'moto_server',
        ['-H', '127.0.0.1', '-p', String(motoPort)],
        /Running on|Serving/,
        `http://127.0.0.1:${motoPort}`,
      );
      log(`seeding ${APPS} applications in moto_server`);
      await seed(moto.url, APPS);
    } catch (e) {
      log(`moto_server unavailable: ${(e as Error).message.slice(0, 200)}`);
      moto = undefined;
    }

    for (const [call, op, body] of [
      ['DescribeApplication', 'DescribeApplication', describeBody],
      [`ListApplications (${APPS} applications, first page of 50)`, 'ListApplications', listBody],
    ] as const) {
      const captured = await capture(emulator.url, op, body);
      const floor = await floorServer(captured.status, captured.headers, captured.body);
      log(`${call}: emulator`);
      const e = load(emulator.url, headersFor(op), body, { connections: CONNECTIONS, seconds: SECONDS });
      log(`${call}: floor`);
      const f = load(floor.url, headersFor(op), body, { connections: CONNECTIONS, seconds: SECONDS });
      await floor.stop();
      let m: LoadResult | string = 'moto_server not available';
      if (moto) {
        log(`${call}: moto_server`);
        m = load(moto.url, headersFor(op), body, { connections: CONNECTIONS, seconds: SECONDS });
      }
      rows.push({ call, emulator: e, floor: f, moto: m });
    }
    log('StartApplication: emulator');
    rows.push({
      call: `StartApplication (${APPS} applications, once each)`,
      emulator: await startMany(emulator.url, APPS),
      moto: 'moto_server does not implement StartApplication',
    });
  } finally {
    await emulator.stop();
    await moto?.stop();
  }
  return rows;
}

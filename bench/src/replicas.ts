/**
 * The console as a shared service: AWS API calls per minute for a 1,000-application fleet watched by
 * browsers on 1 replica and on 3 replicas (goal: the same number), and the push latency from an engine
 * transition to the DOM of a browser on every replica (goal: ≤ 1 s p95 with 3 replicas).
 *
 * Real parts only: PostgreSQL (Debian's, started as the tests start it), the emulator as its own process
 * behind a counting proxy that answers 404 to the emulator's own /_emulator/* routes — so the BFF takes it
 * for AWS (no change signal: it polls as it does against AWS) and every request it makes is counted —, BFF
 * replicas as child processes from the build, Chromium pages on the fleet.
 */
import { createServer, request as httpRequest, Agent, type Server } from 'node:http';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launch as launchBrowser } from '../../apps/console/scripts/browser.js';
import { ensurePostgres, startPostgres, type PostgresServer } from '../../apps/bff/test/postgres-server.js';
import { freePort, ROOT, start, type Proc } from './processes.js';

const APPS = 1000;
const RUNNING_EVERY = 10;
const PUSH_APPS = 20;
const MEASURE_SECONDS = Number(process.env.MFC_BENCH_REPLICA_SECONDS ?? 60);
const POLL_MS = Number(process.env.MFC_BENCH_REPLICA_POLL_MS ?? 500);
const SECRET = 'bench-replicas-secret-0123456789abcdef0123456789';

export interface ReplicaRun {
  replicas: number;
  store: 'sqlite' | 'postgres';
  seconds: number;
  callsPerMinute: number;
  byOperation: Record<string, number>;
  pushMs: number[];
}

export interface ReplicasResult {
  pollMs: number;
  applications: number;
  running: number;
  runs: ReplicaRun[];
}

const AUTH = `AWS4-HMAC-SHA256 Credential=AKIDBENCH/20261206/us-east-1/kinesisanalytics/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`;

async function ka(url: string, op: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${url}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `KinesisAnalytics_20180523.${op}`,
      authorization: AUTH,
      'x-amz-date': '20261206T000000Z',
    },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${op}: ${res.status} ${text.slice(0, 200)}`);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

/** Waits until every application named has the status. */
async function untilStatus(url: string, names: string[], status: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (const name of names)
    for (;;) {
      const d = (await ka(url, 'DescribeApplication', { ApplicationName: name })) as {
        ApplicationDetail: { ApplicationStatus: string };
      };
      if (d.ApplicationDetail.ApplicationStatus === status) break;
      if (Date.now() > deadline) throw new Error(`${name} is not ${status}`);
      await new Promise((r) => setTimeout(r, 200));
    }
}

/** Forwards to the emulator and counts each request by what it asks: the operation, or the dashboard. */
function countingProxy(target: string): Promise<{ url: string; counts: Map<string, number>; close(): void }> {
  const to = new URL(target);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const counts = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const url = req.url ?? '/';
    // Not an emulator to the BFF: it reads as it reads from AWS.
    if (url.startsWith('/_emulator/')) return void res.writeHead(404).end();
    const amz = req.headers['x-amz-target'];
    const key =
      typeof amz === 'string'
        ? amz.slice(amz.lastIndexOf('.') + 1)
        : url.startsWith('/flinkdashboard/')
          ? 'Flink REST (dashboard)'
          : `S3 ${req.method}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    const out = httpRequest(
      { host: to.hostname, port: to.port, method: req.method, path: url, headers: req.headers, agent },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    out.on('error', () => res.writeHead(502).end());
    req.pipe(out);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
        counts,
        close: () => {
          server.close();
          agent.destroy();
        },
      }),
    ),
  );
}

async function replica(env: Record<string, string>): Promise<Proc> {
  const port = await freePort();
  return start(
    process.execPath,
    [join(ROOT, 'apps/bff/dist/main.js')],
    /Managed Flink Console: http/,
    `http://127.0.0.1:${port}`,
    {
      PORT: String(port),
      LOG_LEVEL: 'error',
      AWS_ACCESS_KEY_ID: 'AKIDBENCH',
      AWS_SECRET_ACCESS_KEY: 'bench',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      ...env,
    },
  );
}

/** Records when each application's status badge on the page changes (the page filters to those rows). */
const WATCH = `(() => {
  const log = (window.__mfcPush = []);
  const last = new Map();
  const check = () => {
    for (const row of document.querySelectorAll('[data-testid="fleet-row"]')) {
      const app = row.getAttribute('data-app');
      const s = row.querySelector('[data-testid="status-badge"]')?.getAttribute('data-status');
      if (app && s && last.get(app) !== s) { last.set(app, s); log.push([app, s, Date.now()]); }
    }
  };
  check();
  new MutationObserver(check).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'] });
})()`;

/** Until the replica's fleet answer has every row's details and job read. */
async function untilFleetComplete(base: string): Promise<void> {
  const session = await fetch(`${base}/api/session`);
  const cookie = (session.headers.get('set-cookie') ?? '').split(';')[0]!;
  const deadline = Date.now() + 180_000;
  for (;;) {
    const fleet = (await (await fetch(`${base}/api/applications`, { headers: { cookie } })).json()) as {
      applications: { detailsPending?: boolean; jobHealth: { unread?: { pending?: boolean }[] } }[];
    };
    if (!fleet.applications.some((a) => a.detailsPending || a.jobHealth.unread?.some((u) => u.pending))) return;
    if (Date.now() > deadline) throw new Error(`${base}: the fleet's details are still pending`);
    await new Promise((r) => setTimeout(r, 1_000));
  }
}

async function openFleet(browser: Browser, base: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${base}/?q=push-`, { waitUntil: 'load' });
  await page.waitForSelector('[data-testid="fleet-row"][data-app="push-0"]', { timeout: 60_000 });
  await page.evaluate(WATCH);
  return page;
}

async function measure(
  browser: Browser,
  emulator: string,
  proxy: Awaited<ReturnType<typeof countingProxy>>,
  pg: PostgresServer | undefined,
  replicas: number,
  log: (line: string) => void,
): Promise<ReplicaRun> {
  const env: Record<string, string> = {
    MFC_TARGET: 'aws',
    MFC_ENDPOINT: proxy.url,
    MFC_MODE: 'demo',
    MFC_SESSION_SECRET: SECRET,
    MFC_POLL_MS: String(POLL_MS),
    MFC_IN_MEMORY: pg ? '0' : '1',
    ...(pg ? { MFC_DATABASE_URL: await pg.createDatabase('bench') } : {}),
  };
  const procs = await Promise.all(
    Array.from({ length: replicas }, (_, i) => replica({ ...env, MFC_REPLICA_ID: `bench-${i}` })),
  );
  try {
    const pages = await Promise.all(procs.map((p) => openFleet(browser, p.url)));
    // Steady state: every replica has read its fleet's details and jobs (a cold replica reads each
    // application once), the leaders are elected and primed.
    await Promise.all(procs.map((p) => untilFleetComplete(p.url)));
    await new Promise((r) => setTimeout(r, 5_000));
    proxy.counts.clear();
    log(`replicas: ${replicas} × ${pg ? 'postgres' : 'sqlite'}: counting AWS calls for ${MEASURE_SECONDS} s`);
    await new Promise((r) => setTimeout(r, MEASURE_SECONDS * 1000));
    const byOperation: Record<string, number> = Object.fromEntries(
      [...proxy.counts].map(([k, v]): [string, number] => [k, (v * 60) / MEASURE_SECONDS]).sort((a, b) => b[1] - a[1]),
    );
    const callsPerMinute = Object.values(byOperation).reduce((a, b) => a + b, 0);
    log(`replicas: ${Math.round(callsPerMinute)} calls a minute: ${JSON.stringify(byOperation)}`);

    // Push latency: stop each push-N application and time its STOPPING on every page.
    const pushMs: number[] = [];
    for (let i = 0; i < PUSH_APPS; i++) {
      const app = `push-${i}`;
      const sent = Date.now();
      await ka(emulator, 'StopApplication', { ApplicationName: app });
      const seen = await Promise.all(
        pages.map(async (page) => {
          // A function, not a string: the console's CSP forbids eval.
          await page.waitForFunction(
            (a: string) =>
              (globalThis as unknown as { __mfcPush: [string, string, number][] }).__mfcPush.some(
                ([x, s]) => x === a && s === 'STOPPING',
              ),
            app,
            { timeout: 30_000, polling: 50 },
          );
          const entries = await page.evaluate(
            () => (globalThis as unknown as { __mfcPush: [string, string, number][] }).__mfcPush,
          );
          return entries.find(([x, s]) => x === app && s === 'STOPPING')![2];
        }),
      );
      for (const t of seen) pushMs.push(t - sent);
      log(`replicas: ${app} STOPPING on ${pages.length} pages after ${seen.map((t) => t - sent).join(', ')} ms`);
    }
    for (const p of pages) await p.context().close();
    // Back to RUNNING for the next configuration.
    const push = Array.from({ length: PUSH_APPS }, (_, i) => `push-${i}`);
    await untilStatus(emulator, push, 'READY');
    for (const app of push) await ka(emulator, 'StartApplication', { ApplicationName: app });
    await untilStatus(emulator, push, 'RUNNING');
    return {
      replicas,
      store: pg ? 'postgres' : 'sqlite',
      seconds: MEASURE_SECONDS,
      callsPerMinute,
      byOperation,
      pushMs,
    };
  } finally {
    await Promise.all(procs.map((p) => p.stop()));
  }
}

export async function replicasBench(log: (line: string) => void): Promise<ReplicasResult> {
  const port = await freePort();
  const emulator = await start(
    process.execPath,
    [
      join(ROOT, 'packages/emulator/dist/cli.js'),
      '--port',
      String(port),
      '--in-memory',
      '--time-profile',
      'fast',
      '--application-quota',
      String(APPS + PUSH_APPS),
    ],
    /listening on/,
    `http://127.0.0.1:${port}`,
  );
  let pg: PostgresServer | undefined;
  let browser: Browser | undefined;
  const proxy = await countingProxy(emulator.url);
  try {
    log(`replicas: creating ${APPS} applications, starting one in ${RUNNING_EVERY} and ${PUSH_APPS} to stop`);
    const code = {
      ApplicationCodeConfiguration: {
        CodeContentType: 'ZIPFILE',
        CodeContent: { ZipFileContent: Buffer.from('{"not":"a manifest"}').toString('base64') },
      },
    };
    const names = [
      ...Array.from({ length: APPS }, (_, i) => `app-${String(i).padStart(4, '0')}`),
      ...Array.from({ length: PUSH_APPS }, (_, i) => `push-${i}`),
    ];
    for (let i = 0; i < names.length; i += 32)
      await Promise.all(
        names.slice(i, i + 32).map((n) =>
          ka(emulator.url, 'CreateApplication', {
            ApplicationName: n,
            RuntimeEnvironment: 'FLINK-1_20',
            ServiceExecutionRole: 'arn:aws:iam::123456789012:role/bench',
            ApplicationConfiguration: code,
          }),
        ),
      );
    const toStart = names.filter((n, i) => n.startsWith('push-') || i % RUNNING_EVERY === 0);
    for (let i = 0; i < toStart.length; i += 32)
      await Promise.all(
        toStart.slice(i, i + 32).map((n) => ka(emulator.url, 'StartApplication', { ApplicationName: n })),
      );
    await untilStatus(emulator.url, toStart, 'RUNNING');
    ensurePostgres();
    pg = await startPostgres();
    browser = await launchBrowser();
    const runs: ReplicaRun[] = [];
    runs.push(await measure(browser, emulator.url, proxy, undefined, 1, log));
    runs.push(await measure(browser, emulator.url, proxy, pg, 1, log));
    runs.push(await measure(browser, emulator.url, proxy, pg, 3, log));
    return { pollMs: POLL_MS, applications: APPS + PUSH_APPS, running: toStart.length, runs };
  } finally {
    await browser?.close();
    proxy.close();
    pg?.remove();
    await emulator.stop();
  }
}

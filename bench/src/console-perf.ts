/**
 * Console performance in Chromium against the real product: the BFF started in this process with its
 * embedded emulator (application quota raised to 1,000), 1,000 applications created and some started
 * through the AWS SDK, two of them running a 64-vertex job at parallelism 256 (a code package manifest,
 * no synthetic JSON). The built console is served by that BFF. Measured, each in a fresh browser context:
 *
 * - fleet: first status badge painted after navigation, then a scroll from top to bottom (long tasks);
 * - job graph: click on the tab to 64 vertices painted (long tasks), and a job restarting every few
 *   seconds (its subtask states streamed over SSE) watched for a while (long tasks during updates);
 * - SSE: a StopApplication through the SDK, from the engine's transition to the status badge changing
 *   in the DOM (MutationObserver in the page), for STOPPING and READY;
 * - idle: requests per minute on the fleet, an application's overview and its job graph;
 * - initial JavaScript: the entry HTML's scripts and their static imports, gzip.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  CreateApplicationCommand,
  KinesisAnalyticsV2Client,
  StartApplicationCommand,
  StopApplicationCommand,
} from '@aws-sdk/client-kinesis-analytics-v2';
import { createLogger, loadConfig, startBff, type Bff } from '@mfc/bff';
import { adminContext } from '@mfc/engine';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launch, SCROLL_TO_BOTTOM, type ScrollResult } from '../../apps/console/scripts/browser.js';
import { ROOT } from './processes.js';
import { mainThreadTasks, TRACE_CATEGORIES, TRACE_CATEGORIES_WITH_JS } from './trace.js';

const APPS = 1000;
/** Every RUNNING_EVERY-th small application is started. */
const RUNNING_EVERY = 10;
const VERTICES = 64;
const PARALLELISM = 256;
const REPEATS = Number(process.env.MFC_BENCH_REPEATS ?? 5);
const IDLE_SECONDS = Number(process.env.MFC_BENCH_IDLE_SECONDS ?? 60);
const UPDATE_SECONDS = Number(process.env.MFC_BENCH_UPDATE_SECONDS ?? 20);
const LONG_TASK_MS = 50;
const BIG = 'big-job';
const FLAPPING = 'big-job-restarting';
/** The built console (MFC_BENCH_CONSOLE_DIR: another build, to compare before and after). */
const CONSOLE_DIST = process.env.MFC_BENCH_CONSOLE_DIR ?? join(ROOT, 'apps/console/dist');
/**
 * MFC_BENCH_TRACE_DIR: keep the Chromium trace of each fleet scroll that had a long task (MFC_BENCH_TRACE_JS=1
 * adds the JS sampling profiler to it, which slows the page; MFC_BENCH_TRACE_ALL=1 keeps every trace).
 */
const TRACE_DIR = process.env.MFC_BENCH_TRACE_DIR;

export interface ServerLoad {
  cpuMsPerSecond: number;
  readsPerSecond: number;
}

export interface LongTasks {
  count: number;
  maxMs: number;
}

export interface ConsoleResult {
  browser: string;
  /** The machine's 1-minute load average when each measurement started (the machine is shared). */
  loadAverage: number[];
  setup: { applications: number; running: number; createMs: number; startMs: number };
  /**
   * The BFF's answers, timed from this process: the fleet first after start (its rows' details pending),
   * until no row is pending (read in the background), then warm; and the big job.
   */
  api: { fleetColdMs: number; fleetColdPending: number; fleetCompleteMs: number; fleetMs: number[]; jobMs: number[] };
  /**
   * The BFF with its embedded emulator while one browser's SSE stream is open and nothing changes: CPU of
   * this process and lifecycle reads per second, with the pollers asking the emulator's generation first,
   * and reading on every poll as they must against AWS.
   */
  serverIdle: { seconds: number; signal: ServerLoad; everyPoll: ServerLoad; watchingJob: ServerLoad };
  fleet: {
    /** Navigation start to the first status badge painted, per fresh context. */
    firstStatusMs: number[];
    /** Navigation start to the fleet API request's start and response's end, per fresh context. */
    apiStartMs: number[];
    apiDoneMs: number[];
    /**
     * The same first status with the BFF's caches emptied first (as right after a start): its rows come
     * pending; and navigation start to the last pending row on screen filled in.
     */
    cold: { firstStatusMs: number[]; completeMs: number[] };
    scroll: {
      frames: number;
      ms: number;
      worstFrameMs: number;
      longTasks: LongTasks;
      /** From a Chromium trace of the same scroll: the main thread's tasks with their thread (CPU) time. */
      traced: TracedTasks & { cpuPerFrameMs: number };
    }[];
  };
  job: {
    /**
     * Click on the tab to 64 vertices painted: first open in a fresh page (once the page's prefetch of
     * the job view has been answered), and again after a tab switch.
     */
    firstMs: number[];
    /** The job view's request in that page (the prefetch), start to answer: the BFF's share. */
    jobApiMs: number[];
    firstLongTasks: LongTasks[];
    /** The same first opens in a Chromium trace. */
    firstTraced: TracedTasks[];
    againMs: number[];
    againLongTasks: LongTasks[];
    elements: number;
    updates: { seconds: number; events: number; eventKb: number; domUpdates: number; longTasks: LongTasks };
  };
  sse: {
    page: string;
    transition: string;
    engineToDomMs: number;
    callToDomMs: number;
    /** The console's share: from the SSE message's arrival in the page to the DOM. */
    messageToDomMs: number;
  }[];
  idle: { page: string; seconds: number; requests: number; perMinute: number; urls: string[] }[];
  initialJs: { gzipKb: number; files: number; fleetChunkGzipKb: number };
}

type Log = (line: string) => void;

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** The code package of the big jobs: 64 unchained operators, a tree from one source, at parallelism 256. */
function bigManifest(restartEverySeconds?: number): string {
  const strategies = ['HASH', 'FORWARD', 'REBALANCE'] as const;
  return JSON.stringify({
    mfcManifest: 1,
    name: 'Big job',
    version: '1.0.0',
    mainClass: 'com.example.BigJob',
    operators: Array.from({ length: VERTICES }, (_, i) => ({
      uid: `op${i}`,
      name:
        i === 0
          ? 'Source: Kinesis source'
          : `Operator ${i}: ${i % 3 === 0 ? 'Window aggregate over a long key' : 'Map'}`,
      ...(i === 0 ? { recordsPerSecond: 50_000 } : { inputs: [`op${Math.floor((i - 1) / 2)}`] }),
      chain: false,
      ...(i > 0 ? { partitioning: strategies[i % 3] } : {}),
    })),
    faults: restartEverySeconds ? [{ kind: 'fail-after', afterSeconds: restartEverySeconds }] : [],
  });
}

export async function setup(
  log: Log,
): Promise<{ bff: Bff; sdk: KinesisAnalyticsV2Client; setup: ConsoleResult['setup'] }> {
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    MFC_IN_MEMORY: '1',
    MFC_DEMO: '0',
    MFC_APPLICATION_QUOTA: String(APPS),
    MFC_CONSOLE_DIR: CONSOLE_DIST,
    LOG_LEVEL: 'error',
  });
  const bff = await startBff(config, createLogger('error'));
  const sdk = new KinesisAnalyticsV2Client({
    endpoint: bff.emulator!.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench' },
  });
  const create = (name: string, manifest?: string) =>
    sdk.send(
      new CreateApplicationCommand({
        ApplicationName: name,
        RuntimeEnvironment: 'FLINK-1_20',
        ServiceExecutionRole: 'arn:aws:iam::123456789012:role/bench',
        ApplicationConfiguration: {
          ApplicationCodeConfiguration: {
            CodeContentType: 'ZIPFILE',
            CodeContent: { ZipFileContent: Buffer.from(manifest ?? '{"not":"a manifest"}') },
          },
          ...(manifest
            ? {
                FlinkApplicationConfiguration: {
                  ParallelismConfiguration: {
                    ConfigurationType: 'CUSTOM',
                    Parallelism: PARALLELISM,
                    ParallelismPerKPU: 4,
                    AutoScalingEnabled: false,
                  },
                },
              }
            : {}),
        },
      }),
    );
  const small = Array.from({ length: APPS - 2 }, (_, i) => `app-${String(i).padStart(4, '0')}`);
  log(`console: creating ${APPS} applications through the AWS SDK`);
  const t0 = performance.now();
  await create(BIG, bigManifest());
  await create(FLAPPING, bigManifest(4));
  for (let i = 0; i < small.length; i += 16) await Promise.all(small.slice(i, i + 16).map((n) => create(n)));
  const createMs = performance.now() - t0;
  const toStart = [BIG, ...small.filter((_, i) => i % RUNNING_EVERY === 0)];
  log(`console: starting ${toStart.length} of them`);
  const t1 = performance.now();
  for (let i = 0; i < toStart.length; i += 16)
    await Promise.all(
      toStart.slice(i, i + 16).map((n) => sdk.send(new StartApplicationCommand({ ApplicationName: n }))),
    );
  await waitFor(() => toStart.every((n) => engineStatus(bff, n) === 'RUNNING'), 120_000, 'applications RUNNING');
  await waitFor(() => subtasksRunning(bff, BIG), 120_000, `${BIG} subtasks RUNNING`);
  const startMs = performance.now() - t1;
  return { bff, sdk, setup: { applications: APPS, running: toStart.length, createMs, startMs } };
}

function engineStatus(bff: Bff, name: string): string | undefined {
  return bff.emulator!.engine().core.findApp(adminContext(), name)?.status;
}

function subtasksRunning(bff: Bff, name: string): boolean {
  const engine = bff.emulator!.engine();
  const app = engine.core.findApp(adminContext(), name);
  const cluster = app ? engine.store.clusters.get(app.key) : undefined;
  return cluster?.job?.processingSince !== undefined;
}

async function waitFor(ok: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** In every page from its first script: long tasks (buffered), and the first fleet status painted. */
const INIT_SCRIPT = `(() => {
  const m = (window.__mfc = { longTasks: [], firstStatus: undefined, sse: [] });
  // When each application event arrived in the page (before the console's own handler runs).
  const ES = window.EventSource;
  window.EventSource = class extends ES {
    constructor(url, init) {
      super(url, init);
      this.addEventListener('message', (e) => {
        if (!e.data.startsWith('{"type":"application"')) return;
        const d = JSON.parse(e.data);
        m.sse.push([d.application, d.status, performance.timeOrigin + performance.now()]);
      });
    }
  };
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) m.longTasks.push([e.startTime, e.duration]);
    }).observe({ type: 'longtask', buffered: true });
  } catch {}
  const sel = '[data-testid="fleet-row"] [data-testid="status-badge"]';
  const mo = new MutationObserver(() => {
    if (!document.querySelector(sel)) return;
    mo.disconnect();
    const seen = performance.now();
    requestAnimationFrame(() => setTimeout(() => (m.firstStatus = { seen, painted: performance.now() }), 0));
  });
  mo.observe(document, { childList: true, subtree: true });
  setTimeout(() => mo.disconnect(), 15000);
})()`;

/**
 * Polls an expression in the page (page.waitForFunction with a string needs eval, which the console's
 * CSP forbids; the bench keeps the CSP on). Only waits: every timing is taken inside the page.
 */
async function until(page: Page, expression: string, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await page.evaluate<boolean>(expression))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${expression}`);
    await sleep(50);
  }
}

async function longTasksBetween(page: Page, from: number, to: number): Promise<LongTasks> {
  const all = await page.evaluate<[number, number][]>('window.__mfc.longTasks');
  const d = all.filter(([start, duration]) => start + duration >= from && start <= to).map(([, duration]) => duration);
  return { count: d.filter((x) => x > LONG_TASK_MS).length, maxMs: d.length ? Math.max(...d) : 0 };
}

/**
 * What arrived just before or during each long task in [from, to] (fetches, chunks, SSE messages): a lead
 * on its cause, since the longtask entry itself names only the frame.
 */
async function aroundLongTasks(page: Page, from: number, to: number): Promise<string> {
  return page.evaluate<string>(`(() => {
    const tasks = window.__mfc.longTasks.filter(([s, d]) => d > ${LONG_TASK_MS} && s + d >= ${from} && s <= ${to});
    const resources = performance.getEntriesByType('resource');
    return tasks.map(([s, d]) => {
      const near = resources
        .filter((e) => e.responseEnd >= s - 100 && e.responseEnd <= s + d)
        .map((e) => e.name.replace(/^https?:\\/\\/[^/]+/, '') + ' done ' + (e.responseEnd - s).toFixed(0) + ' ms');
      const sse = window.__mfc.sse.filter(([, , t]) => t - performance.timeOrigin >= s - 100 && t - performance.timeOrigin <= s + d).length;
      return d.toFixed(0) + ' ms at ' + s.toFixed(0) + ': ' + (near.join(', ') || 'no resource') + (sse ? ', ' + sse + ' SSE application events' : '');
    }).join('; ');
  })()`);
}

async function newPage(browser: Browser, url: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await context.addInitScript({ content: INIT_SCRIPT });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(url);
  return { context, page };
}

async function fleet(browser: Browser, base: string, log: Log): Promise<ConsoleResult['fleet']> {
  const out: ConsoleResult['fleet'] = {
    firstStatusMs: [],
    apiStartMs: [],
    apiDoneMs: [],
    scroll: [],
    cold: { firstStatusMs: [], completeMs: [] },
  };
  for (let r = 0; r < REPEATS; r++) {
    const { context, page } = await newPage(browser, `${base}/`);
    await until(page, 'window.__mfc.firstStatus !== undefined', 30_000);
    const first = await page.evaluate<{ painted: number }>('window.__mfc.firstStatus');
    const api = await page.evaluate<{ start: number; end: number; timeline: string }>(`(() => {
      const all = performance.getEntriesByType('resource');
      const e = all.find((e) => e.name.endsWith('/api/applications'));
      const timeline = all
        .filter((e) => e.startTime < ${first.painted})
        .map((e) => e.name.replace(/^https?:\\/\\/[^/]+/, '') + ' ' + e.startTime.toFixed(0) + '–' + e.responseEnd.toFixed(0))
        .join(', ');
      return { start: e ? e.startTime : NaN, end: e ? e.responseEnd : NaN, timeline };
    })()`);
    out.firstStatusMs.push(first.painted);
    out.apiStartMs.push(api.start);
    out.apiDoneMs.push(api.end);
    await until(
      page,
      `document.querySelector('[data-testid="fleet-table"]')?.getAttribute('data-total') === '${APPS}'`,
    );
    // The page is open and idle: what the BFF with its embedded emulator (this process) costs meanwhile (logged).
    const idle0 = process.cpuUsage();
    const idleT0 = performance.now();
    await sleep(1500);
    const idleCpu = process.cpuUsage(idle0);
    const serverCpuIdle = (idleCpu.user + idleCpu.system) / 1000 / ((performance.now() - idleT0) / 1000);
    // This process's CPU during the scroll itself (not reading the trace afterwards).
    let serverCpu = { user: 0, system: 0 };
    // Traced: a long task's thread time tells the page's work from a wait for a core.
    const { value: scroll, tasks } = await traced(browser, page, `fleet-scroll-${r + 1}`, log, async () => {
      const cpu0 = process.cpuUsage();
      const result = await page.evaluate<ScrollResult>(SCROLL_TO_BOTTOM);
      serverCpu = process.cpuUsage(cpu0);
      return result;
    });
    const rows = await page.locator('[data-testid="fleet-row"]').count();
    const longTasks = await longTasksBetween(page, scroll.t0, scroll.t1);
    const traceOf = { ...tasks, cpuPerFrameMs: tasks.cpuMs / scroll.frames };
    out.scroll.push({
      frames: scroll.frames,
      ms: scroll.t1 - scroll.t0,
      worstFrameMs: scroll.worst,
      longTasks,
      traced: traceOf,
    });
    log(
      `console fleet #${r + 1}: first status ${first.painted.toFixed(0)} ms [${api.timeline}]; scroll ${scroll.frames} frames, ${rows} rows in the DOM, worst frame ${scroll.worst.toFixed(0)} ms, long tasks ${longTasks.count} (max ${longTasks.maxMs.toFixed(0)} ms); traced: main thread ${traceOf.cpuPerFrameMs.toFixed(1)} ms CPU a frame, ${describeTraced(tasks)}, BFF and emulator ${((serverCpu.user + serverCpu.system) / 1000 / ((scroll.t1 - scroll.t0) / 1000)).toFixed(0)} ms CPU a second (${serverCpuIdle.toFixed(0)} before, idle)${longTasks.count ? `; around them: ${await aroundLongTasks(page, scroll.t0, scroll.t1)}` : ''}`,
    );
    await context.close();
  }
  return out;
}

/** Click on the job tab to all vertices painted, measured in the page. */
const OPEN_JOB_TAB = `(async () => {
  const t0 = performance.now();
  document.querySelector('[data-testid="tab-job"]').click();
  const done = () => document.querySelectorAll('[data-testid="job-vertex"]').length === ${VERTICES};
  if (!done())
    await new Promise((resolve) => {
      const mo = new MutationObserver(() => { if (done()) { mo.disconnect(); resolve(); } });
      mo.observe(document.body, { childList: true, subtree: true });
    });
  await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  return { t0, t1: performance.now() };
})()`;

async function jobGraph(browser: Browser, base: string, log: Log): Promise<ConsoleResult['job']> {
  const out: Omit<ConsoleResult['job'], 'updates' | 'elements'> = {
    firstMs: [],
    jobApiMs: [],
    firstLongTasks: [],
    firstTraced: [],
    againMs: [],
    againLongTasks: [],
  };
  let elements = 0;
  for (let r = 0; r < REPEATS; r++) {
    const { context, page } = await newPage(browser, `${base}/applications/${BIG}`);
    await page.waitForSelector('[data-testid="application-header"]');
    // The application page fetches the job view ahead while idle; the BFF takes seconds to answer it
    // for this job (timed apart, jobApiMs), so the click waits for that answer: what is timed is the
    // console's own work from the click.
    const jobEntry = `performance.getEntriesByType('resource').find((e) => e.name.endsWith('/api/applications/${BIG}/job'))`;
    // (A console without that prefetch, measured for comparison, makes the request after the click.)
    const prefetched = await until(page, `(${jobEntry}) !== undefined`, 5_000).then(
      () => true,
      () => false,
    );
    if (prefetched) await until(page, `(${jobEntry}).responseEnd > 0`, 60_000);
    const jobApi = prefetched
      ? await page.evaluate<number>(`(() => { const e = ${jobEntry}; return e.responseEnd - e.startTime; })()`)
      : NaN;
    await sleep(1000);
    const { value: first, tasks: firstTraced } = await traced(browser, page, `job-graph-${r + 1}`, log, () =>
      page.evaluate<{ t0: number; t1: number }>(OPEN_JOB_TAB),
    );
    const firstLong = await longTasksBetween(page, first.t0, first.t1);
    elements = await page.evaluate<number>(
      `document.querySelector('[data-testid="job-graph"]').querySelectorAll('*').length`,
    );
    await page.click('[data-testid="tab-overview"]');
    await page.waitForSelector('[data-testid="panel-overview"]');
    await sleep(1000);
    const again = await page.evaluate<{ t0: number; t1: number }>(OPEN_JOB_TAB);
    const againLong = await longTasksBetween(page, again.t0, again.t1);
    out.firstMs.push(first.t1 - first.t0);
    out.firstLongTasks.push(firstLong);
    out.firstTraced.push(firstTraced);
    out.jobApiMs.push(jobApi);
    out.againMs.push(again.t1 - again.t0);
    out.againLongTasks.push(againLong);
    log(
      `console job graph #${r + 1}: first ${(first.t1 - first.t0).toFixed(0)} ms (job API ${jobApi.toFixed(0)} ms before it; long tasks ${firstLong.count}, max ${firstLong.maxMs.toFixed(0)} ms; traced: ${describeTraced(firstTraced)}); again ${(again.t1 - again.t0).toFixed(0)} ms (long tasks ${againLong.count}, max ${againLong.maxMs.toFixed(0)} ms); ${elements} elements`,
    );
    await context.close();
  }
  return {
    ...out,
    elements,
    updates: { seconds: 0, events: 0, eventKb: 0, domUpdates: 0, longTasks: { count: 0, maxMs: 0 } },
  };
}

/** The restarting job's graph on screen while its subtasks move: SSE job events and long tasks. */
async function jobUpdates(
  browser: Browser,
  base: string,
  bff: Bff,
  sdk: KinesisAnalyticsV2Client,
  log: Log,
): Promise<ConsoleResult['job']['updates']> {
  await sdk.send(new StartApplicationCommand({ ApplicationName: FLAPPING }));
  await waitFor(() => subtasksRunning(bff, FLAPPING), 120_000, `${FLAPPING} subtasks RUNNING`);
  const { context, page } = await newPage(browser, `${base}/applications/${FLAPPING}/job`);
  const cdp = await context.newCDPSession(page);
  let events = 0;
  let bytes = 0;
  cdp.on('Network.eventSourceMessageReceived', (e: { data: string }) => {
    if (!e.data.startsWith('{"type":"job"')) return;
    events++;
    bytes += e.data.length;
  });
  await cdp.send('Network.enable');
  await until(page, `document.querySelectorAll('[data-testid="job-vertex"]').length === ${VERTICES}`);
  await sleep(1000);
  const t0 = await page.evaluate<number>(`(() => {
    window.__mfc.domUpdates = 0;
    new MutationObserver(() => window.__mfc.domUpdates++).observe(document.querySelector('[data-testid="job-graph"]'), {
      subtree: true, childList: true, attributes: true,
    });
    return performance.now();
  })()`);
  events = 0;
  bytes = 0;
  await sleep(UPDATE_SECONDS * 1000);
  const t1 = await page.evaluate<number>('performance.now()');
  const domUpdates = await page.evaluate<number>('window.__mfc.domUpdates');
  const longTasks = await longTasksBetween(page, t0, t1);
  await context.close();
  await sdk.send(new StopApplicationCommand({ ApplicationName: FLAPPING, Force: true }));
  await waitFor(() => engineStatus(bff, FLAPPING) === 'READY', 60_000, `${FLAPPING} READY`);
  const updates = {
    seconds: (t1 - t0) / 1000,
    events,
    eventKb: events ? bytes / events / 1024 : 0,
    domUpdates,
    longTasks,
  };
  log(
    `console job updates: ${events} job events (${updates.eventKb.toFixed(0)} KB each) in ${updates.seconds.toFixed(0)} s, ${domUpdates} DOM mutation batches; long tasks ${longTasks.count} (max ${longTasks.maxMs.toFixed(0)} ms)`,
  );
  return updates;
}

/** Records when the status badge matched by `selector` changes, in wall-clock milliseconds. */
const WATCH_STATUS = (selector: string) => `(() => {
  const log = (window.__mfc.statusLog = []);
  let last;
  const check = () => {
    const s = document.querySelector(${JSON.stringify(selector)})?.getAttribute('data-status');
    if (s && s !== last) { last = s; log.push([s, performance.timeOrigin + performance.now()]); }
  };
  check();
  new MutationObserver(check).observe(document.body, {
    subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'],
  });
})()`;

/** StopApplication through the SDK; engine transitions (polled in this process) against the DOM's. */
async function sseLatency(
  browser: Browser,
  base: string,
  bff: Bff,
  sdk: KinesisAnalyticsV2Client,
  log: Log,
): Promise<ConsoleResult['sse']> {
  const out: ConsoleResult['sse'] = [];
  const measure = async (page: Page, pageName: string, app: string, selector: string) => {
    await page.waitForSelector(selector);
    await page.evaluate(WATCH_STATUS(selector));
    const engine: [string, number][] = [];
    let last = engineStatus(bff, app);
    const poll = setInterval(() => {
      const s = engineStatus(bff, app);
      if (s !== last) engine.push([(last = s!), now()]);
    }, 1);
    const callStart = now();
    await sdk.send(new StopApplicationCommand({ ApplicationName: app }));
    const s = engineStatus(bff, app);
    if (s !== last) engine.push([(last = s!), now()]);
    await until(page, `window.__mfc.statusLog.some(([s]) => s === 'READY')`, 60_000);
    clearInterval(poll);
    const dom = await page.evaluate<[string, number][]>('window.__mfc.statusLog');
    const messages = await page.evaluate<[string, string, number][]>('window.__mfc.sse');
    for (const transition of ['STOPPING', 'READY']) {
      const e = engine.find(([st]) => st === transition)?.[1];
      const d = dom.find(([st]) => st === transition)?.[1];
      const msg = messages.find(([a, st]) => a === app && st === transition)?.[2];
      if (e === undefined || d === undefined) continue;
      const messageToDomMs = msg === undefined ? NaN : d - msg;
      out.push({ page: pageName, transition, engineToDomMs: d - e, callToDomMs: d - callStart, messageToDomMs });
      log(
        `console SSE ${pageName} ${app} → ${transition}: engine to DOM ${(d - e).toFixed(0)} ms (SSE message to DOM ${messageToDomMs.toFixed(0)} ms)`,
      );
    }
    // Back to RUNNING for the next measurements.
    await sdk.send(new StartApplicationCommand({ ApplicationName: app }));
  };
  const running = Array.from(
    { length: REPEATS * 2 },
    (_, i) => `app-${String((i + 1) * RUNNING_EVERY).padStart(4, '0')}`,
  );
  for (const [i, app] of running.entries()) {
    const onFleet = i < REPEATS;
    // On the fleet, searched by name so that its row is on screen.
    const { context, page } = await newPage(browser, onFleet ? `${base}/?q=${app}` : `${base}/applications/${app}`);
    await sleep(1500);
    await measure(
      page,
      onFleet ? 'fleet' : 'application',
      app,
      onFleet
        ? `[data-testid="fleet-row"][data-app="${app}"] [data-testid="status-badge"]`
        : '[data-testid="application-header"] [data-testid="status-badge"]',
    );
    await context.close();
  }
  return out;
}

async function idle(browser: Browser, base: string, log: Log): Promise<ConsoleResult['idle']> {
  const out: ConsoleResult['idle'] = [];
  const pages: [string, string][] = [
    ['fleet', '/'],
    ['application overview (RUNNING)', `/applications/app-0100`],
    [`job graph (${VERTICES} × ${PARALLELISM}, RUNNING)`, `/applications/${BIG}/job`],
  ];
  for (const [name, path] of pages) {
    const { context, page } = await newPage(browser, `${base}${path}`);
    await sleep(5000);
    const urls: string[] = [];
    page.on('request', (r) => urls.push(`${r.method()} ${r.url().slice(base.length)}`));
    await sleep(IDLE_SECONDS * 1000);
    await context.close();
    const perMinute = (urls.length * 60) / IDLE_SECONDS;
    out.push({ page: name, seconds: IDLE_SECONDS, requests: urls.length, perMinute, urls });
    log(`console idle ${name}: ${urls.length} requests in ${IDLE_SECONDS} s: ${urls.join(', ')}`);
  }
  return out;
}

/** The entry HTML's module scripts and modulepreloads, with their static imports: gzip bytes. */
export function initialJs(dist = CONSOLE_DIST): ConsoleResult['initialJs'] {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const roots = [
    ...[...html.matchAll(/<script[^>]+type="module"[^>]*src="([^"]+)"/g)].map((m) => m[1]!),
    ...[...html.matchAll(/<link[^>]+rel="modulepreload"[^>]*href="([^"]+)"/g)].map((m) => m[1]!),
  ].map((src) => join(dist, src.replace(/^\//, '')));
  const seen = new Set<string>();
  /** Gzip bytes of these files and their static imports (dynamic `import(` excluded), each file once. */
  const closure = (queue: string[]): number => {
    let total = 0;
    while (queue.length > 0) {
      const file = queue.shift()!;
      if (seen.has(file)) continue;
      seen.add(file);
      const code = readFileSync(file);
      total += gzipSync(code, { level: 9 }).length;
      for (const m of code
        .toString('utf8')
        .matchAll(/(?:^|[;}\s])import\s*(?:[\w$*{}\s,]+?\s*from\s*)?["'`]([^"'`]+)["'`]/g))
        if (m[1]!.startsWith('.')) queue.push(resolve(dirname(file), m[1]!));
    }
    return total;
  };
  const total = closure([...roots]);
  const files = seen.size;
  // The fleet's chunk is lazy (not counted above) but loads right after the entry on the fleet page.
  const fleetChunk = /import\(["'`](\.\/FleetPage-[\w-]+\.js)["'`]\)/.exec(readFileSync(roots[0]!, 'utf8'))?.[1];
  const fleetChunkGzipKb = fleetChunk ? closure([resolve(dirname(roots[0]!), fleetChunk)]) / 1024 : NaN;
  return { gzipKb: total / 1024, files, fleetChunkGzipKb };
}

/** A Chromium trace's verdict on the page's main thread: its long tasks with their CPU time. */
export interface TracedTasks {
  longTasks: { wallMs: number; cpuMs: number }[];
  maxCpuMs: number;
  cpuMs: number;
}

/**
 * Runs `run` while Chromium traces the page (light categories), and reads the main thread's tasks from the
 * trace. With MFC_BENCH_TRACE_DIR the trace is kept when it has a long task (or always, MFC_BENCH_TRACE_ALL).
 */
async function traced<T>(
  browser: Browser,
  page: Page,
  label: string,
  log: Log,
  run: () => Promise<T>,
): Promise<{ value: T; tasks: TracedTasks }> {
  await browser.startTracing(page, {
    categories: process.env.MFC_BENCH_TRACE_JS ? TRACE_CATEGORIES_WITH_JS : TRACE_CATEGORIES,
  });
  let value: T;
  let trace: Buffer;
  try {
    value = await run();
  } finally {
    trace = await browser.stopTracing();
  }
  const all = mainThreadTasks(trace);
  const tasks: TracedTasks = {
    longTasks: all.filter((t) => t.wallMs > LONG_TASK_MS).map(({ wallMs, cpuMs }) => ({ wallMs, cpuMs })),
    maxCpuMs: Math.max(0, ...all.map((t) => t.cpuMs)),
    cpuMs: all.reduce((sum, t) => sum + t.cpuMs, 0),
  };
  if (TRACE_DIR && (tasks.longTasks.length > 0 || process.env.MFC_BENCH_TRACE_ALL)) {
    const file = join(TRACE_DIR, `${label}-${Date.now()}.json`);
    mkdirSync(TRACE_DIR, { recursive: true });
    writeFileSync(file, trace);
    log(`console ${label}: trace written to ${file}`);
  }
  return { value, tasks };
}

const describeTraced = (t: TracedTasks) =>
  `longest task's CPU ${t.maxCpuMs.toFixed(0)} ms, tasks over ${LONG_TASK_MS} ms wall [${t.longTasks.map((x) => `${x.wallMs.toFixed(0)} ms wall / ${x.cpuMs.toFixed(0)} ms CPU`).join(', ')}]`;

/** A demo session's cookie (the BFF signs in whoever asks in demo mode). */
async function demoSessionCookie(base: string): Promise<string> {
  const session = await fetch(`${base}/api/session`);
  return session.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

/** See ConsoleResult.serverIdle. */
async function serverIdle(bff: Bff, log: Log): Promise<ConsoleResult['serverIdle']> {
  const seconds = 5;
  const emulator = bff.emulator!;
  const cookie = await demoSessionCookie(bff.url);
  // An SSE stream read to its end (or until aborted), as a browser tab would hold it open.
  const listen = (query: string) => {
    const stream = new AbortController();
    void fetch(`${bff.url}/api/events${query}`, { headers: { cookie }, signal: stream.signal })
      .then(async (r) => {
        for await (const _ of r.body!);
      })
      .catch(() => undefined);
    return stream;
  };
  const stream = listen('');
  const reads = () => emulator.readCache.hits + emulator.readCache.misses;
  const measure = async (): Promise<ServerLoad> => {
    await sleep(1000);
    const cpu0 = process.cpuUsage();
    const reads0 = reads();
    const t0 = performance.now();
    await sleep(seconds * 1000);
    const cpu = process.cpuUsage(cpu0);
    const wall = (performance.now() - t0) / 1000;
    return { cpuMsPerSecond: (cpu.user + cpu.system) / 1000 / wall, readsPerSecond: (reads() - reads0) / wall };
  };
  try {
    const signal = await measure();
    // An emulator that cannot say: the pollers read on every poll, as they do against AWS.
    const own = Object.getOwnPropertyDescriptor(emulator, 'stateGeneration')!;
    Object.defineProperty(emulator, 'stateGeneration', { value: () => undefined, configurable: true });
    let everyPoll: ServerLoad;
    try {
      everyPoll = await measure();
    } finally {
      Object.defineProperty(emulator, 'stateGeneration', own);
    }
    // A tab on the big job's graph: its poller reads the job's subtask counts every poll.
    const job = listen(`?watch=${BIG}`);
    let watchingJob: ServerLoad;
    try {
      watchingJob = await measure();
    } finally {
      job.abort();
    }
    log(
      `console server idle: ${signal.cpuMsPerSecond.toFixed(0)} ms CPU and ${signal.readsPerSecond.toFixed(1)} reads a second with the generation; ${everyPoll.cpuMsPerSecond.toFixed(0)} ms and ${everyPoll.readsPerSecond.toFixed(1)} reading every poll; ${watchingJob.cpuMsPerSecond.toFixed(0)} ms watching the 64 × 256 job`,
    );
    return { seconds, signal, everyPoll, watchingJob };
  } finally {
    stream.abort();
  }
}

/** The BFF's own answer times (a demo session's cookie), outside the browser; the first warms its caches. */
async function apiTimes(base: string): Promise<ConsoleResult['api']> {
  const cookie = await demoSessionCookie(base);
  const time = async (path: string) => {
    const t = performance.now();
    const r = await fetch(`${base}${path}`, { headers: { cookie } });
    await r.arrayBuffer();
    if (!r.ok) throw new Error(`${path}: ${r.status}`);
    return performance.now() - t;
  };
  const t0 = performance.now();
  const fleetColdPending = await pendingRows(base, cookie);
  const fleetColdMs = performance.now() - t0;
  await untilFleetComplete(base, cookie);
  const fleetCompleteMs = performance.now() - t0;
  const fleetMs: number[] = [];
  const jobMs: number[] = [];
  for (let i = 0; i < 3; i++) fleetMs.push(await time('/api/applications'));
  for (let i = 0; i < 3; i++) jobMs.push(await time(`/api/applications/${BIG}/job`));
  return { fleetColdMs, fleetColdPending, fleetCompleteMs, fleetMs, jobMs };
}

/** Until the BFF has read every fleet row's details (its background read), or a minute has passed. */
async function untilFleetComplete(base: string, cookie: string): Promise<void> {
  const until = Date.now() + 60_000;
  while ((await pendingRows(base, cookie)) > 0) {
    if (Date.now() > until) throw new Error('timed out waiting for the fleet rows to be read');
    await sleep(50);
  }
}

/** The fleet's rows whose details the BFF has not read yet. */
async function pendingRows(base: string, cookie: string): Promise<number> {
  const r = await fetch(`${base}/api/applications`, { headers: { cookie } });
  if (!r.ok) throw new Error(`/api/applications: ${r.status}`);
  const f = (await r.json()) as { applications: { detailsPending?: boolean }[] };
  return f.applications.filter((a) => a.detailsPending).length;
}

/** First status on a cold BFF (its caches emptied), and until the rows on screen are complete. */
async function fleetCold(browser: Browser, bff: Bff, log: Log): Promise<ConsoleResult['fleet']['cold']> {
  const out: ConsoleResult['fleet']['cold'] = { firstStatusMs: [], completeMs: [] };
  const cookie = await demoSessionCookie(bff.url);
  for (let r = 0; r < Math.min(REPEATS, 3); r++) {
    // The previous page's background read has finished: nothing refills the caches behind this run.
    await untilFleetComplete(bff.url, cookie);
    bff.services.apps.forgetAll();
    const { context, page } = await newPage(browser, `${bff.url}/`);
    await until(page, 'window.__mfc.firstStatus !== undefined', 30_000);
    const first = await page.evaluate<{ painted: number }>('window.__mfc.firstStatus');
    const pending = await page.locator('[data-testid="fleet-details-pending"]').count();
    await until(page, `!document.querySelector('[data-testid="fleet-details-pending"]')`, 60_000);
    const complete = await page.evaluate<number>('performance.now()');
    out.firstStatusMs.push(first.painted);
    out.completeMs.push(complete);
    log(
      `console fleet on a cold BFF #${r + 1}: first status ${first.painted.toFixed(0)} ms (${pending} rows on screen pending), complete at ${complete.toFixed(0)} ms`,
    );
    await context.close();
  }
  return out;
}

export async function consolePerf(log: Log): Promise<ConsoleResult> {
  const { bff, sdk, setup: s } = await setup(log);
  log(
    `console: ${s.applications} applications created in ${(s.createMs / 1000).toFixed(1)} s, ${s.running} RUNNING after ${(s.startMs / 1000).toFixed(1)} s`,
  );
  const browser = await launch();
  try {
    const api = await apiTimes(bff.url);
    log(
      `console API: fleet ${api.fleetColdMs.toFixed(0)} ms first (${api.fleetColdPending} rows pending), complete after ${api.fleetCompleteMs.toFixed(0)} ms, then ${api.fleetMs.map((x) => x.toFixed(0)).join(', ')} ms; job ${api.jobMs.map((x) => x.toFixed(0)).join(', ')} ms`,
    );
    const serverIdleResult = await serverIdle(bff, log);
    const loadAverage: number[] = [];
    const sample = <T>(p: Promise<T>): Promise<T> => {
      loadAverage.push(loadavg()[0]!);
      return p;
    };
    const only = process.env.MFC_BENCH_CONSOLE_PARTS?.split(',');
    const want = (p: string) => !only || only.includes(p);
    const empty = { count: 0, maxMs: 0 };
    const fleetResult = want('fleet')
      ? await sample(fleet(browser, bff.url, log))
      : { firstStatusMs: [], apiStartMs: [], apiDoneMs: [], scroll: [], cold: { firstStatusMs: [], completeMs: [] } };
    if (want('fleet')) fleetResult.cold = await sample(fleetCold(browser, bff, log));
    const job = want('job')
      ? await sample(jobGraph(browser, bff.url, log))
      : {
          firstMs: [],
          jobApiMs: [],
          firstLongTasks: [],
          firstTraced: [],
          againMs: [],
          againLongTasks: [],
          elements: 0,
          updates: { seconds: 0, events: 0, eventKb: 0, domUpdates: 0, longTasks: empty },
        };
    if (want('updates')) job.updates = await sample(jobUpdates(browser, bff.url, bff, sdk, log));
    const sse = want('sse') ? await sample(sseLatency(browser, bff.url, bff, sdk, log)) : [];
    const idleResult = want('idle') ? await sample(idle(browser, bff.url, log)) : [];
    return {
      browser: `Chromium ${browser.version()}`,
      loadAverage,
      setup: s,
      api,
      serverIdle: serverIdleResult,
      fleet: fleetResult,
      job,
      sse,
      idle: idleResult,
      initialJs: initialJs(),
    };
  } finally {
    await browser.close();
    sdk.destroy();
    await bff.close();
  }
}

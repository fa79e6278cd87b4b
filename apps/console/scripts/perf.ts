/**
 * Quick performance checks in Chromium against the built console (served by a BFF with the demo fleet),
 * with the API answers replaced by large synthetic ones (page.route): a fleet of 1,000 applications
 * scrolled top to bottom, a job graph of 64 vertices × parallelism 256 opened (click to painted, long
 * tasks) and then fed a job event over SSE every ~250 ms (long tasks during updates). Each measurement
 * runs PERF_REPEATS times (default 5) in fresh browser contexts; medians are printed. The benchmark of
 * record runs against the real product: `npm run bench` (bench/src/console-perf.ts).
 *
 *   npx tsx apps/console/scripts/perf.ts
 */
import { encodeSubtaskRuns, type FleetApplication, type JobView } from '@mfc/contracts';
import type { BrowserContext, Page } from 'playwright-core';
import { BASE_URL, collectProblems, launch, SCROLL_TO_BOTTOM, type ScrollResult } from './browser';

const STATUSES = ['RUNNING', 'RUNNING', 'RUNNING', 'READY', 'UPDATING', 'STARTING'] as const;

function fleet(n: number): { applications: FleetApplication[]; generatedAt: number } {
  const now = Date.now();
  return {
    generatedAt: now,
    applications: Array.from({ length: n }, (_, i): FleetApplication => {
      const status = STATUSES[i % STATUSES.length]!;
      const restarts = i % 37 === 0 ? 12 : 0;
      return {
        name: `app-${String(i).padStart(4, '0')}`,
        arn: `arn:aws:kinesisanalytics:us-east-1:123456789012:application/app-${i}`,
        status,
        versionId: 1 + (i % 9),
        runtime: 'FLINK-1_20',
        mode: 'STREAMING',
        kpus: 1 + (i % 8),
        parallelism: 2,
        encryption: i % 5 === 0 ? { keyType: 'CUSTOMER_MANAGED_KEY', keyId: 'alias/k' } : { keyType: 'AWS_OWNED_KEY' },
        jobHealth:
          status === 'RUNNING'
            ? { source: 'metrics', restartsLast5m: restarts, failedCheckpointsLast5m: i % 11 === 0 ? 2 : 0 }
            : { source: 'none' },
        attention: restarts
          ? {
              flag: true,
              reasons: [`The job restarted ${restarts} times in the last 5 minutes.`],
              signals: [
                {
                  signal: 'restart-loop',
                  message: `The job restarted ${restarts} times in the last 5 minutes.`,
                  tab: 'metrics',
                },
              ],
            }
          : { flag: false, reasons: [], signals: [] },
        lastOperation: {
          id: `op${i}`,
          operation: 'StartApplication',
          status: 'SUCCESSFUL',
          startTime: now - 60_000,
          endTime: now - 50_000,
        },
      };
    }),
  };
}

const vertexId = (i: number) => i.toString(16).padStart(32, '0');

function bigJob(vertices: number, parallelism: number): JobView {
  const id = vertexId;
  const states = ['RUNNING', 'RUNNING', 'RUNNING', 'INITIALIZING', 'DEPLOYING', 'FAILED'] as const;
  return {
    available: true,
    jid: 'f'.repeat(32),
    name: 'big',
    state: 'RUNNING',
    startTime: Date.now() - 600_000,
    durationMs: 600_000,
    restarts: 1,
    fetchedAt: Date.now(),
    vertices: Array.from({ length: vertices }, (_, i) => ({
      id: id(i),
      name: `Operator ${i}: ${i % 3 === 0 ? 'Window aggregate over a long key' : 'Map'}`,
      parallelism,
      status: 'RUNNING',
      subtaskStates: Array.from(
        { length: parallelism },
        (_, j) => states[(i * 7 + j) % 97 === 0 ? 5 : j % 50 === 0 ? 3 : 0]!,
      ),
      backpressure: (['ok', 'low', 'high'] as const)[i % 3]!,
      backpressureRatio: (i % 3) * 0.3,
      busyRatio: 0.4,
      recordsInPerSecond: 1000 * i,
      recordsOutPerSecond: 900 * i,
    })),
    edges: Array.from({ length: vertices - 1 }, (_, i) => ({
      source: id(Math.floor(i / 2)),
      target: id(i + 1),
      shipStrategy: ['HASH', 'FORWARD', 'REBALANCE'][i % 3]!,
    })),
  };
}

const REPEATS = Number(process.env.PERF_REPEATS ?? 5);
const VERTICES = 64;
const PARALLELISM = 256;
const APP = 'orders-enricher';
const STEP = ['CANCELING', 'CANCELED', 'CREATED', 'SCHEDULED', 'DEPLOYING', 'INITIALIZING', 'RUNNING'] as const;

/**
 * A job event of a restart under way: subtasks move through the restart's states at their own pace,
 * so every event changes many cells of every vertex (the worst case for the strips).
 */
function jobEvent(seq: number): string {
  const subtaskRuns: Record<string, string> = {};
  for (let v = 0; v < VERTICES; v++)
    subtaskRuns[vertexId(v)] = encodeSubtaskRuns(
      Array.from(
        { length: PARALLELISM },
        (_, i) => STEP[Math.min(STEP.length - 1, Math.max(0, seq - ((i * 7 + v * 13) % 11)))]!,
      ),
    );
  return JSON.stringify({ type: 'job', application: APP, jobState: 'RUNNING', subtaskRuns });
}

interface Stats {
  count: number;
  max: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const fmt = (xs: number[]) =>
  `${Math.round(median(xs))} ms (${Math.round(Math.min(...xs))}–${Math.round(Math.max(...xs))})`;
const fmtLong = (xs: Stats[]) =>
  `${xs.reduce((n, x) => n + x.count, 0)} long tasks in ${xs.length} runs, longest ${Math.round(Math.max(...xs.map((x) => x.max)))} ms (median of the runs' longest ${Math.round(median(xs.map((x) => x.max)))} ms)`;

/** Long tasks from the page's start, with their start times (read with `longTasksBetween`). */
const INIT = () => {
  const w = window as unknown as { __long: [number, number][] };
  w.__long = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) w.__long.push([e.startTime, e.duration]);
  }).observe({ type: 'longtask', buffered: true });
};

async function longTasksBetween(page: Page, from: number, to: number): Promise<Stats> {
  const all = await page.evaluate(() => (window as unknown as { __long: [number, number][] }).__long);
  const d = all.filter(([s, d]) => s + d >= from && s <= to).map(([, d]) => d);
  return { count: d.filter((x) => x > 50).length, max: d.length ? Math.max(...d) : 0 };
}

/** Click on the job tab to 64 vertices painted, timed in the page. */
async function openJobTab(page: Page): Promise<{ t0: number; t1: number }> {
  return page.evaluate(async (n) => {
    const t0 = performance.now();
    document.querySelector<HTMLElement>('[data-testid="tab-job"]')!.click();
    // (no named helpers in here: tsx would wrap them in a __name the page does not have)
    while (document.querySelectorAll('[data-testid="job-vertex"]').length !== n)
      await new Promise<void>((resolve) => {
        const mo = new MutationObserver(() => {
          mo.disconnect();
          resolve();
        });
        mo.observe(document.body, { childList: true, subtree: true });
      });
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    return { t0, t1: performance.now() };
  }, VERTICES);
}

const browser = await launch();
const problems: string[][] = [];
let updates = false;
let seq = 0;

/** `live`: the event stream reconnects every 250 ms, carrying a job event each time once `updates` is set. */
async function freshPage(live = false): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await context.addInitScript(INIT);
  const page = await context.newPage();
  problems.push(collectProblems(page));
  // No live events (they would refer to the real demo fleet), except the synthetic job events: the
  // stream ends after each and EventSource reconnects after `retry`.
  await page.route('**/api/events*', (r) =>
    r.fulfill({
      status: 200,
      contentType: 'text/event-stream',
      body: !live
        ? 'retry: 600000\n\n'
        : updates
          ? `retry: 250\nid: ${++seq}\ndata: ${jobEvent(seq % 12)}\n\n`
          : 'retry: 250\n\n',
    }),
  );
  await page.route('**/api/applications', (r) => r.fulfill({ json: fleet(1000) }));
  await page.route(`**/api/applications/${APP}/job`, (r) => r.fulfill({ json: bigJob(VERTICES, PARALLELISM) }));
  return { context, page };
}

try {
  // Fleet: 1,000 rows, first status painted, then scrolled top to bottom in animation frames.
  const first: number[] = [];
  const scrollLong: Stats[] = [];
  const worst: number[] = [];
  for (let r = 0; r < REPEATS; r++) {
    const { context, page } = await freshPage();
    await page.goto(`${BASE_URL}/`);
    await page.waitForSelector('[data-testid="fleet-row"] [data-testid="status-badge"]');
    first.push(
      await page.evaluate(
        () =>
          new Promise<number>((resolve) =>
            requestAnimationFrame(() => setTimeout(() => resolve(performance.now()), 0)),
          ),
      ),
    );
    await page.waitForTimeout(1000);
    const scroll = await page.evaluate<ScrollResult>(SCROLL_TO_BOTTOM);
    scrollLong.push(await longTasksBetween(page, scroll.t0, scroll.t1));
    worst.push(scroll.worst);
    await context.close();
  }
  console.log(`fleet 1,000: first status painted (upper bound: polled) ${fmt(first)}`);
  console.log(`fleet 1,000 scroll: worst frame ${fmt(worst)}; ${fmtLong(scrollLong)}`);

  // Job graph: 64 vertices × 256 subtasks, opened from the application's overview.
  const firstOpen: number[] = [];
  const firstLong: Stats[] = [];
  const again: number[] = [];
  const againLong: Stats[] = [];
  let elements = 0;
  for (let r = 0; r < REPEATS; r++) {
    const { context, page } = await freshPage();
    await page.goto(`${BASE_URL}/applications/${APP}`);
    await page.waitForSelector('[data-testid="application-header"]');
    await page.waitForTimeout(1500);
    const a = await openJobTab(page);
    firstOpen.push(a.t1 - a.t0);
    firstLong.push(await longTasksBetween(page, a.t0, a.t1));
    elements = await page.evaluate(
      () => document.querySelector('[data-testid="job-graph"]')!.querySelectorAll('*').length,
    );
    await page.click('[data-testid="tab-overview"]');
    await page.waitForSelector('[data-testid="panel-overview"]');
    await page.waitForTimeout(1000);
    const b = await openJobTab(page);
    again.push(b.t1 - b.t0);
    againLong.push(await longTasksBetween(page, b.t0, b.t1));
    if (r === 0) await page.screenshot({ path: '/tmp/perf-graph.png' });
    await context.close();
  }
  console.log(
    `job graph ${VERTICES}×${PARALLELISM}, first open (chunk load included): ${fmt(firstOpen)}; ${fmtLong(firstLong)}; ${elements} elements in the graph`,
  );
  console.log(`job graph again: ${fmt(again)}; ${fmtLong(againLong)}`);

  // Job events every ~250 ms for 10 s while the graph is on screen.
  const updateLong: Stats[] = [];
  const batches: number[] = [];
  for (let r = 0; r < Math.min(REPEATS, 3); r++) {
    const { context, page } = await freshPage(true);
    await page.goto(`${BASE_URL}/applications/${APP}/job`);
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="job-vertex"]').length === n, VERTICES);
    await page.waitForTimeout(1000);
    const t0 = await page.evaluate(() => {
      const w = window as unknown as { __batches: number };
      w.__batches = 0;
      new MutationObserver(() => w.__batches++).observe(document.querySelector('[data-testid="job-graph"]')!, {
        subtree: true,
        childList: true,
        attributes: true,
      });
      return performance.now();
    });
    updates = true;
    await page.waitForTimeout(10_000);
    updates = false;
    const t1 = await page.evaluate(() => performance.now());
    updateLong.push(await longTasksBetween(page, t0, t1));
    batches.push(await page.evaluate(() => (window as unknown as { __batches: number }).__batches));
    await context.close();
  }
  console.log(
    `job graph under job events (~4 a second, 10 s): ${fmtLong(updateLong)}; DOM mutation batches ${batches.join(', ')}`,
  );
} finally {
  await browser.close();
}
const real = problems.flat().filter((p) => !p.includes('/api/events'));
if (real.length > 0) {
  console.error(`Browser console problems:\n${real.join('\n')}`);
  process.exitCode = 1;
}

/**
 * Performance checks in Chromium against the built console (served by the BFF), with the API answers
 * replaced by large synthetic ones: a fleet of 1,000 applications scrolled top to bottom (long tasks
 * counted), and a job graph of 64 vertices × parallelism 256 (time to render, DOM size, long tasks).
 *
 *   npx tsx apps/console/scripts/perf.ts
 */
import type { FleetApplication, JobView } from '@mfc/contracts';
import type { Page } from 'playwright-core';
import { BASE_URL, collectProblems, launch } from './browser';

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
          ? { flag: true, reasons: [`The job restarted ${restarts} times in the last 5 minutes.`] }
          : { flag: false, reasons: [] },
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

function bigJob(vertices: number, parallelism: number): JobView {
  const id = (i: number) => i.toString(16).padStart(32, '0');
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

async function observeLongTasks(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __long: number[] };
    w.__long = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__long.push(Math.round(e.duration));
    }).observe({ type: 'longtask', buffered: false });
  });
}

const longTasks = (page: Page) => page.evaluate(() => (window as unknown as { __long: number[] }).__long);

const browser = await launch();
const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
const page = await context.newPage();
const problems = collectProblems(page);
// Pure rendering: no live events (they would refer to the real demo fleet).
await page.route('**/api/events*', (r) =>
  r.fulfill({ status: 200, contentType: 'text/event-stream', body: 'retry: 600000\n\n' }),
);
await page.route('**/api/applications', (r) => r.fulfill({ json: fleet(1000) }));
await page.route('**/api/applications/orders-enricher/job', (r) => r.fulfill({ json: bigJob(64, 256) }));

try {
  // Fleet: 1,000 rows, scrolled top to bottom in animation frames.
  await page.goto(`${BASE_URL}/`);
  await page.waitForSelector('[data-testid="fleet-row"]');
  const rendered = await page.locator('[data-testid="fleet-row"]').count();
  await observeLongTasks(page);
  const scroll = await page.evaluate(async () => {
    const t0 = performance.now();
    let frames = 0;
    let worst = 0;
    let last = t0;
    while (window.scrollY + window.innerHeight < document.body.scrollHeight - 2) {
      window.scrollBy(0, 240);
      await new Promise((r) => requestAnimationFrame(r));
      const t = performance.now();
      worst = Math.max(worst, t - last);
      last = t;
      frames++;
    }
    return { ms: Math.round(performance.now() - t0), frames, worstFrameMs: Math.round(worst) };
  });
  const fleetLong = await longTasks(page);
  console.log(
    `fleet 1,000: ${rendered} rows in the DOM; scrolled ${scroll.frames} frames in ${scroll.ms} ms, worst frame ${scroll.worstFrameMs} ms; long tasks during scroll: ${fleetLong.length}${fleetLong.length ? ` (max ${Math.max(...fleetLong)} ms)` : ''}`,
  );
  // Typing in the search box filters 1,000 rows.
  await observeLongTasks(page);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.fill('[data-testid="fleet-search"]', 'app-09');
  await page.waitForFunction(
    () => document.querySelector('[data-testid="fleet-table"]')?.getAttribute('aria-rowcount') === '101',
  );
  const searchLong = await longTasks(page);
  console.log(
    `fleet search: long tasks ${searchLong.length}${searchLong.length ? ` (max ${Math.max(...searchLong)} ms)` : ''}`,
  );

  // Job graph: 64 vertices × 256 subtasks.
  await page.goto(`${BASE_URL}/applications/orders-enricher`);
  await page.waitForSelector('[data-testid="application-header"]');
  await observeLongTasks(page);
  const t0 = Date.now();
  await page.click('[data-testid="tab-job"]');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="job-vertex"]').length === 64);
  const graphMs = Date.now() - t0;
  const dom = await page.evaluate(() => ({
    graph: document.querySelector('[data-testid="job-graph"]')!.querySelectorAll('*').length,
    rects: document.querySelector('[data-testid="job-graph"]')!.querySelectorAll('rect').length,
  }));
  const graphLong = await longTasks(page);
  console.log(
    `job graph 64×256: ${graphMs} ms from click to 64 vertices (chunk load included); ${dom.graph} elements in the graph (${dom.rects} rects); long tasks ${graphLong.length}${graphLong.length ? ` (max ${Math.max(...graphLong)} ms)` : ''}`,
  );
  // A second render, the chunk cached: switch tabs and back.
  await page.click('[data-testid="tab-overview"]');
  await page.waitForSelector('[data-testid="panel-overview"]');
  await observeLongTasks(page);
  const t1 = Date.now();
  await page.click('[data-testid="tab-job"]');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="job-vertex"]').length === 64);
  const again = await longTasks(page);
  console.log(
    `job graph again: ${Date.now() - t1} ms; long tasks ${again.length}${again.length ? ` (max ${Math.max(...again)} ms)` : ''}`,
  );
  await page.screenshot({ path: '/tmp/perf-graph.png' });
} finally {
  await browser.close();
}
const real = problems.filter((p) => !p.includes('/api/events'));
if (real.length > 0) {
  console.error(`Browser console problems:\n${real.join('\n')}`);
  process.exitCode = 1;
}

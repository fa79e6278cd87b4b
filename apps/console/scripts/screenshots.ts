/**
 * Screenshots of every screen in light and dark at 1440×900, from the BFF serving the built console
 * (so the strict CSP is on). Fails when the browser console shows an error, a warning or a CSP violation.
 *
 *   npm run build -w @mfc/console && (PORT=3000 node apps/bff/dist/main.js &)
 *   npx tsx apps/console/scripts/screenshots.ts [outDir]
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { BASE_URL, collectProblems, launch } from './browser';

const outDir = resolve(process.argv[2] ?? join(import.meta.dirname, '..', 'screenshots'));
mkdirSync(outDir, { recursive: true });

interface Shot {
  name: string;
  path: string;
  /** Wait for this selector before the shot. */
  ready: string;
  prepare?: (page: Page) => Promise<void>;
  /** Runs before navigating (in the first theme only): an action whose outcome the shot shows. */
  before?: (page: Page) => Promise<void>;
  fullPage?: boolean;
}

const SHOTS: Shot[] = [
  { name: 'fleet', path: '/', ready: '[data-testid="fleet-row"]' },
  { name: 'application-overview', path: '/applications/orders-enricher', ready: '[data-testid="application-header"]' },
  {
    name: 'job-graph',
    path: '/applications/orders-enricher/job',
    ready: '[data-testid="job-vertex"]',
    prepare: async (page) => {
      await page.locator('[data-testid="job-vertex"]').nth(1).click();
      await page.waitForSelector('[data-testid="subtask-row"]');
      await page.mouse.move(0, 0);
      // Catch the looping job mid-restart, when its subtasks are not all RUNNING (it restarts every ~10 s).
      await page
        .waitForSelector('[data-testid="job-vertex"]:not([data-status="RUNNING"])', { timeout: 20_000 })
        .catch(() => undefined);
    },
  },
  {
    name: 'checkpoints',
    path: '/applications/metrics-exporter/checkpoints',
    ready: '[data-testid="checkpoint-config"]',
  },
  { name: 'snapshots', path: '/applications/inventory-aggregator/snapshots', ready: '[data-testid="snapshot-row"]' },
  { name: 'operations', path: '/applications/orders-enricher/operations', ready: '[data-testid="operation-row"]' },
  { name: 'versions', path: '/applications/orders-enricher/versions', ready: '[data-testid="diff-row"]' },
  { name: 'encryption', path: '/applications/payments-fraud-detector/encryption', ready: '[data-testid="key-state"]' },
  {
    name: 'metrics',
    path: '/applications/orders-enricher/metrics?range=15m',
    ready: '.recharts-line',
    fullPage: true,
  },
  {
    name: 'logs',
    path: '/applications/orders-enricher/logs?filter=switched%20from',
    ready: '[data-testid="log-line"]',
  },
  {
    name: 'insights',
    path: '/applications/orders-enricher/logs?view=insights',
    ready: '[data-testid="insights-panel"]',
    fullPage: true,
    prepare: async (page) => {
      // The guidance's subtask-transition query (the default preset), run over the last 15 minutes.
      await page.click('[data-testid="insights-run"]');
      await page.waitForSelector('[data-testid="insights-status"][data-status="Complete"]', { timeout: 60_000 });
    },
  },
  {
    name: 'advice',
    path: '/applications/metrics-exporter#advice',
    ready: '[data-testid="advice-finding"]',
    prepare: async (page) => {
      await page.locator('[data-testid="advice-section"]').scrollIntoViewIfNeeded();
    },
  },
  { name: 'keys', path: '/keys', ready: '[data-testid="key-row"]' },
  {
    name: 'audit',
    path: '/audit',
    ready: '[data-testid="audit-row"]',
    before: async (page) => {
      // An action first, so the audit log has an entry of this run.
      await page.goto(`${BASE_URL}/applications/clickstream-sessionizer/snapshots`);
      await page.click('[data-testid="action-createSnapshot"]');
      await page.click('[data-testid="create-snapshot-dialog"] [data-testid="confirm-button"]');
      await page.waitForSelector('[data-testid="toast"]');
    },
  },
  {
    name: 'dialog-force-stop',
    path: '/applications/orders-enricher',
    ready: '[data-testid="action-forceStop"]',
    prepare: async (page) => {
      await page.click('[data-testid="action-forceStop"]');
      await page.waitForSelector('[data-testid="force-stop-last-snapshot"]');
      await page.waitForFunction(
        () => !document.querySelector('[data-testid="force-stop-last-snapshot"]')?.textContent?.includes('Reading'),
      );
      await page.fill('[data-testid="confirm-input"]', 'orders-enrich');
    },
  },
  {
    name: 'dialog-start',
    path: '/applications/inventory-aggregator/snapshots',
    ready: '[data-testid="snapshot-row"]',
    prepare: async (page) => {
      await page.click('[data-testid="action-start"]');
      await page.waitForSelector('[data-testid="preflight-verdict"]');
    },
  },
  {
    name: 'demo-panel',
    path: '/applications/orders-enricher',
    ready: '[data-testid="demo-toggle"]',
    prepare: async (page) => {
      await page.click('[data-testid="demo-toggle"]');
      await page.waitForSelector('[data-testid^="scenario-"]');
    },
  },
];

const only = process.env.SHOTS?.split(',');
const browser = await launch();
const problems: string[] = [];
try {
  for (const theme of ['light', 'dark'] as const) {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: theme });
    const page = await context.newPage();
    problems.push(...collectProblems(page));
    for (const shot of SHOTS) {
      if (only && !only.includes(shot.name)) continue;
      if (theme === 'light') await shot.before?.(page);
      await page.goto(`${BASE_URL}${shot.path}`);
      await page.waitForSelector(shot.ready, { timeout: 20_000 });
      await shot.prepare?.(page);
      // Let charts measure themselves and fonts settle.
      await page.waitForTimeout(600);
      const file = join(outDir, `${shot.name}-${theme}.png`);
      await page.screenshot({ path: file, fullPage: shot.fullPage ?? false });
      console.log(file);
    }
    await context.close();
  }
} finally {
  await browser.close();
}
if (problems.length > 0) {
  console.error(`Browser console problems:\n${problems.join('\n')}`);
  process.exitCode = 1;
}

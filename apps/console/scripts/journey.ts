/**
 * A smoke journey through the built console against a running BFF (demo fleet, fast time profile):
 * keyboard reach of a disabled action's reason, a start with its progress driven by SSE, a rollback with
 * typed confirmation. Prints what it saw, saves screenshots, and fails on any browser console problem.
 *
 *   npx tsx apps/console/scripts/journey.ts [outDir]
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BASE_URL, collectProblems, launch } from './browser';

const outDir = resolve(process.argv[2] ?? '/tmp/mfc-journey');
mkdirSync(outDir, { recursive: true });
const browser = await launch();
const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
const page = await context.newPage();
const problems = collectProblems(page);
let requests = 0;
page.on('request', (r) => {
  if (r.url().includes('/api/') && !r.url().includes('/api/events')) requests++;
});
const step = (s: string) => console.log(`• ${s}`);

try {
  // 1. A disabled action explains itself to a keyboard user.
  await page.goto(`${BASE_URL}/applications/orders-enricher`);
  await page.waitForSelector('[data-testid="action-start"]');
  await page.focus('[data-testid="action-start"]');
  const reason = await page.locator('[data-testid="action-start-reason"]').textContent();
  const visible = await page.locator('[data-testid="action-start-reason"]').isVisible();
  step(`Start on RUNNING: aria-disabled, reason "${reason}" visible on focus: ${visible}`);
  await page.screenshot({ path: join(outDir, 'disabled-reason.png') });

  // 2. Idle request rate on the job graph of the looping application.
  await page.goto(`${BASE_URL}/applications/orders-enricher/job`);
  await page.waitForSelector('[data-testid="job-vertex"]');
  await page.waitForTimeout(2_000);
  requests = 0;
  await page.waitForTimeout(60_000);
  step(`idle minute on the looping application's job graph: ${requests} API requests (SSE excluded)`);

  // 3. Start inventory-aggregator from the latest snapshot; progress arrives by SSE.
  await page.goto(`${BASE_URL}/applications/inventory-aggregator`);
  await page.click('[data-testid="action-start"]');
  await page.waitForSelector('[data-testid="preflight-verdict"][data-ok="true"]');
  await page.click('[data-testid="start-dialog"] [data-testid="confirm-button"]');
  await page.waitForSelector('[data-testid="current-operation"]', { timeout: 10_000 });
  await page.waitForTimeout(1_500);
  await page.screenshot({ path: join(outDir, 'start-progress.png') });
  const phases = await page
    .locator('[data-testid="current-operation"] [data-phase]')
    .evaluateAll((els) => els.map((e) => `${e.getAttribute('data-phase')}:${e.getAttribute('data-state')}`));
  step(`operation in progress, phases ${phases.join(' ')}`);
  await page.waitForSelector('[data-testid="status-badge"][data-status="RUNNING"]', { timeout: 30_000 });
  await page.waitForSelector('[data-testid="current-operation"]', { state: 'detached', timeout: 15_000 });
  step('inventory-aggregator is RUNNING and the progress bar is gone');

  // 4. Roll back orders-enricher: typed confirmation, then ROLLING_BACK → RUNNING at v3.
  await page.goto(`${BASE_URL}/applications/orders-enricher`);
  await page.click('[data-testid="action-rollback"]');
  const text = await page.locator('[data-testid="rollback-consequence"]').textContent();
  step(`rollback dialog: ${text}`);
  const confirm = page.locator('[data-testid="confirm-dialog"] [data-testid="confirm-button"]');
  await page.fill('[data-testid="confirm-input"]', 'orders-enriche');
  step(`confirm enabled with a near miss: ${await confirm.isEnabled()}`);
  await page.fill('[data-testid="confirm-input"]', 'orders-enricher');
  await page.screenshot({ path: join(outDir, 'rollback-dialog.png') });
  await confirm.click();
  await page.waitForSelector('[data-testid="status-badge"][data-status="ROLLING_BACK"]', { timeout: 10_000 });
  step('ROLLING_BACK shown');
  await page.waitForSelector('[data-testid="status-badge"][data-status="RUNNING"]', { timeout: 60_000 });
  await page.waitForFunction(
    () => document.querySelector('[data-testid="application-version"]')?.textContent?.startsWith('v3'),
    undefined,
    { timeout: 15_000 },
  );
  step(`after rollback: ${await page.locator('[data-testid="application-version"]').textContent()}`);
  await page.goto(`${BASE_URL}/applications/orders-enricher/versions`);
  await page.waitForSelector('[data-testid="rolled-back"]');
  step('versions tab marks v2 ROLLED_BACK');
  await page.screenshot({ path: join(outDir, 'versions-after-rollback.png') });
} finally {
  await browser.close();
}
if (problems.length > 0) {
  console.error(`Browser console problems:\n${problems.join('\n')}`);
  process.exitCode = 1;
} else console.log('no console errors or warnings');

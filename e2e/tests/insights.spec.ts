/**
 * Logs Insights in the Logs tab: the AWS guidance's subtask-transitions query over the looping application
 * shows subtasks failing and being cancelled, in the table and on the per-subtask timeline; a malformed
 * query is refused with the construct named; a healthy application's subtasks never fail. The mode, the
 * saved query and the range are in the URL. Insights mode passes axe in both themes.
 */
import type { Page } from '@playwright/test';
import type { Bff } from '@mfc/bff';
import { advance, expect, test } from '../fixtures.js';
import { audit, BOTH, openApp, screenshot, SLOW } from './helpers.js';

const LOOPING = 'orders-enricher';
const HEALTHY = 'clickstream-sessionizer';

/** Picks a segmented control's option the way a user does: a click on its label (the radio is hidden). */
async function choose(page: Page, testId: string): Promise<void> {
  await page.locator('label', { has: page.getByTestId(testId) }).click();
  await expect(page.getByTestId(testId)).toBeChecked();
}

async function openInsights(page: Page, bff: Bff, app: string): Promise<void> {
  await openApp(page, bff, app, 'logs');
  await choose(page, 'logs-mode-insights');
  await expect(page.getByTestId('insights-panel')).toBeVisible();
  await expect(page).toHaveURL(/[?&]view=insights/);
}

/** Runs the query in the editor and waits until it is Complete. */
async function run(page: Page): Promise<void> {
  await page.getByTestId('insights-run').click();
  await expect(page.getByTestId('insights-status')).toHaveAttribute('data-status', 'Complete', { timeout: SLOW });
}

/** The `field` cells holding `state` in the rows the results' search finds for it. */
async function find(page: Page, field: 'fromStatus' | 'toStatus', state: string) {
  await page.getByTestId('insights-filter').fill(state);
  return page
    .locator(`[data-testid="insights-row"] td[data-field="${field}"]`)
    .filter({ hasText: new RegExp(`^${state}$`) });
}

test('the subtask-transitions query shows the loop in a table and a timeline', async ({
  page,
  product,
  consoleErrors,
}) => {
  test.setTimeout(180_000);
  // A few minutes of the loop (it fails 8 s into processing, then restarts).
  await advance(product, 3 * 60_000);
  await openApp(page, product, LOOPING, 'logs');
  // The log lines stay the default view.
  await expect(page.getByTestId('log-line').first()).toBeVisible({ timeout: SLOW });
  await choose(page, 'logs-mode-insights');
  await expect(page).toHaveURL(/[?&]view=insights/);
  await expect(page.getByTestId('insights-preset')).toHaveValue('subtask-transitions');
  await expect(page.getByTestId('insights-query')).toHaveValue(/switched from \(\?<fromStatus>/);
  await choose(page, 'insights-range-15m');
  await expect(page).toHaveURL(/[?&]range=15m/);

  await run(page);
  await expect(page.getByTestId('insights-status')).toContainText('records matched');
  await expect(page.getByRole('columnheader')).toHaveText(['@timestamp', 'task', 'fromStatus', 'toStatus']);
  await expect(page.getByTestId('insights-row').first()).toBeVisible();

  // The timeline: rows per subtask, some with FAILED segments.
  const timeline = page.getByTestId('subtask-timeline');
  await expect(timeline).toBeVisible();
  await expect(timeline).not.toHaveAttribute('data-failures', '0');
  await expect(timeline.locator('[data-testid="timeline-segment"][data-state="FAILED"]').first()).toBeAttached();
  await expect(timeline.locator('[data-testid="timeline-row"]:not([data-failures="0"])').first()).toBeVisible();
  await expect(timeline.getByTestId('timeline-row').first()).toHaveAttribute('data-task', /\(\d+\/\d+\)$/);
  await screenshot(page, 'insights-orders-enricher');
  await audit(page, 'insights-orders-enricher', BOTH);

  // The table holds the failed subtasks' redeploys (FAILED → CREATED) and the others' cancellations. Flink's
  // RUNNING → FAILED line ends "with failure cause: …", not with the period the guidance's regex needs.
  await expect((await find(page, 'fromStatus', 'FAILED')).first()).toBeVisible();
  await expect((await find(page, 'toStatus', 'CANCELED')).first()).toBeVisible();
  await expect((await find(page, 'fromStatus', 'CANCELING')).first()).toBeVisible();
  await page.getByTestId('insights-filter').fill('');

  // Every view is a URL: a reload keeps the mode, the saved query and the range.
  await page.reload();
  await expect(page.getByTestId('insights-panel')).toBeVisible();
  await expect(page.getByTestId('insights-preset')).toHaveValue('subtask-transitions');
  await expect(page.getByTestId('insights-range-15m')).toBeChecked();
  await page.getByTestId('insights-preset').selectOption('errors');
  await expect(page).toHaveURL(/[?&]preset=errors/);
  await expect(page.getByTestId('insights-query')).toHaveValue(/messageType = "ERROR"/);

  // A malformed query: refused, with the construct named by the editor (Ctrl+Enter runs it).
  await page.getByTestId('insights-query').fill('fields @timestamp | frobnicate x');
  await expect(page).toHaveURL(/[?&]query=/);
  await page.getByTestId('insights-query').press('Control+Enter');
  const error = page.getByTestId('insights-error');
  await expect(error).toHaveAttribute('data-error', 'MalformedQueryException');
  await expect(error).toContainText('frobnicate');
  await expect(page.getByTestId('insights-query')).toHaveAttribute('aria-invalid', 'true');
  await audit(page, 'insights-malformed', BOTH);
  // The refused start answered 400: the browser logs that, which is expected here.
  consoleErrors.splice(0, consoleErrors.length, ...consoleErrors.filter((e) => !/status of 400/.test(e)));

  // Back to the log lines: their view is unchanged.
  await choose(page, 'logs-mode-lines');
  await expect(page).not.toHaveURL(/view=insights/);
  await expect(page.getByTestId('log-line').first()).toBeVisible({ timeout: SLOW });
  expect(consoleErrors).toEqual([]);
});

test('a healthy application shows no FAILED transition', async ({ page, product, consoleErrors }) => {
  await advance(product, 60_000);
  await openInsights(page, product, HEALTHY);
  await run(page);
  const timeline = page.getByTestId('subtask-timeline');
  // Its job deployed (CREATED … RUNNING) and has not failed since.
  await expect(timeline).toHaveAttribute('data-failures', '0');
  await expect(timeline.locator('[data-testid="timeline-segment"][data-state="RUNNING"]').first()).toBeAttached();
  await expect(timeline.locator('[data-testid="timeline-segment"][data-state="FAILED"]')).toHaveCount(0);
  await expect(await find(page, 'fromStatus', 'FAILED')).toHaveCount(0);
  await expect(page.getByTestId('insights-count')).toHaveText(/^0 of \d+ rows$/);
  expect(consoleErrors).toEqual([]);
});

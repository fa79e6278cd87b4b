/**
 * Journey 1: a RUNNING application hides a job in a fail-and-restart loop. The fleet flags it, its job
 * graph shows the failing subtasks, and a rollback (typed confirmation) brings every subtask to RUNNING.
 */
import { advance, expect, open, test } from '../fixtures.js';
import {
  clickTab,
  confirmTyped,
  expectStatus,
  fleetRow,
  headerStatus,
  openAction,
  screenshot,
  SLOW,
} from './helpers.js';

const APP = 'orders-enricher';

test('the fleet flags the looping application; a rollback ends the loop', async ({ page, product, consoleErrors }) => {
  await open(page, product, '/');
  const row = fleetRow(page, APP);
  await expect(row).toHaveAttribute('data-status', 'RUNNING');
  await expect(row).toHaveAttribute('data-attention', 'true');
  await expect(row.getByTestId('attention-flag')).toBeVisible();
  await expect(row.getByTestId('attention-flag')).toHaveAttribute('aria-label', /restarted \d+ times/);
  await expect(row.getByTestId('job-health-restarts')).toHaveText(/^[1-9]\d* restarts?\/5 min$/);
  // Needs-attention-first is the default order: the looping application is at the top.
  await expect(page.getByTestId('fleet-row').first()).toHaveAttribute('data-attention', 'true');
  // A healthy application is not flagged.
  await expect(fleetRow(page, 'clickstream-sessionizer')).toHaveAttribute('data-attention', 'false');

  await row.getByTestId('fleet-app-link').click();
  await expect(page).toHaveURL(new RegExp(`/applications/${APP}$`));
  await expectStatus(page, 'RUNNING');
  await expect(page.getByTestId('application-header').getByTestId('attention-flag')).toBeVisible();
  await expect(page.getByTestId('attention-reasons')).toContainText('restarted');

  await clickTab(page, 'job');
  const graph = page.getByTestId('job-graph');
  await expect(graph.getByTestId('job-vertex').first()).toBeVisible();
  // The loop: within a restart cycle some subtask is FAILED, CANCELED, SCHEDULED, DEPLOYING or INITIALIZING.
  const notRunningCell = graph.locator('[data-testid="subtask-cell"]:not([data-state="RUNNING"])');
  await expect(notRunningCell.first()).toBeAttached({ timeout: SLOW });
  await expect(graph.locator('[data-testid="job-vertex"]:not([data-status="RUNNING"])').first()).toBeAttached({
    timeout: SLOW,
  });
  await expect(page.getByTestId('job-restarts')).toHaveText(/^[1-9]\d*$/);
  await expect(page.getByTestId('latest-exception')).toContainText('NullPointerException');
  await screenshot(page, 'journey-restart-loop-job-graph');

  await openAction(page, 'rollback');
  await expect(page.getByTestId('rollback-consequence')).toContainText("Version 3 will hold version 1's configuration");
  await confirmTyped(page, APP);
  await expect(page.getByTestId('application-version')).toContainText('v3', { timeout: SLOW });
  await expectStatus(page, 'RUNNING');

  // The job restored by the rollback: every subtask RUNNING, no restart, no exception.
  const cells = graph.getByTestId('subtask-cell');
  await expect(async () => {
    const states = await cells.evaluateAll((els) => els.map((e) => e.getAttribute('data-state')));
    expect(states.length).toBeGreaterThan(0);
    expect(states.every((s) => s === 'RUNNING')).toBe(true);
  }).toPass({ timeout: SLOW });
  await expect(graph.locator('[data-testid="job-vertex"]:not([data-status="RUNNING"])')).toHaveCount(0);
  await expect(page.getByTestId('job-restarts')).toHaveText('0', { timeout: SLOW });
  await expect(page.getByTestId('latest-exception')).toHaveCount(0);
  // A minute of simulated time, then a fresh read: the poison pill failed 8 s into processing, so the job
  // would have restarted by now had the rollback not removed it.
  await advance(product, 60_000);
  await page.reload();
  await expect(graph.getByTestId('subtask-cell').first()).toBeVisible({ timeout: SLOW });
  await expect(page.getByTestId('job-restarts')).toHaveText('0');
  await expect(notRunningCell).toHaveCount(0);
  await expect(page.getByTestId('latest-exception')).toHaveCount(0);
  await screenshot(page, 'journey-restart-loop-rolled-back');

  await clickTab(page, 'versions');
  await expect(page.locator('[data-testid="version-row"][data-version="2"]')).toHaveAttribute(
    'data-status',
    'ROLLED_BACK',
  );
  await expect(page.getByTestId('rolled-back')).toHaveCount(1);
  await expect(headerStatus(page)).toHaveAttribute('data-status', 'RUNNING');
  expect(consoleErrors).toEqual([]);
});

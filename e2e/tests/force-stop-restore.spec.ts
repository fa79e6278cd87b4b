/**
 * Journey 3: force stop (typed confirmation) takes no snapshot; a start from a chosen snapshot brings the
 * application back to RUNNING.
 */
import { expect, test } from '../fixtures.js';
import {
  clickTab,
  confirmTyped,
  expectStatus,
  openAction,
  openApp,
  screenshot,
  snapshotNames,
  snapshotRow,
  SLOW,
} from './helpers.js';

const APP = 'clickstream-sessionizer';
const SNAPSHOT = 'nightly-1';

test('force stop takes no snapshot; start from a chosen snapshot', async ({ page, product, consoleErrors }) => {
  await openApp(page, product, APP, 'snapshots');
  await expectStatus(page, 'RUNNING');
  await expect(snapshotRow(page, SNAPSHOT)).toBeVisible();
  const before = await snapshotNames(page);
  expect(before).toContain(SNAPSHOT);

  await openAction(page, 'forceStop');
  await expect(page.getByTestId('confirm-description')).toContainText('No snapshot will be taken');
  await expect(page.getByTestId('force-stop-last-snapshot')).toContainText(SNAPSHOT);
  await screenshot(page, 'dialog-force-stop');
  await confirmTyped(page, APP);
  await expectStatus(page, 'READY');

  // The operation ended, and the snapshot list is what it was: a force stop takes none.
  await clickTab(page, 'operations');
  const latest = page.getByTestId('operation-row').first();
  await expect(latest).toContainText('Force stop application');
  await expect(latest).toHaveAttribute('data-status', 'SUCCESSFUL', { timeout: SLOW });
  await clickTab(page, 'snapshots');
  await expect(snapshotRow(page, SNAPSHOT)).toBeVisible();
  expect(await snapshotNames(page)).toEqual(before);
  await expect(page.getByTestId('snapshot-quota')).toContainText(`Quota: ${before.length} / 1,000 snapshots`);

  // Start, restoring the chosen snapshot.
  await openAction(page, 'start');
  const dialog = page.getByTestId('start-dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByTestId('restore-RESTORE_FROM_CUSTOM_SNAPSHOT').check();
  const confirm = dialog.getByTestId('confirm-button');
  await expect(confirm).toBeDisabled();
  await expect(dialog.getByTestId('start-consequence')).toContainText('Choose the snapshot to restore.');
  await dialog.getByTestId('start-snapshot').selectOption(SNAPSHOT);
  await expect(dialog.getByTestId('start-consequence')).toContainText(`The job starts from ${SNAPSHOT}`);
  await expect(dialog.getByTestId('preflight-verdict')).toHaveAttribute('data-ok', 'true');
  // The pre-flight names the snapshot the start will restore.
  await expect(
    dialog.getByTestId('preflight').locator('div', { has: page.getByText('Restores', { exact: true }) }),
  ).toContainText(SNAPSHOT);
  await screenshot(page, 'dialog-start-custom-snapshot');
  await expect(confirm).toBeEnabled();
  await confirm.click();
  await expect(dialog).toBeHidden({ timeout: SLOW });
  await expectStatus(page, 'RUNNING');

  await clickTab(page, 'job');
  const graph = page.getByTestId('job-graph');
  await expect(graph.getByTestId('job-vertex').first()).toBeVisible({ timeout: SLOW });
  await expect(graph.getByTestId('subtask-cell').first()).toBeVisible();
  await expect(graph.locator('[data-testid="subtask-cell"]:not([data-state="RUNNING"])')).toHaveCount(0, {
    timeout: SLOW,
  });
  await clickTab(page, 'snapshots');
  await expect(snapshotRow(page, SNAPSHOT)).toBeVisible();
  expect(await snapshotNames(page)).toEqual(before);
  expect(consoleErrors).toEqual([]);
});

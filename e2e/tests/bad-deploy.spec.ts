/**
 * Journey 2: an update with a code package whose main() throws, with system rollback on. The update fails,
 * the service rolls it back, and the console shows the failed operation, its rollback and the versions.
 */
import { expect, test } from '../fixtures.js';
import { clickTab, expectStatus, openAction, openApp, screenshot, SLOW } from './helpers.js';

const APP = 'clickstream-sessionizer';
const BAD = 'mfc-demo-artifacts/sessionizer/sessionizer-1.2.0-bad-main.jar';

test('a bad deploy with system rollback on fails and is rolled back', async ({ page, product, consoleErrors }) => {
  await openApp(page, product, APP);
  await expectStatus(page, 'RUNNING');
  await expect(page.getByTestId('application-version')).toHaveText('v1');
  await expect(page.getByTestId('overview-code')).toHaveText('sessionizer/sessionizer-1.0.0.jar');

  await openAction(page, 'update');
  const dialog = page.getByTestId('update-dialog');
  await expect(dialog).toBeVisible();
  const confirm = dialog.getByTestId('confirm-button');
  await expect(confirm).toBeDisabled();
  await expect(dialog.getByTestId('update-consequence')).toContainText('Nothing changed yet.');
  await dialog.getByTestId('update-code').selectOption(BAD);
  const rollback = dialog.getByLabel('System rollback (the service rolls back a failed update)');
  await expect(rollback).not.toBeChecked();
  await rollback.check();
  await expect(dialog.getByTestId('update-consequence')).toContainText(
    'code → sessionizer/sessionizer-1.2.0-bad-main.jar',
  );
  await expect(dialog.getByTestId('update-consequence')).toContainText('system rollback on');
  await expect(dialog.getByTestId('preflight-verdict')).toBeVisible();
  await screenshot(page, 'dialog-update-bad-main');
  await expect(confirm).toBeEnabled();
  await expect(confirm).toHaveText('Update to version 2');
  await confirm.click();
  await expect(dialog).toBeHidden({ timeout: SLOW });

  // The update runs, fails in main() and the service rolls back to the last good configuration.
  await clickTab(page, 'operations');
  const failed = page.locator('[data-testid="operation-row"][data-status="FAILED"]');
  await expect(failed).toHaveCount(1, { timeout: SLOW });
  await expect(failed).toContainText('Update');
  await expect(failed.getByTestId('operation-error')).toContainText('session.gap.minutes');
  await expect(failed).toContainText(/Rolled back by .*\(SUCCESSFUL\)/, { timeout: SLOW });
  const rollbackId = await failed.locator('a[href^="#op-"]').getAttribute('href');
  expect(rollbackId).toMatch(/^#op-/);
  const rollbackRow = page.locator(`[data-testid="operation-row"][data-operation-id="${rollbackId!.slice(4)}"]`);
  await expect(rollbackRow).toHaveAttribute('data-status', 'SUCCESSFUL');
  await expect(rollbackRow).toContainText('Rollback');
  await expectStatus(page, 'RUNNING');
  await screenshot(page, 'journey-bad-deploy-operations');

  await clickTab(page, 'versions');
  await expect(page.locator('[data-testid="version-row"][data-version="2"]')).toHaveAttribute(
    'data-status',
    'ROLLED_BACK',
  );
  await expect(page.getByTestId('rolled-back')).toHaveCount(1);
  await clickTab(page, 'overview');
  await expect(page.getByTestId('overview-code')).toHaveText('sessionizer/sessionizer-1.0.0.jar');
  expect(consoleErrors).toEqual([]);
});

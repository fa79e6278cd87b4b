/**
 * Journey 5: a customer managed key on an application. The change is pending until a restart; after it,
 * new snapshots are under the key; with the key disabled, a restore from such a snapshot is refused with a
 * message that says why.
 */
import { advance, expect, open, test } from '../fixtures.js';
import {
  callBff,
  clickTab,
  confirmTyped,
  expectStatus,
  openAction,
  openApp,
  screenshot,
  snapshotRow,
  SLOW,
} from './helpers.js';

const APP = 'clickstream-sessionizer';
const ALIAS = 'alias/mfc-demo-state';
const SNAPSHOT = 'e2e-under-cmk';

test('a customer managed key: pending until restart, then protecting snapshots; disabled, it blocks a restore', async ({
  page,
  product,
  consoleErrors,
}) => {
  await openApp(page, product, APP, 'encryption');
  await expectStatus(page, 'RUNNING');
  const configured = page.getByTestId('encryption-configured');
  const inEffect = page.getByTestId('encryption-in-effect');
  await expect(configured).toHaveAttribute('data-key-type', 'AWS_OWNED_KEY');
  await expect(inEffect).toHaveAttribute('data-key-type', 'AWS_OWNED_KEY');
  await expect(page.getByTestId('encryption-pending')).toHaveCount(0);

  // Stop (a graceful stop: its snapshot is on the AWS owned key in effect).
  await openAction(page, 'stop');
  const stop = page.getByTestId('stop-dialog');
  await expect(stop.getByTestId('stop-consequence')).toContainText('A snapshot of the job');
  await stop.getByTestId('confirm-button').click();
  await expect(stop).toBeHidden({ timeout: SLOW });
  await expectStatus(page, 'READY');

  // Change the key to the demo CMK.
  await openAction(page, 'changeKey');
  const dialog = page.getByTestId('change-key-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('Customer managed key')).toBeChecked();
  await expect(dialog.getByTestId('confirm-button')).toBeDisabled();
  const select = dialog.getByTestId('change-key-select');
  const option = select.locator('option', { hasText: ALIAS });
  await expect(option).toHaveCount(1);
  const keyArn = (await option.getAttribute('value'))!;
  // The console names a key by its alias only where the BFF reports one; the key id is in every view.
  const keyId = /:key\/([0-9a-f-]{36})$/.exec(keyArn)![1]!;
  await select.selectOption(keyArn);
  await expect(dialog.getByTestId('change-key-caveats')).toContainText('It takes effect at the next start.');
  await screenshot(page, 'dialog-change-key');
  await dialog.getByTestId('confirm-button').click();
  await expect(dialog).toBeHidden({ timeout: SLOW });

  // Configured now, in effect only after the next start: it stays pending while the application is READY.
  await expect(page.getByTestId('encryption-pending')).toBeVisible({ timeout: SLOW });
  await expect(configured).toHaveAttribute('data-key-type', 'CUSTOMER_MANAGED_KEY');
  await expect(page.getByTestId('encryption-configured-key')).toHaveText(keyArn);
  await expect(page.getByTestId('encryption-configured-state')).toHaveText('Enabled');
  await expect(inEffect).toHaveAttribute('data-key-type', 'AWS_OWNED_KEY');
  await expect(page.getByTestId('encryption-badge')).toContainText('pending restart');
  await expect(page.getByTestId('application-version')).toHaveText('v2');
  await expectStatus(page, 'READY');
  await advance(product, 5 * 60_000);
  await page.reload();
  await expect(page.getByTestId('encryption-pending')).toBeVisible();
  await expect(inEffect).toHaveAttribute('data-key-type', 'AWS_OWNED_KEY');
  await screenshot(page, 'journey-encryption-pending');

  // Start again, from the latest snapshot (the stop's, on the AWS owned key).
  await openAction(page, 'start');
  const start = page.getByTestId('start-dialog');
  await expect(start.getByTestId('restore-RESTORE_FROM_LATEST_SNAPSHOT')).toBeChecked();
  await expect(start.getByTestId('preflight-verdict')).toHaveAttribute('data-ok', 'true');
  await start.getByTestId('confirm-button').click();
  await expect(start).toBeHidden({ timeout: SLOW });
  await expectStatus(page, 'RUNNING');

  await expect(page.getByTestId('encryption-pending')).toHaveCount(0, { timeout: SLOW });
  await expect(inEffect).toHaveAttribute('data-key-type', 'CUSTOMER_MANAGED_KEY');
  await expect(page.getByTestId('encryption-in-effect-key')).toHaveText(keyArn);
  await expect(page.getByTestId('encryption-in-effect-state')).toHaveText('Enabled');
  await expect(page.getByTestId('encryption-badge')).not.toContainText('pending restart');

  // A snapshot taken now is under the customer managed key.
  await clickTab(page, 'snapshots');
  await openAction(page, 'createSnapshot');
  await page.getByTestId('snapshot-name').fill(SNAPSHOT);
  await page.getByTestId('create-snapshot-dialog').getByTestId('confirm-button').click();
  const row = snapshotRow(page, SNAPSHOT);
  await expect(row.locator('.op-status')).toHaveText('READY', { timeout: SLOW });
  await expect(row.getByTestId('snapshot-key')).toContainText(keyId);
  await expect(row.getByTestId('snapshot-key')).toContainText('(Enabled)');
  await expect(row).toHaveAttribute('data-flags', '');
  // The snapshot from the graceful stop stays on the AWS owned key.
  await expect(page.getByTestId('snapshot-row').filter({ hasText: 'AWS owned key' }).first()).toBeVisible();
  await screenshot(page, 'journey-encryption-snapshots');

  // Stop without a snapshot (the key is about to be disabled), then disable the key on the Keys screen.
  await openAction(page, 'forceStop');
  await confirmTyped(page, APP);
  await expectStatus(page, 'READY');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Keys' }).click();
  await expect(page).toHaveURL(/\/keys$/);
  const key = page.getByTestId('key-row').filter({ has: page.getByRole('heading', { name: ALIAS }) });
  await expect(key).toHaveAttribute('data-state', 'Enabled');
  await expect(key.getByTestId('key-applications')).toContainText(APP);
  await expect(key.getByTestId('key-snapshots')).toContainText(SNAPSHOT);
  await expect(key).toHaveAttribute('data-key-id', keyId);
  await key.getByTestId('action-disable-key').click();
  await expect(page.getByTestId('confirm-dialog')).toContainText('snapshots cannot be restored while it is disabled');
  await screenshot(page, 'dialog-disable-key');
  await confirmTyped(page, keyId);
  await expect(key).toHaveAttribute('data-state', 'Disabled', { timeout: SLOW });
  await expect(key.getByTestId('key-state')).toHaveText('Disabled');
  await expect(key.getByTestId('action-enable-key')).toBeVisible();

  // The snapshot is flagged, and a start that restores it is refused before it is tried.
  await open(page, product, `/applications/${APP}/snapshots`);
  await expect(row).toHaveAttribute('data-flags', /key-disabled/, { timeout: SLOW });
  await expect(row.getByTestId('snapshot-flag')).toHaveText(
    'Key disabled: cannot be restored until the key is enabled',
  );
  await row.getByTestId('action-restore-snapshot').click();
  await expect(start).toBeVisible();
  await expect(start.getByTestId('restore-RESTORE_FROM_CUSTOM_SNAPSHOT')).toBeChecked();
  await expect(start.getByTestId('start-snapshot')).toHaveValue(SNAPSHOT);
  await expect(start.getByTestId('preflight-verdict')).toHaveAttribute('data-ok', 'false', { timeout: SLOW });
  await expect(start.getByTestId('preflight-verdict')).toHaveText('This will fail: fix the blocking items first.');
  const blocking = start.locator('[data-testid="preflight-item"][data-severity="blocking"]');
  await expect(blocking.first()).toBeVisible();
  await expect(blocking).toContainText(`Snapshot ${SNAPSHOT} is encrypted with ${keyArn}, which is Disabled`);
  await expect(start.getByTestId('confirm-button')).toBeDisabled();
  await screenshot(page, 'journey-encryption-restore-refused');

  await start.getByRole('button', { name: 'Cancel' }).click();
  await expect(start).toBeHidden();

  // Automation that skips the check (the BFF accepts the call as the service does): the start fails, and
  // the console says why where the operator looks.
  const answer = await callBff(page, product, 'POST', `/applications/${APP}/start`, {
    restoreType: 'RESTORE_FROM_CUSTOM_SNAPSHOT',
    snapshotName: SNAPSHOT,
  });
  expect(answer.status).toBe(202);
  await clickTab(page, 'operations');
  const failed = page.getByTestId('operation-row').first();
  await expect(failed).toContainText('Start application');
  await expect(failed).toHaveAttribute('data-status', 'FAILED', { timeout: SLOW });
  await expect(failed.getByTestId('operation-error')).toHaveText(
    `Failed to restore from snapshot ${SNAPSHOT}: unable to decrypt the snapshot. KMS key ${keyArn} is disabled (KMS.DisabledException).`,
  );
  await expectStatus(page, 'READY');
  await expect(page.getByTestId('attention-reasons')).toContainText(
    `StartApplication failed: Failed to restore from snapshot ${SNAPSHOT}: unable to decrypt the snapshot.`,
  );
  await screenshot(page, 'journey-encryption-restore-failed');
  expect(consoleErrors).toEqual([]);
});

/** Journey 4: create a snapshot, then delete it with the snapshot's name typed. */
import { expect, test } from '../fixtures.js';
import { confirmTyped, expectStatus, openApp, screenshot, snapshotNames, snapshotRow, SLOW } from './helpers.js';

const APP = 'metrics-exporter';
const NAME = 'e2e-before-change.1';

test('create and delete a snapshot', async ({ page, product, consoleErrors }) => {
  await openApp(page, product, APP, 'snapshots');
  await expectStatus(page, 'RUNNING');
  const before = await snapshotNames(page);
  expect(before).not.toContain(NAME);
  const quota = page.getByTestId('snapshot-quota');
  await expect(quota).toContainText(`Quota: ${before.length} / 1,000 snapshots`);

  const create = page.getByTestId('action-createSnapshot-tab');
  await expect(create).toHaveAttribute('aria-disabled', 'false');
  await create.click();
  const dialog = page.getByTestId('create-snapshot-dialog');
  await expect(dialog).toBeVisible();
  const input = dialog.getByTestId('snapshot-name');
  await expect(input).toHaveValue(/^manual-\d{8}-\d{6}$/);
  await expect(input).toBeFocused();
  // An invalid name keeps the button disabled and says why.
  await input.fill('not a valid name!');
  await expect(input).toHaveAttribute('aria-invalid', 'true');
  await expect(dialog.getByTestId('confirm-button')).toBeDisabled();
  await expect(dialog).toContainText('1–256 characters: letters, digits, _ . and -.');
  await input.fill(NAME);
  await expect(input).toHaveAttribute('aria-invalid', 'false');
  await screenshot(page, 'dialog-create-snapshot');
  await dialog.getByTestId('confirm-button').click();
  await expect(dialog).toBeHidden({ timeout: SLOW });

  const row = snapshotRow(page, NAME);
  await expect(row).toBeVisible({ timeout: SLOW });
  await expect(row.locator('.op-status')).toHaveText('READY', { timeout: SLOW });
  await expect(row.getByTestId('snapshot-key')).toContainText('AWS owned key');
  await expect(quota).toContainText(`Quota: ${before.length + 1} / 1,000 snapshots`);
  expect((await snapshotNames(page)).sort()).toEqual([...before, NAME].sort());
  await screenshot(page, 'journey-snapshot-created');

  // The same name cannot be taken twice.
  await page.getByTestId('action-createSnapshot-tab').click();
  await dialog.getByTestId('snapshot-name').fill(NAME);
  await expect(dialog).toContainText('A snapshot with this name exists.');
  await expect(dialog.getByTestId('confirm-button')).toBeDisabled();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();

  await row.getByTestId('action-delete-snapshot').click();
  await expect(page.getByTestId('confirm-dialog')).toContainText(`Delete snapshot ${NAME}`);
  await screenshot(page, 'dialog-delete-snapshot');
  await confirmTyped(page, NAME);
  // The outcome is announced (the toast lives 6 s: checked right after the dialog closes).
  await expect(page.getByTestId('toast').filter({ hasText: NAME }).first()).toBeVisible();
  await expect(row).toHaveCount(0, { timeout: SLOW });
  await expect(quota).toContainText(`Quota: ${before.length} / 1,000 snapshots`);
  expect((await snapshotNames(page)).sort()).toEqual([...before].sort());
  expect(consoleErrors).toEqual([]);
});

/**
 * Journey 6: a viewer cannot force stop. The console disables the button and says why; the BFF refuses
 * the call with 403 when it is made directly.
 */
import { expect, test } from '../fixtures.js';
import { callBff, expectStatus, openApp, screenshot } from './helpers.js';

const APP = 'payments-fraud-detector';

test('a viewer cannot force stop: the button says why and the BFF answers 403', async ({
  page,
  product,
  consoleErrors,
}) => {
  await openApp(page, product, APP);
  await expectStatus(page, 'RUNNING');
  const forceStop = page.getByTestId('action-forceStop');
  // As the demo operator, force stop is available.
  await expect(forceStop).toHaveAttribute('aria-disabled', 'false');
  await expect(page.getByTestId('action-forceStop-reason')).toHaveCount(0);

  const roles = page.getByTestId('role-switcher');
  await expect(roles).toHaveValue('operator');
  await roles.selectOption('viewer');
  await expect(roles).toHaveValue('viewer');
  await expect(page.getByTestId('toast').filter({ hasText: 'You now act as viewer.' })).toBeVisible();

  await expect(forceStop).toHaveAttribute('aria-disabled', 'true');
  const reason = page.getByTestId('action-forceStop-reason');
  await expect(reason).toHaveText('Needs the operator role; you are signed in as demo-viewer (viewer).');
  // The reason is the button's accessible description, and shows on focus.
  await expect(forceStop).toHaveAccessibleDescription(
    'Needs the operator role; you are signed in as demo-viewer (viewer).',
  );
  await forceStop.focus();
  await expect(reason).toBeVisible();
  await screenshot(page, 'journey-viewer-force-stop-disabled');
  // Every other action is closed to a viewer as well.
  for (const action of ['update', 'stop', 'rollback', 'createSnapshot', 'delete'])
    await expect(page.getByTestId(`action-${action}`)).toHaveAttribute('aria-disabled', 'true');

  // Pressing it anyway (Playwright treats aria-disabled as disabled, hence force) opens no dialog.
  await forceStop.click({ force: true });
  await expect(page.getByTestId('confirm-dialog')).toHaveCount(0);

  // The BFF is the gate, not the button: a direct call with a valid session and CSRF token is refused.
  const answer = await callBff(page, product, 'POST', `/applications/${APP}/stop`, { force: true, confirm: APP });
  expect(answer.status).toBe(403);
  expect(answer.body.error?.name).toBe('Forbidden');
  expect(answer.body.error?.message).toMatch(/needs the operator role; you are signed in as demo-viewer \(viewer\)\.$/);
  await expect(page.getByTestId('confirm-dialog')).toHaveCount(0);
  await page.reload();
  await expectStatus(page, 'RUNNING');
  await expect(page.getByTestId('role-switcher')).toHaveValue('viewer');

  // The refusal is in the audit log, with who tried.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit' }).click();
  const denied = page.locator('[data-testid="audit-row"][data-outcome="denied"]').first();
  await expect(denied).toContainText(APP);
  await expect(denied).toContainText('demo-viewer (viewer)');

  // Back to operator: the action is available again.
  await page.getByTestId('role-switcher').selectOption('operator');
  await page.goBack();
  await expect(page.getByTestId('action-forceStop')).toHaveAttribute('aria-disabled', 'false');
  expect(consoleErrors).toEqual([]);
});

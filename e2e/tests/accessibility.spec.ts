/**
 * Journeys 7 and 8: every screen (the fleet, each application tab, keys, audit, the demo panel, each
 * dialog, the sign-in page) is checked with axe for serious and critical WCAG 2.1 A/AA violations and for
 * sideways scrolling, and saved as a screenshot under e2e/test-results/screenshots/. Pages are checked in
 * the light and the dark theme, dialogs (which use the same colours) in the light one.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { randomBytes, scryptSync } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect, open, test } from '../fixtures.js';
import { audit, BOTH, clickTab, openAction, openApp, snapshotRow, SLOW, type AppTab } from './helpers.js';

/** Waits until a view has its content (not a loading state). */
async function ready(locator: Locator): Promise<void> {
  await expect(locator.first()).toBeVisible({ timeout: SLOW });
  await expect(locator.page().getByTestId('loading')).toHaveCount(0, { timeout: SLOW });
}

async function dialog(page: Page, action: string, testId: string, name: string): Promise<void> {
  await openAction(page, action);
  const d = page.getByTestId(testId);
  await expect(d).toBeVisible();
  await expect(page.getByTestId('loading')).toHaveCount(0, { timeout: SLOW });
  // The update dialog with a change, and its pre-flight answer, so the scan sees them.
  if (action === 'update') {
    await d.getByTestId('update-code').selectOption('mfc-demo-artifacts/sessionizer/sessionizer-1.1.0.jar');
    await expect(d.getByTestId('preflight-verdict')).toBeVisible({ timeout: SLOW });
  }
  await audit(page, name);
  await d.getByRole('button', { name: 'Cancel' }).click();
  await expect(d).toBeHidden();
}

const TAB_READY: Record<AppTab, string> = {
  overview: 'last-operation',
  job: 'job-graph',
  checkpoints: 'checkpoints-table',
  snapshots: 'snapshot-quota',
  operations: 'operations-timeline',
  versions: 'versions-table',
  encryption: 'encryption-configured',
  metrics: 'chart-fullRestarts',
  logs: 'log-line',
};

test('the fleet, the demo panel and every application tab pass axe', async ({ page, product, consoleErrors }) => {
  test.setTimeout(180_000);

  // Fleet, then the demo panel over it.
  await open(page, product, '/');
  await ready(page.getByTestId('fleet-row'));
  await expect(page.getByTestId('fleet-row')).toHaveCount(6);
  await audit(page, 'fleet', BOTH);
  await page.getByTestId('demo-toggle').click();
  await ready(page.getByTestId('demo-panel').getByTestId('scenario-disable-key'));
  await audit(page, 'demo-panel', BOTH);
  await page.getByRole('button', { name: 'Close demo controls' }).click();
  await expect(page.getByTestId('demo-panel')).toBeHidden();

  // Every tab of the looping application (the richest: restarts, exceptions, a failing job).
  const looping = 'orders-enricher';
  await openApp(page, product, looping);
  await ready(page.getByTestId(TAB_READY.overview));
  await audit(page, 'application-overview', BOTH);
  for (const tab of [
    'job',
    'checkpoints',
    'snapshots',
    'operations',
    'versions',
    'encryption',
    'metrics',
    'logs',
  ] as const) {
    await clickTab(page, tab);
    await ready(page.getByTestId(`panel-${tab}`).getByTestId(TAB_READY[tab]));
    if (tab === 'metrics') await expect(page.getByTestId('restart-loop-alarm')).toBeVisible();
    // The log shows up to 300 lines alike: 15 of each level stand for the rest (marked, then excluded).
    if (tab === 'logs')
      await page.getByTestId('log-line').evaluateAll((lines) => {
        const seen = new Map<string, number>();
        for (const line of lines) {
          const level = line.getAttribute('data-level') ?? '';
          seen.set(level, (seen.get(level) ?? 0) + 1);
          if (seen.get(level)! > 15) line.setAttribute('data-e2e-skip', '');
        }
      });
    await audit(page, `application-${tab}`, BOTH, tab === 'logs' ? '[data-e2e-skip]' : undefined);
  }

  // The job graph with a vertex's subtasks open and the exception history unfolded.
  await clickTab(page, 'job');
  await page.getByTestId('job-vertex').first().click();
  await ready(page.getByTestId('subtasks-table'));
  await page.getByTestId('exception-history').locator('summary').click();
  await expect(page.getByTestId('exception-history')).toHaveAttribute('open', '');
  await audit(page, 'application-job-subtasks', BOTH);
  expect(consoleErrors).toEqual([]);
});

test('every dialog passes axe', async ({ page, product, consoleErrors }) => {
  test.setTimeout(180_000);
  await openApp(page, product, 'orders-enricher');
  await ready(page.getByTestId(TAB_READY.overview));
  await dialog(page, 'rollback', 'confirm-dialog', 'dialog-rollback');

  // A RUNNING application's dialogs.
  const running = 'clickstream-sessionizer';
  await openApp(page, product, running);
  await ready(page.getByTestId('last-operation'));
  await dialog(page, 'update', 'update-dialog', 'dialog-update');
  await dialog(page, 'stop', 'stop-dialog', 'dialog-stop');
  await dialog(page, 'forceStop', 'confirm-dialog', 'dialog-force-stop');
  await dialog(page, 'createSnapshot', 'create-snapshot-dialog', 'dialog-create-snapshot');
  await dialog(page, 'delete', 'confirm-dialog', 'dialog-delete');
  await clickTab(page, 'encryption');
  await ready(page.getByTestId('encryption-configured'));
  await dialog(page, 'changeKey', 'change-key-dialog', 'dialog-change-key');

  // The CMK application's encryption tab, with its key's rotation dialog.
  await openApp(page, product, 'payments-fraud-detector', 'encryption');
  await ready(page.getByTestId('key-state'));
  await audit(page, 'application-encryption-cmk');
  await dialog(page, 'rotateKey', 'rotate-dialog', 'dialog-rotate-key');

  // A READY application: the start dialog (a chosen snapshot; skip restore with its typed confirmation),
  // and a snapshot's delete dialog.
  const ready_ = 'inventory-aggregator';
  await openApp(page, product, ready_, 'snapshots');
  await ready(snapshotRow(page, 'before-weekend'));
  await audit(page, 'application-snapshots-ready');
  await snapshotRow(page, 'before-weekend').getByTestId('action-restore-snapshot').click();
  const start = page.getByTestId('start-dialog');
  await expect(start.getByTestId('start-snapshot')).toHaveValue('before-weekend');
  await expect(start.getByTestId('preflight-verdict')).toBeVisible({ timeout: SLOW });
  await audit(page, 'dialog-start');
  await start.getByTestId('restore-SKIP_RESTORE_FROM_SNAPSHOT').check();
  await expect(start.getByTestId('confirm-input')).toBeVisible();
  await audit(page, 'dialog-start-skip-restore');
  await start.getByRole('button', { name: 'Cancel' }).click();
  await snapshotRow(page, 'before-weekend').getByTestId('action-delete-snapshot').click();
  await expect(page.getByTestId('confirm-dialog')).toBeVisible();
  await audit(page, 'dialog-delete-snapshot');
  await page.getByTestId('confirm-dialog').getByRole('button', { name: 'Cancel' }).click();
  await clickTab(page, 'job');
  await ready(page.getByTestId('job-unavailable'));
  await audit(page, 'application-job-not-running');

  expect(consoleErrors).toEqual([]);
});

test('keys, audit and a missing page pass axe', async ({ page, product, consoleErrors }) => {
  test.setTimeout(180_000);
  // Keys, with the disable dialog; then the key disabled (by the demo scenario) and the enable dialog.
  await open(page, product, '/keys');
  await ready(page.getByTestId('key-row'));
  await audit(page, 'keys', BOTH);
  await page.getByTestId('action-disable-key').first().click();
  await expect(page.getByTestId('confirm-dialog')).toBeVisible();
  await audit(page, 'dialog-disable-key');
  await page.getByTestId('confirm-dialog').getByRole('button', { name: 'Cancel' }).click();
  // The demo panel's scenario disables the key; the Keys screen shows it without a reload.
  await page.getByTestId('demo-toggle').click();
  const demo = page.getByTestId('demo-panel');
  await demo.getByLabel('Scenario on').selectOption('payments-fraud-detector');
  await demo.getByTestId('scenario-disable-key').click();
  await expect(page.getByTestId('toast').filter({ hasText: 'Disable the customer managed key' })).toBeVisible();
  await page.getByRole('button', { name: 'Close demo controls' }).click();
  await expect(page.getByTestId('key-row').first()).toHaveAttribute('data-state', 'Disabled', { timeout: SLOW });
  await audit(page, 'keys-disabled', BOTH);
  await page.getByTestId('action-enable-key').first().click();
  await expect(page.getByTestId('enable-key-dialog')).toBeVisible();
  await audit(page, 'dialog-enable-key');
  await page.getByTestId('enable-key-dialog').getByRole('button', { name: 'Cancel' }).click();
  await openApp(page, product, 'payments-fraud-detector', 'snapshots');
  await expect(snapshotRow(page, 'pre-audit')).toHaveAttribute('data-flags', /key-disabled/);
  await audit(page, 'application-snapshots-key-disabled', BOTH);

  // The audit log (the scenario above is in it), and a page that does not exist.
  await open(page, product, '/audit');
  await ready(page.getByTestId('audit-row'));
  await audit(page, 'audit', BOTH);
  await open(page, product, '/nowhere');
  await ready(page.getByRole('heading', { name: 'Not found' }));
  await audit(page, 'not-found');
  expect(consoleErrors).toEqual([]);
});

// Production mode: the sign-in page (a users file with one operator; the hash made as the BFF makes it).
const PASSWORD = 'correct horse battery staple';
const usersDir = mkdtempSync(join(tmpdir(), 'mfc-e2e-users-'));
const salt = randomBytes(16);
const key = scryptSync(PASSWORD, salt, 64, { N: 16_384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
writeFileSync(
  join(usersDir, 'users.json'),
  JSON.stringify([
    {
      username: 'alice',
      role: 'operator',
      passwordHash: ['scrypt', 16_384, 8, 1, salt.toString('base64url'), key.toString('base64url')].join('$'),
    },
  ]),
);

test.describe('production mode', () => {
  test.use({
    productEnv: {
      MFC_USERS_FILE: join(usersDir, 'users.json'),
      MFC_SESSION_SECRET: randomBytes(32).toString('hex'),
    },
  });

  test('the sign-in page passes axe, refuses a wrong password and signs in', async ({
    page,
    product,
    consoleErrors,
  }) => {
    await open(page, product, '/');
    const submit = page.getByTestId('signin-submit');
    await expect(submit).toBeVisible();
    await expect(page.getByTestId('fleet-row')).toHaveCount(0);
    await audit(page, 'signin', BOTH);

    await page.getByTestId('signin-username').fill('alice');
    await page.getByTestId('signin-password').fill('wrong password');
    await submit.click();
    await expect(page.getByTestId('inline-error')).toContainText('Wrong username or password.');
    await audit(page, 'signin-error', BOTH);
    // The failed sign-in answered 401: the browser logs that, which is expected here.
    consoleErrors.splice(0, consoleErrors.length, ...consoleErrors.filter((e) => !/status of 401/.test(e)));

    await page.getByTestId('signin-password').fill(PASSWORD);
    await submit.click();
    await expect(page.getByTestId('fleet-row').first()).toBeVisible({ timeout: SLOW });
    await expect(page.getByTestId('user-role')).toHaveText('operator');
    await expect(page.getByTestId('role-switcher')).toHaveCount(0);
    expect(consoleErrors).toEqual([]);
  });
});

/**
 * Journey: the advisor. On the fleet, the backpressured demo application (metrics-exporter) carries advice;
 * the operator follows it to the application's Advice section, reads the buffer-debloating finding (expired
 * checkpoints, barriers waiting) and its diff, applies it through the update flow (pre-flight first), and
 * once the job runs again and simulated time has passed, a re-check no longer finds it. A viewer sees the
 * change but cannot apply it.
 */
import { BUFFER_DEBLOAT_KEY, FLINK_PROPERTY_GROUP } from '@mfc/contracts';
import type { Locator, Page } from '@playwright/test';
import type { Bff } from '@mfc/bff';
import { expect, open, test } from '../fixtures.js';
import { callBff, expectStatus, fleetRow, openApp, SLOW, shootElementThemes, shootThemes } from './helpers.js';

const APP = 'metrics-exporter';
const DEBLOAT_PATH = `properties.${FLINK_PROPERTY_GROUP}.${BUFFER_DEBLOAT_KEY}`;
/** Where this journey's screenshots go, in both themes, to be looked at. */
const SHOTS = process.env.MFC_ADVICE_SCREENSHOTS ?? '/tmp/advice-screenshots';

/** The demo panel's clock control (the BFF's demo route, which also re-reads the service's time). */
async function demoClock(page: Page, bff: Bff, body: { speed?: number; advanceMs?: number }): Promise<void> {
  const answer = await callBff(page, bff, 'POST', '/demo/clock', body);
  expect(answer.status).toBe(200);
}

function finding(page: Page, rule: string): Locator {
  return page.locator(`[data-testid="advice-finding"][data-rule="${rule}"]`);
}

test('advice from the fleet to the applied change: buffer debloating, through the update flow', async ({
  page,
  product,
  consoleErrors,
}) => {
  test.setTimeout(240_000);

  // The fleet: the advisor reads RUNNING applications in the background; a fleet event brings the counts.
  await open(page, product, '/');
  const badge = fleetRow(page, APP).getByTestId('fleet-advice');
  await expect(badge).toBeVisible({ timeout: SLOW });
  await expect(badge).toHaveAttribute('title', /Buffer debloating/);
  await expect(badge).toHaveText(/^\d+ advice$/);
  // A healthy job has none.
  await expect(fleetRow(page, 'clickstream-sessionizer').getByTestId('fleet-advice')).toHaveCount(0);
  await shootThemes(page, SHOTS, 'fleet');
  await shootElementThemes(fleetRow(page, APP), SHOTS, 'fleet-row');

  // Followed: the application's Overview, with the Advice section in view.
  await badge.click();
  await expect(page).toHaveURL(new RegExp(`/applications/${APP}#advice$`));
  const section = page.getByTestId('advice-section');
  const debloat = finding(page, 'buffer-debloating');
  await expect(debloat).toBeVisible({ timeout: SLOW });
  await expect(section).toBeInViewport();

  // The finding: checkpoints expire while barriers wait behind backpressured buffers.
  await expect(debloat.getByTestId('advice-severity')).toHaveText('Warning');
  await expect(debloat.getByTestId('advice-title')).toContainText('enable buffer debloating');
  const evidence = debloat.getByTestId('advice-evidence');
  await expect(evidence.getByRole('row', { name: /Expired checkpoints in the history/ })).toContainText(
    /[1-9]\d* of \d+/,
  );
  await expect(evidence.getByRole('row', { name: /Barrier start delay \+ alignment/ })).toBeVisible();
  await expect(evidence.getByRole('row', { name: /Highest backpressure/ })).toBeVisible();
  await expect(debloat.getByTestId('advice-evidence-link')).toHaveText('Checkpoints →');
  await expect(debloat.getByTestId('advice-evidence-link')).toHaveAttribute('href', `/applications/${APP}/checkpoints`);
  const line = debloat.getByTestId('advice-diff').getByTestId('change-diff-line');
  await expect(line).toHaveCount(1);
  await expect(line).toHaveAttribute('data-path', DEBLOAT_PATH);
  await expect(line.getByTestId('change-diff-to')).toHaveText('true');
  await shootThemes(page, SHOTS, 'overview');
  await shootElementThemes(section, SHOTS, 'section');

  // Review and apply: the update dialog, filled in with exactly that change, checked before it is sent.
  await debloat.getByTestId('action-advice-apply').click();
  const dialog = page.getByTestId('update-dialog');
  await expect(dialog).toBeVisible();
  const proposal = dialog.getByTestId('update-proposal');
  await expect(proposal).toContainText('From the advisor: Checkpoints wait behind backpressured buffers');
  await expect(proposal.getByTestId('change-diff-line')).toHaveAttribute('data-path', DEBLOAT_PATH);
  await expect(proposal.getByTestId('update-proposal-edited')).toHaveCount(0);
  await expect(dialog.getByTestId('update-consequence')).toContainText('runtime properties');
  await expect(dialog.getByLabel('Group id')).toHaveValue(FLINK_PROPERTY_GROUP);
  await expect(dialog.getByLabel('Properties (key=value, one per line)')).toHaveValue(
    new RegExp(`${BUFFER_DEBLOAT_KEY.replaceAll('.', '\\.')}=true`),
  );
  await expect(dialog.getByTestId('preflight-verdict')).toHaveAttribute('data-ok', 'true', { timeout: SLOW });
  await shootThemes(page, SHOTS, 'dialog', false);
  await dialog.getByTestId('preflight').scrollIntoViewIfNeeded();
  await shootThemes(page, SHOTS, 'dialog-preflight', false);
  const versionBefore = Number((await page.getByTestId('application-version').textContent())?.match(/v(\d+)/)?.[1]);
  await dialog.getByRole('button', { name: `Update to version ${versionBefore + 1}` }).click();
  await expect(dialog).toBeHidden({ timeout: SLOW });

  // The update runs; the job comes back RUNNING with the new version and the option set.
  await expect(page.getByTestId('application-version')).toContainText(`v${versionBefore + 1}`, { timeout: SLOW });
  await expectStatus(page, 'RUNNING');
  const group = page.getByTestId('property-group').filter({ hasText: FLINK_PROPERTY_GROUP });
  await expect(group).toContainText(BUFFER_DEBLOAT_KEY);

  // Simulated minutes of checkpoints with debloating on, then a fresh judgement.
  await demoClock(page, product, { advanceMs: 10 * 60_000 });
  await section.getByTestId('advice-recheck').click();
  await expect(section.getByTestId('advice-recheck')).toHaveText('Re-check', { timeout: SLOW });
  await expect(section).toHaveAttribute('data-findings', /\d+/);
  await expect(debloat).toHaveCount(0);
  // Whatever remains (unaligned checkpoints next, if barriers still wait; the bottleneck) reads this version.
  const remaining = await section
    .getByTestId('advice-finding')
    .evaluateAll((cards) => cards.map((c) => c.getAttribute('data-rule')));
  console.log(`after buffer debloating, the advisor finds: ${remaining.join(', ') || 'nothing'}`);
  expect(remaining).not.toContain('buffer-debloating');
  for (const apply of await section.getByTestId('action-advice-apply').all())
    await expect(apply).toHaveAttribute('aria-disabled', 'false');
  await shootElementThemes(section, SHOTS, 'section-after');

  // The fleet's badge no longer names buffer debloating.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Fleet' }).click();
  const after = fleetRow(page, APP).getByTestId('fleet-advice');
  if (remaining.length > 0) await expect(after).not.toHaveAttribute('title', /Buffer debloating/);
  else await expect(after).toHaveCount(0);
  expect(consoleErrors).toEqual([]);
});

test('a viewer reads the advice but cannot apply it', async ({ page, product, consoleErrors }) => {
  await openApp(page, product, APP);
  await page.getByTestId('role-switcher').selectOption('viewer');
  await expect(page.getByTestId('toast').filter({ hasText: 'You now act as viewer.' })).toBeVisible();
  const debloat = finding(page, 'buffer-debloating');
  await expect(debloat).toBeVisible({ timeout: SLOW });
  await expect(debloat.getByTestId('advice-diff')).toContainText(DEBLOAT_PATH);
  const apply = debloat.getByTestId('action-advice-apply');
  await expect(apply).toHaveAttribute('aria-disabled', 'true');
  await expect(apply).toHaveAccessibleDescription(
    'Needs the operator role; you are signed in as demo-viewer (viewer).',
  );
  await page.getByTestId('toast').getByRole('button', { name: 'Dismiss' }).click();
  await expect(page.getByTestId('toast')).toHaveCount(0);
  await apply.focus();
  await expect(debloat.getByTestId('action-advice-apply-reason')).toBeVisible();
  await shootElementThemes(page.getByTestId('advice-section'), SHOTS, 'section-viewer');
  await apply.click({ force: true });
  await expect(page.getByTestId('update-dialog')).toHaveCount(0);
  // Re-checking is a read: a viewer may.
  await page.getByTestId('advice-recheck').click();
  await expect(debloat).toBeVisible();
  expect(consoleErrors).toEqual([]);
});

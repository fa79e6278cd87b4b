/**
 * Journey: an operator sees that no alarm watches the looping application, reads the recommended
 * restart-loop alarm (its PutMetricAlarm request and CLI line) before creating it, creates it, and watches
 * it go to ALARM by push as simulated time passes: the row, a band on the fullRestarts chart, a toast and
 * the fleet's alarm column. A viewer cannot create it.
 */
import type { Page } from '@playwright/test';
import type { Bff } from '@mfc/bff';
import { expect, test } from '../fixtures.js';
import { callBff, fleetRow, openApp, SLOW, shootElementThemes, shootThemes } from './helpers.js';

const APP = 'orders-enricher';
const ALARM = `${APP}-restart-loop`;
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:flink-oncall';
/** Where this journey's screenshots go, in both themes, to be looked at. */
const SHOTS = process.env.MFC_ALARM_SCREENSHOTS ?? '/tmp/alarm-screenshots';

test.use({ productEnv: { MFC_ALARM_TOPIC_ARN: TOPIC } });

/**
 * The demo panel's clock control (the BFF's demo route, which also re-reads the service's time): speed 0
 * pauses, so the alarm changes state only when the test moves time.
 */
async function demoClock(page: Page, bff: Bff, body: { speed?: number; advanceMs?: number }): Promise<void> {
  const answer = await callBff(page, bff, 'POST', '/demo/clock', body);
  expect(answer.status).toBe(200);
}

test('the recommended loop alarm: shown, created, fired by push, on the chart and the fleet', async ({
  page,
  product,
  consoleErrors,
}) => {
  test.setTimeout(180_000);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: product.url });
  await openApp(page, product, APP, 'metrics');
  await demoClock(page, product, { speed: 0 });
  const section = page.getByTestId('alarms-section');
  await expect(section.getByTestId('alarms-empty')).toContainText(`No alarm watches ${APP}`);
  await expect(section.getByTestId('alarm-row')).toHaveCount(0);
  await shootElementThemes(section, SHOTS, 'section-empty');

  // The dialog shows the alarm before it exists: why, in words, and the exact request.
  await section.getByTestId('action-create-recommended-alarm').click();
  const dialog = page.getByTestId('recommended-alarm-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('recommended-alarm-rationale')).toContainText('fail-and-restart loop');
  const summary = dialog.getByTestId('recommended-alarm-summary');
  await expect(summary).toContainText('fullRestarts (AWS/KinesisAnalytics, Application=orders-enricher)');
  await expect(summary).toContainText('DIFF(m1)');
  await expect(summary).toContainText('> 0 in 5 of 5 one-minute periods');
  await expect(summary).toContainText('not breaching');
  await expect(summary).toContainText('on ALARM: SNS topic flink-oncall');
  const request = JSON.parse((await dialog.getByTestId('recommended-alarm-json').textContent()) ?? '') as Record<
    string,
    unknown
  >;
  expect(request).toMatchObject({
    AlarmName: ALARM,
    EvaluationPeriods: 5,
    DatapointsToAlarm: 5,
    Threshold: 0,
    ComparisonOperator: 'GreaterThanThreshold',
    TreatMissingData: 'notBreaching',
    AlarmActions: [TOPIC],
  });
  expect(request.Metrics).toContainEqual(expect.objectContaining({ Id: 'e1', Expression: 'DIFF(m1)' }));
  const cli = dialog.getByTestId('recommended-alarm-cli');
  await expect(cli).toContainText("aws cloudwatch put-metric-alarm --cli-input-json '{");
  await dialog.getByTestId('recommended-alarm-cli-copy').click();
  await expect(dialog.getByTestId('recommended-alarm-cli-copy')).toHaveAttribute('data-state', 'copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await cli.textContent());
  await shootThemes(page, SHOTS, 'dialog', false);

  // Created: it shows at once, without data yet (the clock is paused).
  await dialog.getByTestId('confirm-button').click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('toast').filter({ hasText: `Created the alarm ${ALARM}.` })).toBeVisible();
  const row = section.locator(`[data-testid="alarm-row"][data-alarm="${ALARM}"]`);
  await expect(row).toHaveAttribute('data-state', 'INSUFFICIENT_DATA');
  await expect(row.getByTestId('alarm-condition')).toHaveText('DIFF(fullRestarts) > 0 for 5 of 5 periods of 1 minute');
  await expect(row.getByTestId('alarm-actions')).toContainText('flink-oncall');
  await expect(section.getByTestId('action-create-recommended-alarm')).toHaveCount(0);
  await shootElementThemes(section, SHOTS, 'section-insufficient-data');

  // Seven simulated minutes of the loop: the alarm fires, and the page learns it by push, not by a reload.
  await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
  await demoClock(page, product, { advanceMs: 7 * 60_000 });
  await expect(row).toHaveAttribute('data-state', 'ALARM', { timeout: SLOW });
  await expect(page.getByTestId('toast').filter({ hasText: `Alarm ${ALARM} is in ALARM` })).toBeVisible();
  await expect(row.getByTestId('alarm-reason')).toContainText('Threshold Crossed');
  const chart = page.getByTestId('chart-fullRestarts');
  await expect(chart.locator('[data-testid="chart-band"][data-tone="danger"]')).toHaveCount(1, { timeout: SLOW });
  await expect(chart).toHaveAttribute('data-bands', /danger/);
  // The restart-loop highlight is still drawn beside the alarm's band.
  await expect(chart).toHaveAttribute('data-highlight', 'restart loop');
  // A chart that reads no metric of the alarm has no band.
  await expect(page.getByTestId('chart-KPUs').getByTestId('chart-band')).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);

  await row.getByTestId('alarm-history').locator('summary').click();
  await expect(
    row.getByTestId('alarm-history-entry').filter({ hasText: 'from INSUFFICIENT_DATA to ALARM' }),
  ).toHaveCount(1);
  await shootThemes(page, SHOTS, 'metrics-alarm');
  await shootElementThemes(section, SHOTS, 'section-alarm');
  await shootElementThemes(chart, SHOTS, 'chart-fullRestarts');

  // The fleet's column says it too (a client-side navigation: same page, same event stream).
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Fleet' }).click();
  const cell = fleetRow(page, APP).getByTestId('fleet-alarms');
  await expect(cell).toHaveText('1 ALARM');
  await expect(cell).toHaveAttribute('title', new RegExp(`In ALARM: ${ALARM}`));
  await expect(fleetRow(page, 'clickstream-sessionizer').getByTestId('fleet-alarms')).toHaveText('—');
  await shootThemes(page, SHOTS, 'fleet');
  expect(consoleErrors).toEqual([]);
});

test('a viewer sees why the recommended alarm cannot be created, and the BFF refuses it', async ({
  page,
  product,
  consoleErrors,
}) => {
  const app = 'clickstream-sessionizer';
  await openApp(page, product, app, 'metrics');
  const roles = page.getByTestId('role-switcher');
  await roles.selectOption('viewer');
  await expect(page.getByTestId('toast').filter({ hasText: 'You now act as viewer.' })).toBeVisible();
  const create = page.getByTestId('action-create-recommended-alarm');
  await expect(create).toHaveAttribute('aria-disabled', 'true');
  await expect(create).toHaveAccessibleDescription(
    'Needs the operator role; you are signed in as demo-viewer (viewer).',
  );
  await create.focus();
  await expect(page.getByTestId('action-create-recommended-alarm-reason')).toBeVisible();
  await shootElementThemes(page.getByTestId('alarms-section'), SHOTS, 'section-viewer');
  await create.click({ force: true });
  await expect(page.getByTestId('recommended-alarm-dialog')).toHaveCount(0);

  const answer = await callBff(page, product, 'POST', `/applications/${app}/alarms/recommended`, {});
  expect(answer.status).toBe(403);
  expect(answer.body.error?.name).toBe('Forbidden');
  await expect(page.getByTestId('alarms-section').getByTestId('alarms-empty')).toBeVisible();
  expect(consoleErrors).toEqual([]);
});

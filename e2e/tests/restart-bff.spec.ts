/**
 * Journey: the console's BFF restarts under an operator's open browser (a deploy, a crash). The BFF and its
 * embedded emulator run on a data directory; mid-journey the process's BFF is closed and a new one started
 * on the same port and directory. The page reconnects by itself (a new demo session, the event stream
 * back to Live), and the looping application is still flagged, in the fleet and in its header, with the
 * metric history it had before.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, loadConfig, startBff, type Bff } from '@mfc/bff';
import { expect, test } from '../fixtures.js';
import { fleetRow, screenshot, SLOW } from './helpers.js';

const APP = 'orders-enricher';

async function start(dataDir: string, port: number): Promise<Bff> {
  const config = loadConfig({
    PORT: String(port),
    MFC_DATA_DIR: dataDir,
    MFC_DEMO: '1',
    MFC_TIME_PROFILE: 'fast',
    MFC_EMULATOR_SPEED: '4',
    MFC_POLL_MS: '200',
    LOG_LEVEL: 'silent',
  });
  return startBff(config, createLogger('silent'));
}

test('the BFF restarts mid-journey; the looping application is still flagged', async ({ page, consoleErrors }) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mfc-e2e-restart-'));
  let bff = await start(dataDir, 0);
  const port = Number(new URL(bff.url).port);
  try {
    await page.goto(`${bff.url}/`);
    const row = fleetRow(page, APP);
    await expect(row).toHaveAttribute('data-attention', 'true', { timeout: SLOW });
    await expect(fleetRow(page, 'clickstream-sessionizer')).toHaveAttribute('data-attention', 'false');
    await row.getByTestId('fleet-app-link').click();
    await expect(page.getByTestId('attention-reasons')).toBeVisible({ timeout: SLOW });
    await expect(page.getByTestId('stream-status')).toHaveAttribute('data-status', 'live');
    const reasonsBefore = await page.getByTestId('attention-reasons').innerText();

    // The restart: the process's BFF goes away (its sessions and caches with it), a new one takes its port.
    await bff.close();
    await expect(page.getByTestId('stream-status')).not.toHaveAttribute('data-status', 'live');
    bff = await start(dataDir, port);

    // The open page comes back by itself: the stream is live again and reads the new BFF.
    await expect(page.getByTestId('stream-status')).toHaveAttribute('data-status', 'live', { timeout: SLOW });
    await expect(page.getByTestId('application-header').getByTestId('attention-flag')).toBeVisible({
      timeout: SLOW,
    });
    await expect(page.getByTestId('attention-reasons')).toBeVisible();
    expect(reasonsBefore.length).toBeGreaterThan(0);

    // The metric history from before the restart is charted: the restart counter's series is not empty.
    await page.getByTestId('tab-metrics').click();
    await expect(page.getByTestId('panel-metrics')).toBeVisible();
    const metrics = await page.request.get(`${bff.url}/api/applications/${APP}/metrics?range=1h`);
    expect(metrics.ok()).toBe(true);
    const body = (await metrics.json()) as { series: { metric: string; points: unknown[] }[] };
    expect(body.series.find((s) => s.metric === 'fullRestarts')!.points.length).toBeGreaterThan(10);

    // Back in the fleet, read from the new BFF: still flagged, and still first.
    await page.getByRole('link', { name: /fleet/i }).first().click();
    await expect(fleetRow(page, APP)).toHaveAttribute('data-attention', 'true', { timeout: SLOW });
    await expect(fleetRow(page, APP).getByTestId('attention-flag')).toBeVisible();
    await expect(fleetRow(page, 'clickstream-sessionizer')).toHaveAttribute('data-attention', 'false');
    await screenshot(page, 'journey-restart-bff-fleet');
    expect(consoleErrors.filter((e) => !/Failed to load resource|ERR_CONNECTION_REFUSED|EventSource/.test(e))).toEqual(
      [],
    );
    consoleErrors.length = 0;
  } finally {
    await bff.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

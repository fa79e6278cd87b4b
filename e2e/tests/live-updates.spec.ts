/**
 * The event stream: the header says "Live", and a change made elsewhere (another operator starts an
 * application) reaches the fleet list through the stream, with no reload and no answer to a read of the list.
 */
import { expect, open, test } from '../fixtures.js';
import { fleetRow, SLOW } from './helpers.js';

const APP = 'returns-forecaster';

test('the stream is live and a status change reaches the fleet without a reload', async ({
  page,
  product,
  request,
  consoleErrors,
}) => {
  await open(page, product, '/');
  const stream = page.getByTestId('stream-status');
  await expect(stream).toHaveAttribute('data-status', 'live');
  await expect(stream).toHaveText('Live');
  await expect(stream).toHaveAttribute('title', 'Receiving live updates from the service');
  const row = fleetRow(page, APP);
  await expect(row).toHaveAttribute('data-status', 'READY');
  await expect(row.getByTestId('job-health')).toHaveText('no job');

  // From here on a request for the fleet list gets no answer (the stream's `fleet` events ask for one):
  // whatever changes on screen came through the stream itself.
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  const fleetList = (url: URL) => url.pathname === '/api/applications';
  await page.route(fleetList, async (route) => {
    await held;
    await route.continue().catch(() => undefined);
  });
  await page.evaluate(() => ((window as unknown as { e2eMarker: string }).e2eMarker = 'same page'));

  // Another operator, with a session of their own, starts the application.
  const session = await request.get(`${product.url}/api/session`);
  const { csrfToken } = (await session.json()) as { csrfToken: string };
  const started = await request.post(`${product.url}/api/applications/${APP}/start`, {
    headers: { 'x-csrf-token': csrfToken },
    data: { restoreType: 'SKIP_RESTORE_FROM_SNAPSHOT', confirm: APP },
  });
  expect(started.status()).toBe(202);

  await expect(row).toHaveAttribute('data-status', 'STARTING', { timeout: SLOW });
  await expect(row.getByTestId('status-badge')).toHaveText('STARTING');
  await expect(row).toHaveAttribute('data-status', 'RUNNING', { timeout: SLOW });
  await expect(row.getByTestId('status-badge')).toHaveText('RUNNING');
  // Its subtasks come through the stream too, once the row is watched (it is RUNNING and on screen).
  await expect(row.getByTestId('job-health-subtasks')).toHaveText(/^\d+\/\d+ running$/, { timeout: SLOW });
  await expect(stream).toHaveAttribute('data-status', 'live');
  expect(await page.evaluate(() => (window as unknown as { e2eMarker?: string }).e2eMarker)).toBe('same page');

  release();
  await page.unroute(fleetList);
  expect(consoleErrors).toEqual([]);
});

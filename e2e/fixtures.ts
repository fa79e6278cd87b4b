/**
 * Each test starts the product like a user does, on a free port: the BFF serving the built console,
 * with a fresh in-memory embedded emulator seeded with the demo fleet. Browser console errors fail the test.
 */
import { test as base, expect, type Page } from '@playwright/test';
import { createLogger, loadConfig, startBff, type Bff } from '@mfc/bff';

export const test = base.extend<{ productEnv: Record<string, string>; product: Bff; consoleErrors: string[] }>({
  /** Extra environment for the product (e.g. production mode with a users file), set with test.use(). */
  productEnv: [{}, { option: true }],
  product: async ({ productEnv }, use) => {
    const config = loadConfig({
      PORT: '0',
      MFC_IN_MEMORY: '1',
      MFC_DEMO: '1',
      MFC_TIME_PROFILE: 'fast',
      MFC_POLL_MS: '200',
      LOG_LEVEL: 'silent',
      ...productEnv,
    });
    const bff = await startBff(config, createLogger('silent'));
    await use(bff);
    await bff.close();
  },
  consoleErrors: async ({ page }, use) => {
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    await use(errors);
    expect(errors, 'the browser console must stay clean').toEqual([]);
  },
});

export { expect };

/** Moves the emulator's virtual clock, as the demo panel's "jump ahead" does. */
export async function advance(bff: Bff, ms: number): Promise<void> {
  await fetch(`${bff.emulator!.url}/_emulator/clock`, { method: 'POST', body: JSON.stringify({ advanceMs: ms }) });
}

export async function open(page: Page, bff: Bff, path = '/'): Promise<void> {
  await page.goto(`${bff.url}${path}`);
}

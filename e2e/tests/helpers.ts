/**
 * Steps the journeys share: open an application tab, wait for a status, type a confirmation, call the BFF
 * as the signed-in browser does, and save a screenshot of a screen.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import type { Bff } from '@mfc/bff';
import { expect, open } from '../fixtures.js';

/** Transitions in the fast profile take seconds of wall time; a loaded shared machine may be slow. */
export const SLOW = 60_000;

export const SCREENSHOTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-results', 'screenshots');

export type AppTab =
  'overview' | 'job' | 'checkpoints' | 'snapshots' | 'operations' | 'versions' | 'encryption' | 'metrics' | 'logs';

/** Opens an application's tab by URL and waits until the page shows that application. */
export async function openApp(page: Page, bff: Bff, name: string, tab: AppTab = 'overview'): Promise<void> {
  await open(page, bff, `/applications/${encodeURIComponent(name)}${tab === 'overview' ? '' : `/${tab}`}`);
  await expect(page.getByTestId('application-page')).toHaveAttribute('data-app', name);
  await expect(page.getByTestId(`panel-${tab}`)).toBeVisible();
}

/** Switches tab the way a user does (a click), so the page is not reloaded. */
export async function clickTab(page: Page, tab: AppTab): Promise<void> {
  await page.getByTestId(`tab-${tab}`).click();
  await expect(page.getByTestId(`tab-${tab}`)).toHaveAttribute('aria-current', 'page');
  await expect(page.getByTestId(`panel-${tab}`)).toBeVisible();
}

/** The status badge in the application header. */
export function headerStatus(page: Page): Locator {
  return page.getByTestId('application-header').getByTestId('status-badge');
}

export async function expectStatus(page: Page, status: string, timeout = SLOW): Promise<void> {
  await expect(headerStatus(page)).toHaveAttribute('data-status', status, { timeout });
}

export function fleetRow(page: Page, name: string): Locator {
  return page.locator(`[data-testid="fleet-row"][data-app="${name}"]`);
}

export function snapshotRow(page: Page, name: string): Locator {
  return page.locator(`[data-testid="snapshot-row"][data-snapshot="${name}"]`);
}

/** Opens an action from the header's action bar; it must be enabled. */
export async function openAction(page: Page, action: string): Promise<void> {
  const button = page.getByTestId(`action-${action}`);
  await expect(button).toHaveAttribute('aria-disabled', 'false');
  await button.click();
}

/**
 * A typed confirmation: the confirm button stays disabled until the exact text is typed (checked with a
 * near miss first), then it is pressed and the dialog closes.
 */
export async function confirmTyped(page: Page, expected: string): Promise<void> {
  const dialog = page.getByTestId('confirm-dialog');
  await expect(dialog).toBeVisible();
  const input = dialog.getByTestId('confirm-input');
  const button = dialog.getByTestId('confirm-button');
  await expect(button).toBeDisabled();
  await input.fill(expected.slice(0, -1));
  await expect(input).toHaveAttribute('aria-invalid', 'true');
  await expect(button).toBeDisabled();
  await input.fill(expected);
  await expect(input).toHaveAttribute('aria-invalid', 'false');
  await expect(button).toBeEnabled();
  await button.click();
  await expect(dialog).toBeHidden({ timeout: SLOW });
}

/** The snapshot names in the Snapshots tab (none when it shows its empty state). */
export async function snapshotNames(page: Page): Promise<string[]> {
  const panel = page.getByTestId('panel-snapshots');
  await expect(panel.getByTestId('snapshots-table').or(panel.getByTestId('empty-state'))).toBeVisible();
  return panel
    .getByTestId('snapshot-row')
    .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-snapshot') ?? ''));
}

export interface BffAnswer {
  status: number;
  body: { error?: { name: string; message: string } } & Record<string, unknown>;
}

/** A call to the BFF with the browser's session cookie and CSRF token, as the console makes it. */
export async function callBff(
  page: Page,
  bff: Bff,
  method: 'POST' | 'DELETE',
  path: string,
  body: unknown,
): Promise<BffAnswer> {
  const session = await page.request.get(`${bff.url}/api/session`);
  expect(session.ok()).toBe(true);
  const { csrfToken } = (await session.json()) as { csrfToken: string };
  const res = await page.request.fetch(`${bff.url}/api${path}`, {
    method,
    headers: { 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
    data: JSON.stringify(body),
  });
  return { status: res.status(), body: (await res.json().catch(() => ({}))) as BffAnswer['body'] };
}

/** Saves a full-page screenshot under e2e/test-results/screenshots/ (gitignored). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // From the top: a full-page capture of a scrolled page draws the sticky header in the middle.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true, animations: 'disabled' });
}

const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
export type Theme = 'light' | 'dark';
export const BOTH: Theme[] = ['light', 'dark'];

/** axe's serious and critical WCAG 2.1 A/AA violations on the page as it is now (`exclude`: a selector). */
export async function seriousAxeViolations(page: Page, exclude?: string) {
  const builder = new AxeBuilder({ page }).withTags(WCAG);
  if (exclude) builder.exclude(exclude);
  const results = await builder.analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      rule: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes
        .slice(0, 5)
        .map((n) => `${n.target.join(' ')} :: ${n.failureSummary?.split('\n').slice(1, 3).join(' ')}`),
    }));
}

/**
 * Scans the page as it is now, in each theme given (the colour scheme is switched in place), and saves a
 * screenshot of each. Serious and critical violations fail the test, softly, so every screen is scanned.
 */
export async function audit(page: Page, name: string, themes: Theme[] = ['light'], exclude?: string): Promise<void> {
  for (const theme of themes) {
    await page.emulateMedia({ colorScheme: theme });
    await screenshot(page, `${name}-${theme}`);
    expect
      .soft(await seriousAxeViolations(page, exclude), `axe: serious or critical violations on ${name} (${theme})`)
      .toEqual([]);
    // Nothing (a hidden tooltip, a wide table) makes the page scroll sideways at a desktop width.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect.soft(overflow, `horizontal overflow on ${name} (${theme})`).toBeLessThanOrEqual(0);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** A screenshot of the page in each theme into `dir`, and axe's serious or critical findings (none expected). */
export async function shootThemes(page: Page, dir: string, name: string, fullPage = true): Promise<void> {
  mkdirSync(dir, { recursive: true });
  // From the top: a full-page capture of a scrolled page draws the sticky header in the middle.
  if (fullPage) await page.evaluate(() => window.scrollTo(0, 0));
  for (const theme of BOTH) {
    await page.emulateMedia({ colorScheme: theme });
    await page.screenshot({ path: join(dir, `${name}-${theme}.png`), fullPage, animations: 'disabled' });
    expect.soft(await seriousAxeViolations(page), `axe on ${name} (${theme})`).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** A screenshot of one element in each theme into `dir`. */
export async function shootElementThemes(locator: Locator, dir: string, name: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  for (const theme of BOTH) {
    await locator.page().emulateMedia({ colorScheme: theme });
    await locator.screenshot({ path: join(dir, `${name}-${theme}.png`), animations: 'disabled' });
  }
  await locator.page().emulateMedia({ colorScheme: 'light' });
}

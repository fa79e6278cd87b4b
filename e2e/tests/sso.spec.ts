/**
 * Journey: single sign-on. A real OpenID provider (oidc-provider) runs on loopback under the name
 * "localhost", so it is another site than the console on 127.0.0.1 and its redirects back are cross-site,
 * as in production. The BFF runs in production mode with OIDC only. Victor signs in at the provider's page,
 * lands back where he was going as a viewer and cannot force stop (the button says why, the BFF answers
 * 403); he signs out of the console and the provider; Alice signs in and can force stop.
 */
import { randomBytes } from 'node:crypto';
import type { Page } from '@playwright/test';
import { createLogger, loadConfig, startBff, type Bff } from '@mfc/bff';
import { freePort } from '../../apps/bff/test/free-port.js';
import { startOidcProvider, TEST_PASSWORD, type TestOidcProvider } from '../../apps/bff/test/oidc-provider.js';
import { expect, test } from '../fixtures.js';
import { callBff, expectStatus, screenshot, SLOW } from './helpers.js';

const APP = 'orders-enricher';

let idp: TestOidcProvider;
let bff: Bff;

test.beforeAll(async () => {
  const port = await freePort();
  const console = `http://127.0.0.1:${port}`;
  idp = await startOidcProvider({
    issuerHost: 'localhost',
    redirectUris: [`${console}/api/session/sso/callback`],
    postLogoutRedirectUris: [`${console}/`],
  });
  bff = await startBff(
    loadConfig({
      PORT: String(port),
      MFC_IN_MEMORY: '1',
      MFC_DEMO: '1',
      MFC_TIME_PROFILE: 'fast',
      MFC_POLL_MS: '200',
      LOG_LEVEL: 'silent',
      MFC_MODE: 'production',
      MFC_SESSION_SECRET: randomBytes(32).toString('hex'),
      ...idp.env(),
      MFC_OIDC_REDIRECT_URL: `${console}/api/session/sso/callback`,
      MFC_OIDC_POST_LOGOUT_REDIRECT_URL: `${console}/`,
    }),
    createLogger('silent'),
  );
});

test.afterAll(async () => {
  await bff?.close();
  await idp?.close();
});

/** At the provider's page: who signs in. */
async function signInAtProvider(page: Page, username: string): Promise<void> {
  await expect(page).toHaveURL(new RegExp(`^${idp.issuer}/interaction/`));
  await expect(page.getByRole('heading', { name: 'Test identity provider' })).toBeVisible();
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('single sign-on: a viewer cannot force stop, an operator can', async ({ page, consoleErrors }) => {
  const forceStop = page.getByTestId('action-forceStop');

  // Signed out, on the way to an application: the sign-in page offers single sign-on only.
  await page.goto(`${bff.url}/applications/${APP}`);
  const sso = page.getByRole('link', { name: 'Sign in with single sign-on' });
  await expect(sso).toBeVisible();
  await expect(page.getByTestId('signin-username')).toHaveCount(0);
  await screenshot(page, 'sso-sign-in');
  await sso.click();

  // The provider's login page, then back to the application, signed in as a viewer.
  await signInAtProvider(page, 'victor');
  await expect(page).toHaveURL(`${bff.url}/applications/${APP}`);
  await expect(page.getByTestId('user-role')).toHaveText('viewer');
  await expect(page.getByTestId('user-menu')).toContainText('victor');
  await expect(page.getByTestId('application-page')).toHaveAttribute('data-app', APP);
  await expectStatus(page, 'RUNNING');
  await expect(forceStop).toHaveAttribute('aria-disabled', 'true');
  await expect(page.getByTestId('action-forceStop-reason')).toHaveText(
    'Needs the operator role; you are signed in as victor (viewer).',
  );
  await screenshot(page, 'sso-viewer-force-stop-disabled');

  // The BFF is the gate: the same call with victor's session and CSRF token is refused.
  const refused = await callBff(page, bff, 'POST', `/applications/${APP}/stop`, { force: true, confirm: APP });
  expect(refused.status).toBe(403);
  expect(refused.body.error?.message).toMatch(/you are signed in as victor \(viewer\)\.$/);

  // Sign out: the console's session ends, then the provider's (it asks), and the provider sends the browser back.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(new RegExp(`^${idp.issuer}/session/end`));
  await page.getByRole('button', { name: 'Yes, sign me out' }).click();
  await expect(page).toHaveURL(`${bff.url}/`);
  await expect(page.getByRole('link', { name: 'Sign in with single sign-on' })).toBeVisible();
  expect((await page.request.get(`${bff.url}/api/session`).then((r) => r.json())) as object).toMatchObject({
    signedIn: false,
  });

  // Alice, an operator: the provider asks who signs in (its session ended with victor's sign-out).
  await page.getByRole('link', { name: 'Sign in with single sign-on' }).click();
  await signInAtProvider(page, 'alice');
  await expect(page).toHaveURL(`${bff.url}/`);
  await expect(page.getByTestId('user-role')).toHaveText('operator');
  await page.goto(`${bff.url}/applications/${APP}`);
  await expect(page.getByTestId('application-page')).toHaveAttribute('data-app', APP);
  await expectStatus(page, 'RUNNING', SLOW);
  await expect(forceStop).toHaveAttribute('aria-disabled', 'false');
  await expect(page.getByTestId('action-forceStop-reason')).toHaveCount(0);
  await screenshot(page, 'sso-operator-force-stop-enabled');
  expect(consoleErrors).toEqual([]);
});

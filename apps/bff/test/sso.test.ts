/**
 * Single sign-on end to end against a real OpenID provider (oidc-provider on 127.0.0.1): the BFF in
 * production mode, and a fetch-driven browser with a cookie jar that follows the redirect dance between
 * the two, submits the provider's login form and comes back signed in — or refused.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditResponse, ErrorBody, LogoutResponse, SessionInfo, SignedOut } from '@mfc/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword, writeUsersFile } from '../src/security/index.js';
import { claimValues, roleFor, safeReturnTo, SSO_FLOW_COOKIE, userName } from '../src/security/sso.js';
import type { Bff } from '../src/server.js';
import { freePort } from './free-port.js';
import { startTestBff } from './harness.js';
import { startOidcProvider, TEST_PASSWORD, TEST_ROLE_MAP, type TestOidcProvider } from './oidc-provider.js';

const SECRET = 'sso-test-session-secret-0123456789abcdef';
const APP = 'orders-enricher';

interface Cookie {
  name: string;
  value: string;
  host: string;
  path: string;
}

/** A browser enough for the dance: cookies by host and path (ports share cookies, as in browsers), manual redirects. */
class Browser {
  private readonly jar = new Map<string, Cookie>();
  /** Every Set-Cookie header seen, for checking attributes. */
  readonly setCookies: string[] = [];

  cookie(name: string): Cookie | undefined {
    return [...this.jar.values()].find((c) => c.name === name);
  }

  /** Copies a cookie from another browser (an attacker's, or a replayed flow). */
  plant(cookie: Cookie): void {
    this.jar.set(`${cookie.host}|${cookie.path}|${cookie.name}`, { ...cookie });
  }

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const u = new URL(url);
    const cookies = [...this.jar.values()]
      .filter(
        (c) =>
          c.host === u.hostname &&
          (u.pathname === c.path || u.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`)),
      )
      .sort((a, b) => b.path.length - a.path.length)
      .map((c) => `${c.name}=${c.value}`);
    const headers = new Headers(init.headers);
    if (cookies.length > 0) headers.set('cookie', cookies.join('; '));
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      this.setCookies.push(line);
      const [pair, ...attrs] = line.split(';').map((p) => p.trim());
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      let path = '/';
      let gone = value === '';
      for (const a of attrs) {
        const [k, v = ''] = a.split('=');
        if (k!.toLowerCase() === 'path') path = v;
        if (k!.toLowerCase() === 'max-age' && Number(v) <= 0) gone = true;
        if (k!.toLowerCase() === 'expires' && Date.parse(v) < Date.now()) gone = true;
      }
      const key = `${u.hostname}|${path}|${name}`;
      if (gone) this.jar.delete(key);
      else this.jar.set(key, { name, value, host: u.hostname, path });
    }
    return res;
  }

  /**
   * Follows redirects from `url` (303/302 become GETs) until an answer that is not a redirect, or until
   * `stop` says the next URL is not to be fetched (then `next` is that URL).
   */
  async follow(
    url: string,
    init: RequestInit = {},
    stop: (next: string) => boolean = () => false,
  ): Promise<{ res: Response; url: string; next?: string }> {
    let current = url;
    let res = await this.fetch(current, init);
    for (let hops = 0; hops < 20; hops++) {
      if (res.status < 300 || res.status >= 400) return { res, url: current };
      const next = new URL(res.headers.get('location')!, current).href;
      if (stop(next)) return { res, url: current, next };
      await res.arrayBuffer();
      current = next;
      res = await this.fetch(current, res.status === 307 || res.status === 308 ? init : {});
    }
    throw new Error(`too many redirects from ${url}`);
  }

  async json<T>(url: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
    const res = await this.fetch(url, init);
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  }
}

/** The provider's login form: its action URL. */
async function formAction(res: Response, base: string): Promise<string> {
  const html = await res.text();
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
  if (!action) throw new Error(`no form in the provider's page (${res.status}): ${html.slice(0, 500)}`);
  return new URL(action.replace(/&amp;/g, '&'), base).href;
}

let bff: Bff;
let idp: TestOidcProvider;
let callbackUrl: string;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mfc-sso-'));
  const port = await freePort();
  callbackUrl = `http://127.0.0.1:${port}/api/session/sso/callback`;
  idp = await startOidcProvider({
    redirectUris: [callbackUrl],
    postLogoutRedirectUris: [`http://127.0.0.1:${port}/`],
  });
  ({ bff } = await startTestBff({
    PORT: String(port),
    MFC_MODE: 'production',
    MFC_SESSION_SECRET: SECRET,
    ...idp.env(),
    MFC_OIDC_REDIRECT_URL: callbackUrl,
    MFC_OIDC_POST_LOGOUT_REDIRECT_URL: `http://127.0.0.1:${port}/`,
  }));
}, 60_000);

afterAll(async () => {
  await bff?.close();
  await idp?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** From the console's sign-in link to the provider's login form. */
async function startLogin(browser: Browser, returnTo?: string): Promise<Response> {
  const path = `/api/session/sso/login${returnTo ? `?returnTo=${encodeURIComponent(returnTo)}` : ''}`;
  const { res } = await browser.follow(`${bff.url}${path}`);
  expect(res.status, `the provider's login form (${idp.errors.join('; ')})`).toBe(200);
  return res;
}

/**
 * Signs in at the provider and follows its redirects up to the BFF's callback, which is not fetched: its URL
 * is returned (a test may tamper with it).
 */
async function loginAtProvider(browser: Browser, form: Response, username: string): Promise<string> {
  const action = await formAction(form, idp.issuer);
  const { res, next } = await browser.follow(
    action,
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username, password: TEST_PASSWORD }).toString(),
    },
    (url) => url.startsWith(callbackUrl),
  );
  expect(next, `a redirect to the callback (${res.status}; ${idp.errors.join('; ')})`).toBeDefined();
  return next!;
}

async function signInAs(username: string, returnTo?: string): Promise<{ browser: Browser; callback: Response }> {
  const browser = new Browser();
  const form = await startLogin(browser, returnTo);
  const callback = await browser.fetch(await loginAtProvider(browser, form, username));
  return { browser, callback };
}

async function session(browser: Browser): Promise<SessionInfo | SignedOut> {
  return (await browser.json<SessionInfo | SignedOut>(`${bff.url}/api/session`)).body;
}

describe('single sign-on against a real OpenID provider', () => {
  it('tells a signed-out browser how to sign in', async () => {
    const status = await session(new Browser());
    expect(status).toMatchObject({
      signedIn: false,
      mode: 'production',
      methods: ['sso'],
      sso: { loginUrl: '/api/session/sso/login' },
    });
    // No users file: the password route says where to go instead.
    const login = await new Browser().json<ErrorBody>(`${bff.url}/api/session/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'alice', password: 'x' }),
    });
    expect(login.status).toBe(404);
    expect(login.body.error.message).toMatch(/single sign-on/);
  });

  it('sends the browser to the provider with PKCE (S256), state and nonce, and keeps the flow in a Lax cookie', async () => {
    const browser = new Browser();
    const res = await browser.fetch(`${bff.url}/api/session/sso/login?returnTo=%2Fapplications%2F${APP}`);
    expect(res.status).toBe(302);
    const to = new URL(res.headers.get('location')!);
    expect(`${to.origin}`).toBe(idp.issuer);
    expect(Object.fromEntries(to.searchParams)).toMatchObject({
      client_id: idp.clientId,
      response_type: 'code',
      redirect_uri: callbackUrl,
      scope: 'openid profile email groups',
      code_challenge_method: 'S256',
    });
    for (const p of ['state', 'nonce', 'code_challenge']) expect(to.searchParams.get(p)).toMatch(/^[\w-]{40,}$/);
    const flow = browser.setCookies.find((c) => c.startsWith(`${SSO_FLOW_COOKIE}=`))!;
    expect(flow).toMatch(/HttpOnly/i);
    expect(flow).toMatch(/SameSite=Lax/i);
    expect(flow).toMatch(/Path=\/api\/session\/sso/);
    expect(flow).toMatch(/Max-Age=600/);
    // Signed, and it carries no secret in the URL: the verifier stays in the cookie.
    expect(to.searchParams.get('code_challenge')).not.toBe(browser.cookie(SSO_FLOW_COOKIE)!.value);
  });

  it('signs alice in as an operator and returns to where she was going', async () => {
    const { browser, callback } = await signInAs('alice', `/applications/${APP}?tab=job`);
    expect(callback.status).toBe(302);
    expect(callback.headers.get('location')).toBe(`/applications/${APP}?tab=job`);
    // The flow cookie is single use; the session cookie is the usual Strict one.
    expect(browser.cookie(SSO_FLOW_COOKIE)).toBeUndefined();
    expect(browser.setCookies.find((c) => c.startsWith('mfc_session='))).toMatch(/SameSite=Strict/i);
    const me = (await session(browser)) as SessionInfo;
    expect(me.user).toEqual({ name: 'alice', role: 'operator' });
    expect(me.csrfToken).toBeTruthy();
    const apps = await browser.json<unknown>(`${bff.url}/api/applications`);
    expect(apps.status).toBe(200);
  });

  it('gives the highest mapped role: ada (viewers and admins) is an admin', async () => {
    const { browser } = await signInAs('ada');
    expect(((await session(browser)) as SessionInfo).user).toEqual({ name: 'ada', role: 'admin' });
  });

  it('signs victor in as a viewer, whom the BFF refuses a force stop', async () => {
    const { browser, callback } = await signInAs('victor');
    expect(callback.headers.get('location')).toBe('/');
    const me = (await session(browser)) as SessionInfo;
    expect(me.user).toEqual({ name: 'victor', role: 'viewer' });
    const stop = await browser.json<ErrorBody>(`${bff.url}/api/applications/${APP}/stop`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
      body: JSON.stringify({ force: true, confirm: APP }),
    });
    expect(stop.status).toBe(403);
    expect(stop.body.error.message).toMatch(/needs the operator role; you are signed in as victor \(viewer\)/);
  });

  it('refuses mallory, whose groups map to no role, with a page saying why', async () => {
    const browser = new Browser();
    const form = await startLogin(browser);
    const callback = await loginAtProvider(browser, form, 'mallory');
    const res = await browser.fetch(callback, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).toContain('mallory may not use this console');
    expect(html).toContain('(other)');
    expect(html).toContain('MFC_OIDC_ROLE_MAP');
    expect(browser.cookie('mfc_session')).toBeUndefined();
    expect(await session(browser)).toMatchObject({ signedIn: false });
  });

  it('refuses a callback whose state was tampered with, and the flow cannot be used twice', async () => {
    const browser = new Browser();
    const form = await startLogin(browser);
    const callback = new URL(await loginAtProvider(browser, form, 'alice'));
    const genuine = callback.href;
    callback.searchParams.set('state', `${callback.searchParams.get('state')}x`);
    const tampered = await browser.json<ErrorBody>(callback.href);
    expect(tampered.status).toBe(400);
    expect(tampered.body.error.name).toBe('SsoStateMismatch');
    // The flow cookie went with the refusal: the genuine answer is now refused too.
    const again = await browser.json<ErrorBody>(genuine);
    expect(again.status).toBe(400);
    expect(again.body.error.name).toBe('SsoFlowMissing');
    expect(await session(browser)).toMatchObject({ signedIn: false });
  });

  it("refuses an attacker's callback in a victim's browser (another login's flow cookie)", async () => {
    // The attacker signs in at the provider and keeps the callback: its code would sign the victim in as alice.
    const attacker = new Browser();
    const attackerCallback = await loginAtProvider(attacker, await startLogin(attacker), 'alice');
    // The victim started a sign-in of their own (a flow cookie with their state) and is sent the attacker's URL.
    const victim = new Browser();
    await victim.fetch(`${bff.url}/api/session/sso/login`);
    expect(victim.cookie(SSO_FLOW_COOKIE)).toBeDefined();
    const res = await victim.json<ErrorBody>(attackerCallback);
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('SsoStateMismatch');
    // Without any flow cookie it is refused as well.
    const bare = await new Browser().json<ErrorBody>(attackerCallback);
    expect(bare.status).toBe(400);
    expect(bare.body.error.name).toBe('SsoFlowMissing');
    // A forged flow cookie (not signed by the BFF) is not a flow.
    const forger = new Browser();
    forger.plant({ ...attacker.cookie(SSO_FLOW_COOKIE)!, value: `${attacker.cookie(SSO_FLOW_COOKIE)!.value}x` });
    const forged = await forger.json<ErrorBody>(attackerCallback);
    expect(forged.body.error.message).toMatch(/not valid/);
  });

  it("refuses an ID token whose nonce is not the flow's", async () => {
    const browser = new Browser();
    // Stop at the redirect to the provider and swap the nonce, as an attacker replaying another login would.
    const { next } = await browser.follow(`${bff.url}/api/session/sso/login`, {}, (url) => url.startsWith(idp.issuer));
    const authorize = new URL(next!);
    authorize.searchParams.set('nonce', 'a-nonce-from-another-login-0123456789abcdef');
    const { res: form } = await browser.follow(authorize.href);
    expect(form.status).toBe(200);
    const callback = await loginAtProvider(browser, form, 'alice');
    const res = await browser.json<ErrorBody>(callback);
    expect(res.status).toBe(401);
    expect(res.body.error.name).toBe('SsoInvalidResponse');
    expect(res.body.error.message).toMatch(/nonce/);
    expect(await session(browser)).toMatchObject({ signedIn: false });
  });

  it('answers access_denied from the provider (the user cancelled) with a 403', async () => {
    const browser = new Browser();
    const html = await (await startLogin(browser)).text();
    const cancel = new URL(/href="([^"]+\/abort)"/.exec(html)![1]!, idp.issuer).href;
    const { next } = await browser.follow(cancel, {}, (url) => url.startsWith(callbackUrl));
    expect(new URL(next!).searchParams.get('error')).toBe('access_denied');
    const res = await browser.json<ErrorBody>(next!);
    expect(res.status).toBe(403);
    expect(res.body.error.name).toBe('SsoDenied');
    expect(res.body.error.message).toMatch(/access_denied/);
  });

  it('keeps returnTo on this origin', async () => {
    for (const evil of ['//evil.example/x', 'https://evil.example/', '/\\evil.example', '/api/session/logout']) {
      const { callback } = await signInAs('alice', evil);
      expect(callback.headers.get('location')).toBe('/');
    }
  });

  it('signs out: the session ends and the answer carries the provider end-session URL', async () => {
    const { browser } = await signInAs('alice');
    const me = (await session(browser)) as SessionInfo;
    const out = await browser.json<LogoutResponse>(`${bff.url}/api/session/logout`, {
      method: 'POST',
      headers: { 'x-csrf-token': me.csrfToken },
    });
    expect(out.status).toBe(200);
    const end = new URL(out.body.endSessionUrl);
    expect(end.origin).toBe(idp.issuer);
    expect(end.searchParams.get('client_id')).toBe(idp.clientId);
    expect(end.searchParams.get('post_logout_redirect_uri')).toBe(`${bff.url}/`);
    expect(await session(browser)).toMatchObject({ signedIn: false });
    expect(browser.cookie('mfc_session')).toBeUndefined();

    // Without the provider's sign-out, the next sign-in goes straight through as alice.
    const silent = await browser.follow(`${bff.url}/api/session/sso/login`, {}, (url) => url.startsWith(callbackUrl));
    expect(silent.next).toBeDefined();
    // The provider's end-session page: confirm, and the provider sends the browser back to the console.
    const confirm = await browser.fetch(end.href);
    expect(confirm.status).toBe(200);
    const html = await confirm.text();
    const action = new URL(/<form[^>]*action="([^"]+)"/.exec(html)![1]!, idp.issuer).href;
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)![1]!;
    const back = await browser.follow(
      action,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ xsrf, logout: 'yes' }).toString(),
      },
      (url) => url.startsWith(bff.url),
    );
    expect(back.next).toBe(`${bff.url}/`);
    // Now the provider asks who is signing in again.
    await startLogin(browser);
  });

  it('audits every sign-in and refusal, with no tokens', async () => {
    const browser = new Browser();
    const callback = new URL(await loginAtProvider(browser, await startLogin(browser), 'ada'));
    expect((await browser.fetch(callback.href)).status).toBe(302);
    const me = (await session(browser)) as SessionInfo;
    const { body } = await browser.json<AuditResponse>(`${bff.url}/api/audit?action=login&limit=500`);
    const logins = body.entries.filter((e) => e.action === 'login');
    expect(logins.find((e) => e.user === 'alice' && e.outcome === 'success')).toMatchObject({
      role: 'operator',
      params: { how: 'sso', sub: 'alice', claim: 'groups', values: ['flink-operators', 'staff'] },
    });
    expect(logins.find((e) => e.user === 'victor' && e.outcome === 'success')?.role).toBe('viewer');
    expect(logins.find((e) => e.user === 'mallory')).toMatchObject({
      outcome: 'denied',
      params: { how: 'sso', values: ['other'] },
    });
    expect(logins.find((e) => e.user === 'mallory')?.error).toMatch(/mapped to a role/);
    expect(logins.some((e) => e.outcome === 'denied' && /state differs/.test(e.error ?? ''))).toBe(true);
    expect(logins.some((e) => e.outcome === 'denied' && /nonce/.test(e.error ?? ''))).toBe(true);
    expect(logins.some((e) => e.outcome === 'denied' && /access_denied/.test(e.error ?? ''))).toBe(true);
    const logout = (await browser.json<AuditResponse>(`${bff.url}/api/audit?action=logout`)).body.entries;
    expect(logout.find((e) => e.user === 'alice')).toMatchObject({ outcome: 'success', params: { how: 'sso' } });
    // No token, code, verifier or cookie in any entry: JWTs start with eyJ; codes and states are long random strings.
    const all = JSON.stringify(body.entries);
    expect(all).not.toMatch(/eyJ[\w-]{10,}/);
    expect(all).not.toMatch(/"(id_token|access_token|refresh_token|code_verifier|code|state|nonce)"/i);
    for (const secret of [callback.searchParams.get('code')!, callback.searchParams.get('state')!, me.csrfToken])
      expect(all).not.toContain(secret);
  });
});

describe('single sign-on when the provider is away', () => {
  it('answers 503 while the provider cannot be reached, and discovers it once it is up', async () => {
    const port = await freePort();
    const providerPort = await freePort();
    const callback = `http://127.0.0.1:${port}/api/session/sso/callback`;
    const { bff: lonely } = await startTestBff({
      PORT: String(port),
      MFC_MODE: 'production',
      MFC_SESSION_SECRET: SECRET,
      MFC_OIDC_ISSUER: `http://127.0.0.1:${providerPort}`,
      MFC_OIDC_CLIENT_ID: 'managed-flink-console',
      MFC_OIDC_CLIENT_SECRET: 'late-secret',
      MFC_OIDC_REDIRECT_URL: callback,
      MFC_OIDC_ROLE_MAP: JSON.stringify(TEST_ROLE_MAP),
      MFC_OIDC_SCOPES: 'openid profile email groups',
    });
    let late: TestOidcProvider | undefined;
    try {
      const browser = new Browser();
      const down = await browser.json<ErrorBody>(`${lonely.url}/api/session/sso/login`);
      expect(down.status).toBe(503);
      expect(down.body.error.name).toBe('SsoUnavailable');
      expect(down.body.error.message).toContain(
        `The identity provider at http://127.0.0.1:${providerPort} cannot be reached`,
      );
      // A browser gets a page, not JSON.
      const page = await browser.fetch(`${lonely.url}/api/session/sso/login`, { headers: { accept: 'text/html' } });
      expect(page.status).toBe(503);
      expect(await page.text()).toContain('cannot be reached');
      // The BFF is still up.
      expect((await browser.json(`${lonely.url}/api/session`)).status).toBe(200);

      late = await startOidcProvider({
        port: providerPort,
        redirectUris: [callback],
        clientSecret: 'late-secret',
      });
      const up = await browser.fetch(`${lonely.url}/api/session/sso/login`);
      expect(up.status).toBe(302);
      expect(up.headers.get('location')).toContain(`http://127.0.0.1:${providerPort}/auth?`);
    } finally {
      await lonely.close();
      await late?.close();
    }
  });
});

describe('single sign-on beside a users file, with groups only in userinfo', () => {
  let both: Bff;
  let provider: TestOidcProvider;
  let cb: string;

  beforeAll(async () => {
    const usersFile = join(dir, 'users.json');
    writeUsersFile(usersFile, [
      { username: 'pat', role: 'operator', passwordHash: await hashPassword('pat-password-1') },
    ]);
    const port = await freePort();
    cb = `http://127.0.0.1:${port}/api/session/sso/callback`;
    provider = await startOidcProvider({ redirectUris: [cb], claimsInIdToken: false });
    ({ bff: both } = await startTestBff({
      PORT: String(port),
      MFC_MODE: 'production',
      MFC_SESSION_SECRET: SECRET,
      MFC_USERS_FILE: usersFile,
      ...provider.env(),
      MFC_OIDC_REDIRECT_URL: cb,
      MFC_OIDC_LABEL: 'Sign in with Example ID',
    }));
  }, 60_000);
  afterAll(async () => {
    await both?.close();
    await provider?.close();
  });

  it('offers both ways, and a password session signs out with a plain 204', async () => {
    const browser = new Browser();
    expect(await browser.json(`${both.url}/api/session`)).toMatchObject({
      body: {
        methods: ['password', 'sso'],
        sso: { loginUrl: '/api/session/sso/login', label: 'Sign in with Example ID' },
      },
    });
    const login = await browser.json<SessionInfo>(`${both.url}/api/session/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'pat', password: 'pat-password-1' }),
    });
    expect(login.body.user).toEqual({ name: 'pat', role: 'operator' });
    const out = await browser.fetch(`${both.url}/api/session/logout`, {
      method: 'POST',
      headers: { 'x-csrf-token': login.body.csrfToken },
    });
    expect(out.status).toBe(204);
  });

  it('reads the groups from the userinfo endpoint when the ID token lacks them', async () => {
    const browser = new Browser();
    const { res: form } = await browser.follow(`${both.url}/api/session/sso/login`);
    const action = await formAction(form, provider.issuer);
    const { next } = await browser.follow(
      action,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ username: 'alice', password: TEST_PASSWORD }).toString(),
      },
      (url) => url.startsWith(cb),
    );
    const res = await browser.fetch(next!);
    expect(res.status, await res.clone().text()).toBe(302);
    const me = await browser.json<SessionInfo>(`${both.url}/api/session`);
    expect(me.body.user).toEqual({ name: 'alice', role: 'operator' });
  });
});

describe('claims to a user', () => {
  it('reads a string or an array of strings, and nested claims by a dotted path', () => {
    expect(claimValues({ groups: 'a' }, 'groups')).toEqual(['a']);
    expect(claimValues({ groups: ['a', 1, 'b'] }, 'groups')).toEqual(['a', 'b']);
    expect(claimValues({ groups: { a: 1 } }, 'groups')).toEqual([]);
    expect(claimValues({}, 'groups')).toEqual([]);
    expect(claimValues({ realm_access: { roles: ['x'] } }, 'realm_access.roles')).toEqual(['x']);
    expect(claimValues({ 'https://example.com/roles': ['y'] }, 'https://example.com/roles')).toEqual(['y']);
  });

  it('takes the highest mapped role, and none when nothing is mapped', () => {
    const map = { v: 'viewer', o: 'operator', a: 'admin' } as const;
    expect(roleFor(['v', 'a', 'o'], map)).toBe('admin');
    expect(roleFor(['x', 'v'], map)).toBe('viewer');
    expect(roleFor(['x', 'toString', '__proto__'], map)).toBeUndefined();
    expect(roleFor([], map)).toBeUndefined();
  });

  it('names the user by preferred_username, then email, then sub (or the configured claim)', () => {
    expect(userName({ sub: 's', email: 'e@x', preferred_username: 'p' })).toBe('p');
    expect(userName({ sub: 's', email: 'e@x' })).toBe('e@x');
    expect(userName({ sub: 's' })).toBe('s');
    expect(userName({ sub: 's', email: 'e@x', preferred_username: 'p' }, 'email')).toBe('e@x');
    expect(userName({ sub: 's' }, 'upn')).toBe('s');
  });

  it('keeps only same-origin paths as returnTo', () => {
    expect(safeReturnTo('/applications/a?tab=job#x')).toBe('/applications/a?tab=job#x');
    expect(safeReturnTo('/keys')).toBe('/keys');
    for (const bad of [
      undefined,
      '',
      'keys',
      '//evil.example',
      'https://evil.example',
      '/\\evil',
      '/api/audit',
      '/a\nb',
      ['/'],
    ])
      expect(safeReturnTo(bad)).toBe('/');
  });
});

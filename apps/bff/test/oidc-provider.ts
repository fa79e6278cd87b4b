/**
 * A real OpenID Connect provider for tests: `oidc-provider` on 127.0.0.1 at a free port, with one
 * confidential client (authorization code, PKCE required), a few accounts whose `groups` claim drives the
 * console's roles, a plain login form (username and password; a Cancel link answers access_denied) and
 * consent granted for the first-party client. Its pages load nothing from the network. Used by the BFF's
 * integration tests and by the Playwright journey.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';

export interface TestAccount {
  /** The `groups` claim: a list, or one string. */
  groups?: string[] | string;
  email?: string;
  name?: string;
  password?: string;
}

/** Every account's password unless it sets its own. */
export const TEST_PASSWORD = 'correct horse battery staple';

export const TEST_ACCOUNTS: Record<string, TestAccount> = {
  alice: { groups: ['flink-operators', 'staff'], name: 'Alice Operator' },
  victor: { groups: ['flink-viewers'], name: 'Victor Viewer' },
  ada: { groups: ['flink-viewers', 'flink-admins'], name: 'Ada Admin' },
  mallory: { groups: ['other'], name: 'Mallory' },
};

/** The console's MFC_OIDC_ROLE_MAP for these accounts. */
export const TEST_ROLE_MAP = { 'flink-admins': 'admin', 'flink-operators': 'operator', 'flink-viewers': 'viewer' };

export interface OidcProviderOptions {
  /** The console's callback URL(s), e.g. http://127.0.0.1:<port>/api/session/sso/callback. */
  redirectUris: string[];
  postLogoutRedirectUris?: string[];
  clientId?: string;
  clientSecret?: string;
  accounts?: Record<string, TestAccount>;
  /** Listen here (default: a free port). */
  port?: number;
  /**
   * The host name in the issuer URL (it always listens on 127.0.0.1). 'localhost' puts the provider on
   * another site than a console on 127.0.0.1, so its redirects are cross-site, as in production.
   */
  issuerHost?: '127.0.0.1' | 'localhost';
  /**
   * true (default): every granted claim is in the ID token. false: only sub and the like; profile and groups
   * come from the userinfo endpoint, as some providers do.
   */
  claimsInIdToken?: boolean;
}

export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  provider: Provider;
  /** Errors the provider reported (server_error and the like), for a failing test to show. */
  errors: string[];
  /** Environment for the BFF: the MFC_OIDC_* variables (not the redirect URL). */
  env(): Record<string, string>;
  close(): Promise<void>;
}

export async function startOidcProvider(options: OidcProviderOptions): Promise<TestOidcProvider> {
  const accounts = options.accounts ?? TEST_ACCOUNTS;
  const clientId = options.clientId ?? 'managed-flink-console';
  const clientSecret = options.clientSecret ?? randomBytes(24).toString('base64url');
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const issuer = `http://${options.issuerHost ?? '127.0.0.1'}:${(server.address() as AddressInfo).port}`;
  const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });

  const configuration: Configuration = {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: options.redirectUris,
        post_logout_redirect_uris: options.postLogoutRedirectUris ?? [],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    pkce: { required: () => true },
    // Scope → claims. `groups` is a scope of its own, as many providers have it.
    claims: {
      openid: ['sub'],
      profile: ['name', 'preferred_username'],
      email: ['email', 'email_verified'],
      groups: ['groups'],
    },
    conformIdTokenClaims: options.claimsInIdToken === false,
    findAccount: (_ctx, sub) => {
      const account = accounts[sub];
      if (!account) return undefined;
      return {
        accountId: sub,
        claims: () => ({
          sub,
          preferred_username: sub,
          name: account.name ?? sub,
          email: account.email ?? `${sub}@example.com`,
          email_verified: true,
          ...(account.groups !== undefined ? { groups: account.groups } : {}),
        }),
      };
    },
    jwks: { keys: [{ ...signingKey, use: 'sig', alg: 'RS256', kid: 'test-signing-key' }] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    renderError: (ctx, out) => {
      ctx.type = 'html';
      ctx.body = page(
        'Sign-in error',
        `<h1>Something went wrong</h1>${Object.entries(out)
          .map(([k, v]) => `<p><strong>${esc(k)}</strong>: ${esc(String(v))}</p>`)
          .join('')}`,
      );
    },
    ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 3600, Grant: 3600 },
  };
  const provider = new Provider(issuer, configuration);
  const errors: string[] = [];
  provider.on('server_error', (_ctx, err) => errors.push(`server_error: ${err.message}`));
  provider.on('grant.error', (_ctx, err) => errors.push(`grant.error: ${err.message}`));
  provider.on('authorization.error', (_ctx, err) => errors.push(`authorization.error: ${err.message}`));
  provider.on('end_session.error', (_ctx, err) => errors.push(`end_session.error: ${err.message}`));

  const callback = provider.callback();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', issuer);
    // No icon: a browser's request for one would be a 404 in its console.
    if (url.pathname === '/favicon.ico') return void res.writeHead(204).end();
    const match = /^\/interaction\/([^/]+)(\/login|\/abort)?$/.exec(url.pathname);
    if (!match) return void callback(req, res);
    interaction(provider, accounts, req, res, match[1]!, match[2] ?? '').catch((err: unknown) => {
      errors.push(`interaction: ${(err as Error).message}`);
      if (!res.headersSent) {
        res.statusCode = 400;
        res.setHeader('content-type', 'text/html; charset=utf-8');
      }
      res.end(page('Sign-in error', `<h1>Sign-in error</h1><p>${esc((err as Error).message)}</p>`));
    });
  });

  return {
    issuer,
    clientId,
    clientSecret,
    provider,
    errors,
    env: () => ({
      MFC_OIDC_ISSUER: issuer,
      MFC_OIDC_CLIENT_ID: clientId,
      MFC_OIDC_CLIENT_SECRET: clientSecret,
      MFC_OIDC_SCOPES: 'openid profile email groups',
      MFC_OIDC_ROLE_MAP: JSON.stringify(TEST_ROLE_MAP),
    }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The login form; a submitted login; Cancel (access_denied); consent granted to the first-party client. */
async function interaction(
  provider: Provider,
  accounts: Record<string, TestAccount>,
  req: IncomingMessage,
  res: ServerResponse,
  uid: string,
  action: string,
): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new Error('this sign-in page belongs to another sign-in');
  if (action === '/abort')
    return provider.interactionFinished(
      req,
      res,
      { error: 'access_denied', error_description: 'The user cancelled the sign-in' },
      { mergeWithLastSubmission: false },
    );

  if (details.prompt.name === 'consent') {
    // The console is the organisation's own application: what it asks for is granted without a question.
    const { session, params } = details;
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: session!.accountId, clientId: String(params.client_id) });
    if (!grant) throw new Error('the grant of this sign-in is gone');
    const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    const grantId = await grant.save();
    return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }
  if (details.prompt.name !== 'login') throw new Error(`prompt ${details.prompt.name} is not supported here`);

  if (action === '/login' && req.method === 'POST') {
    const form = new URLSearchParams(await body(req));
    const username = form.get('username') ?? '';
    const account = Object.hasOwn(accounts, username) ? accounts[username] : undefined;
    if (account && form.get('password') === (account.password ?? TEST_PASSWORD))
      return provider.interactionFinished(
        req,
        res,
        { login: { accountId: username } },
        { mergeWithLastSubmission: false },
      );
    return loginForm(res, uid, username, 'Wrong username or password.');
  }
  loginForm(res, uid, typeof details.params.login_hint === 'string' ? details.params.login_hint : '');
}

function loginForm(res: ServerResponse, uid: string, username: string, error?: string): void {
  res.statusCode = error ? 401 : 200;
  res.setHeader('content-type', 'text/html; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.end(
    page(
      'Sign in · Test identity provider',
      `<h1>Test identity provider</h1>
<form method="post" action="/interaction/${esc(uid)}/login" autocomplete="off">
${error ? `<p role="alert">${esc(error)}</p>` : ''}
<p><label for="username">Username</label> <input id="username" name="username" value="${esc(username)}" required autofocus></p>
<p><label for="password">Password</label> <input id="password" name="password" type="password" required></p>
<p><button type="submit">Sign in</button> <a href="/interaction/${esc(uid)}/abort">Cancel</a></p>
</form>`,
    ),
  );
}

async function logoutSource(ctx: KoaContextWithOIDC, form: string): Promise<void> {
  ctx.type = 'html';
  ctx.body = page(
    'Sign out · Test identity provider',
    `<h1>Sign out of the test identity provider?</h1>
${form}
<p><button type="submit" form="op.logoutForm" name="logout" value="yes">Yes, sign me out</button>
<button type="submit" form="op.logoutForm">No, stay signed in</button></p>`,
  );
}

async function postLogoutSuccessSource(ctx: KoaContextWithOIDC): Promise<void> {
  ctx.type = 'html';
  ctx.body = page('Signed out · Test identity provider', '<h1>You are signed out of the test identity provider.</h1>');
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>${esc(title)}</title></head><body><main>${body}</main></body></html>`;
}

function esc(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      text += chunk;
      if (text.length > 16_384) req.destroy(new Error('form too large'));
    });
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}

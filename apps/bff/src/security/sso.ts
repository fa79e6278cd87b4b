/**
 * Single sign-on with an OpenID Connect provider, through openid-client: the authorization code flow with
 * PKCE (S256), state and nonce; openid-client validates the ID token (issuer, audience, signature, expiry,
 * nonce) and none of its checks is turned off. The provider's metadata is discovered on the first sign-in
 * and kept; a failed discovery is tried again on the next one.
 *
 * Between the redirect to the provider and its redirect back, the flow (state, nonce, PKCE verifier and
 * where to return) waits in a short-lived HMAC-signed cookie, SameSite=Lax because the provider's
 * redirect back is a cross-site top-level GET that a Strict cookie would miss. A second cookie marks a
 * session that came from single sign-on, so signing out can also end the provider's session.
 */
import { createHmac } from 'node:crypto';
import type { Role } from '@mfc/contracts';
import { ROLE_RANK } from '@mfc/contracts';
import type { Request, Response } from 'express';
import * as oidc from 'openid-client';
import type { OidcConfig } from '../config.js';
import { parseCookies, sign, unsign } from './cookies.js';
import { safeEqual } from './tokens.js';

export const SSO_LOGIN_URL = '/api/session/sso/login';
export const SSO_FLOW_COOKIE = 'mfc_sso_flow';
/** Marks a session that came from single sign-on (an HMAC of its id, so it cannot be moved to another). */
export const SSO_MARK_COOKIE = 'mfc_sso';
const FLOW_COOKIE_PATH = '/api/session/sso';
const MARK_COOKIE_PATH = '/api/session';
/** How long a sign-in may take at the provider. */
export const SSO_FLOW_TTL_MS = 10 * 60_000;
const MAX_NAME = 128;

/** What waits in the flow cookie between the redirect to the provider and its answer. */
export interface SsoFlow {
  state: string;
  nonce: string;
  verifier: string;
  returnTo: string;
  /** Expiry (epoch ms), checked here as well as by the cookie's Max-Age. */
  exp: number;
}

/** The provider cannot be reached (503) or answers discovery with something unusable (502). */
export class SsoUnavailable extends Error {
  constructor(
    message: string,
    readonly status: 502 | 503,
  ) {
    super(message);
    this.name = 'SsoUnavailable';
  }
}

export interface SsoOptions {
  secret: string;
  secureCookies: boolean;
  /** Seconds each request to the provider may take (default 10). */
  timeoutSeconds?: number;
}

export class SsoProvider {
  private discovered: Promise<oidc.Configuration> | undefined;
  private readonly flowKey: string;
  private readonly markKey: string;

  constructor(
    readonly settings: OidcConfig,
    private readonly options: SsoOptions,
  ) {
    // Keys of their own, so no cookie signed for one purpose verifies for another.
    this.flowKey = derive(options.secret, 'mfc-sso-flow');
    this.markKey = derive(options.secret, 'mfc-sso-session');
  }

  /** The provider's metadata and this client, discovered once (again after a failure). */
  configuration(): Promise<oidc.Configuration> {
    this.discovered ??= this.discover().catch((err: unknown) => {
      this.discovered = undefined;
      throw err;
    });
    return this.discovered;
  }

  private async discover(): Promise<oidc.Configuration> {
    const { issuer, clientId, clientSecret } = this.settings;
    try {
      return await oidc.discovery(new URL(issuer), clientId, clientSecret, oidc.ClientSecretBasic(clientSecret), {
        // Plain http is accepted by the configuration only for a provider on this machine.
        execute: issuer.startsWith('http:') ? [oidc.allowInsecureRequests] : [],
        timeout: this.options.timeoutSeconds ?? 10,
      });
    } catch (err) {
      const reason = describeError(err);
      if (isNetworkError(err))
        throw new SsoUnavailable(
          `The identity provider at ${issuer} cannot be reached (${reason}); try again later.`,
          503,
        );
      throw new SsoUnavailable(
        `The identity provider at ${issuer} answered its discovery document with something unusable (${reason}).`,
        502,
      );
    }
  }

  /** Where to send the browser to sign in, and the flow to keep until it comes back. */
  async start(returnTo: string, now: number): Promise<{ url: string; flow: SsoFlow }> {
    const config = await this.configuration();
    const verifier = oidc.randomPKCECodeVerifier();
    const flow: SsoFlow = {
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      verifier,
      returnTo,
      exp: now + SSO_FLOW_TTL_MS,
    };
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.settings.redirectUrl,
      scope: this.settings.scopes,
      response_type: 'code',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state: flow.state,
      nonce: flow.nonce,
    });
    return { url: url.href, flow };
  }

  /**
   * Exchanges the code of the provider's answer (its query string, as received) for tokens and returns the
   * validated ID token's claims (with the userinfo's beside them when the ID token lacks a claim we need).
   * Throws openid-client's errors; see `classify`.
   */
  async finish(query: string, flow: SsoFlow): Promise<Record<string, unknown>> {
    const config = await this.configuration();
    // The URL the provider redirected to, as registered: behind a proxy, the request's own URL differs.
    const current = new URL(this.settings.redirectUrl);
    current.search = query;
    const tokens = await oidc.authorizationCodeGrant(config, current, {
      pkceCodeVerifier: flow.verifier,
      expectedState: flow.state,
      expectedNonce: flow.nonce,
      idTokenExpected: true,
    });
    const idToken = tokens.claims();
    // idTokenExpected has openid-client refuse an answer without one; this only narrows the type.
    if (!idToken) throw new Error('the token response has no ID token');
    const claims: Record<string, unknown> = { ...idToken };
    const needs = [this.settings.roleClaim, ...(this.settings.nameClaim ? [this.settings.nameClaim] : [])];
    if (needs.some((c) => claimAt(claims, c) === undefined) && config.serverMetadata().userinfo_endpoint) {
      // Some providers put groups only in the userinfo answer. openid-client checks its subject is the ID token's.
      const info = await oidc.fetchUserInfo(config, tokens.access_token, idToken.sub);
      return { ...info, ...claims };
    }
    return claims;
  }

  /** The provider's RP-initiated logout URL, when it has an end_session_endpoint. */
  async endSessionUrl(): Promise<string | undefined> {
    const config = await this.configuration();
    if (!config.serverMetadata().end_session_endpoint) return undefined;
    const params: Record<string, string> = {};
    if (this.settings.postLogoutRedirectUrl) params.post_logout_redirect_uri = this.settings.postLogoutRedirectUrl;
    return oidc.buildEndSessionUrl(config, params).href;
  }

  /** The user for these claims: the name, and the highest role among the role claim's mapped values. */
  userFor(claims: Record<string, unknown>): { name: string; values: string[]; role: Role | undefined } {
    const values = claimValues(claims, this.settings.roleClaim);
    return { name: userName(claims, this.settings.nameClaim), values, role: roleFor(values, this.settings.roleMap) };
  }

  writeFlow(res: Response, flow: SsoFlow): void {
    const payload = Buffer.from(JSON.stringify(flow)).toString('base64url');
    res.cookie(SSO_FLOW_COOKIE, sign(payload, this.flowKey), {
      ...this.flowAttributes(),
      maxAge: SSO_FLOW_TTL_MS,
    });
  }

  /** The flow of this browser's sign-in, or why there is none. */
  readFlow(req: Request, now: number): SsoFlow | 'missing' | 'invalid' | 'expired' {
    const raw = parseCookies(req.headers.cookie).get(SSO_FLOW_COOKIE);
    if (!raw) return 'missing';
    const payload = unsign(raw, this.flowKey);
    if (payload === undefined) return 'invalid';
    let flow: SsoFlow;
    try {
      flow = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as SsoFlow;
    } catch {
      return 'invalid';
    }
    if (typeof flow.state !== 'string' || typeof flow.nonce !== 'string' || typeof flow.verifier !== 'string')
      return 'invalid';
    return flow.exp > now ? flow : 'expired';
  }

  clearFlow(res: Response): void {
    res.clearCookie(SSO_FLOW_COOKIE, this.flowAttributes());
  }

  /** Marks the session as one from single sign-on, for as long as the session cookie lives. */
  markSession(res: Response, sessionId: string, maxAgeMs: number): void {
    res.cookie(SSO_MARK_COOKIE, this.mark(sessionId), {
      httpOnly: true,
      sameSite: 'strict',
      path: MARK_COOKIE_PATH,
      secure: this.options.secureCookies,
      maxAge: Math.max(0, Math.floor(maxAgeMs)),
    });
  }

  isSsoSession(req: Request, sessionId: string): boolean {
    const raw = parseCookies(req.headers.cookie).get(SSO_MARK_COOKIE);
    return raw !== undefined && safeEqual(raw, this.mark(sessionId));
  }

  clearMark(res: Response): void {
    res.clearCookie(SSO_MARK_COOKIE, {
      httpOnly: true,
      sameSite: 'strict',
      path: MARK_COOKIE_PATH,
      secure: this.options.secureCookies,
    });
  }

  private mark(sessionId: string): string {
    return createHmac('sha256', this.markKey).update(sessionId).digest('base64url');
  }

  private flowAttributes() {
    return {
      httpOnly: true,
      // Lax: the provider's redirect back is a cross-site top-level GET, which does not carry Strict cookies.
      sameSite: 'lax' as const,
      path: FLOW_COOKIE_PATH,
      secure: this.options.secureCookies,
    };
  }
}

function derive(secret: string, purpose: string): string {
  return createHmac('sha256', secret).update(purpose).digest('base64url');
}

/** A claim by name, or by a dotted path into nested objects (realm_access.roles) when no claim has the name. */
export function claimAt(claims: Record<string, unknown>, name: string): unknown {
  if (Object.hasOwn(claims, name)) return claims[name];
  let value: unknown = claims;
  for (const part of name.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    if (!Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** A claim holding a string or an array of strings, as a list (anything else: none). */
export function claimValues(claims: Record<string, unknown>, name: string): string[] {
  const value = claimAt(claims, name);
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

/** The highest role any of the values maps to; undefined when none is mapped. */
export function roleFor(values: string[], map: Record<string, Role>): Role | undefined {
  let best: Role | undefined;
  for (const v of values) {
    const role = Object.hasOwn(map, v) ? map[v] : undefined;
    if (role && (best === undefined || ROLE_RANK[role] > ROLE_RANK[best])) best = role;
  }
  return best;
}

/** The configured name claim, else preferred_username, email, then sub. */
export function userName(claims: Record<string, unknown>, nameClaim?: string): string {
  const candidates = nameClaim ? [nameClaim, 'sub'] : ['preferred_username', 'email', 'sub'];
  for (const c of candidates) {
    const value = claimAt(claims, c);
    if (typeof value === 'string' && value.trim() !== '') return value.trim().slice(0, MAX_NAME);
  }
  return 'unknown';
}

/**
 * Only a path on this origin: "/applications/x?tab=1" stays, "//evil.example", "https://…", "/\\evil" and
 * the API's own paths become "/".
 */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.length > 2048) return '/';
  // Backslashes and control characters: browsers read "/\evil.example" as another host.
  // eslint-disable-next-line no-control-regex
  if (/[\\\u0000-\u001f\u007f]/.test(value)) return '/';
  const base = 'http://console.invalid';
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return '/';
  }
  if (url.origin !== base || url.pathname === '/api' || url.pathname.startsWith('/api/')) return '/';
  return `${url.pathname}${url.search}${url.hash}`;
}

/** A network failure or timeout reaching the provider, as opposed to an answer we refuse. */
export function isNetworkError(err: unknown): boolean {
  if (err instanceof oidc.ClientError && (err.code === 'OAUTH_TIMEOUT' || err.code === 'OAUTH_ABORT')) return true;
  return err instanceof TypeError && /fetch failed|network|ECONNREFUSED|ENOTFOUND|EAI_AGAIN/i.test(errorText(err));
}

function errorText(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err, depth = 0; e && depth < 4; depth++) {
    if (e instanceof Error) {
      parts.push(e.message, (e as { code?: string }).code ?? '');
      e = e.cause;
    } else break;
  }
  return parts.join(' ');
}

/** The most specific message of an error and its causes (openid-client wraps the precise one). */
export function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause;
  if (err instanceof oidc.ClientError && cause instanceof Error && cause.message) return cause.message;
  if (err instanceof TypeError && cause instanceof Error && cause.message)
    return `${err.message}: ${(cause as { code?: string }).code ?? cause.message}`;
  return err.message;
}

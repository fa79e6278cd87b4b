/**
 * /api/session/sso: single sign-on with an OpenID Connect provider.
 *   GET /login[?returnTo=/applications/x]  → 302 to the provider, the flow kept in a signed cookie;
 *   GET /callback                          → the provider's answer: code exchanged, ID token validated, the
 *                                            role mapped from a claim, a session started; 302 to returnTo.
 * Both are top-level browser navigations, so a refusal answers a short HTML page (JSON to a client that
 * asks for it), and every sign-in, made or refused, is in the audit log (never a token).
 */
import type { AuditEntry } from '@mfc/contracts';
import express, { type Request, type Response, type Router } from 'express';
import * as oidc from 'openid-client';
import { recordAudit } from './audit-middleware.js';
import type { SecurityContext } from './context.js';
import { sendError } from './errors.js';
import { signIn } from './session-router.js';
import type { SessionUser } from './sessions.js';
import {
  describeError,
  isNetworkError,
  safeReturnTo,
  SSO_FLOW_TTL_MS,
  SSO_LOGIN_URL,
  SsoUnavailable,
  type SsoProvider,
} from './sso.js';
import { safeEqual } from './tokens.js';
import './express-types.js';

type Outcome = AuditEntry['outcome'];

export function createSsoRouter(ctx: SecurityContext, sso: SsoProvider): Router {
  const router = express.Router();

  router.get('/login', async (req, res) => {
    const returnTo = safeReturnTo(req.query.returnTo);
    try {
      const { url, flow } = await sso.start(returnTo, ctx.now());
      sso.writeFlow(res, flow);
      res.redirect(302, url);
    } catch (err) {
      if (!(err instanceof SsoUnavailable)) throw err;
      ctx.logger.warn({ err: err.message }, 'single sign-on: the identity provider is not available');
      failPage(req, res, err.status, 'SsoUnavailable', err.message);
    }
  });

  router.get('/callback', async (req, res) => {
    const flow = sso.readFlow(req, ctx.now());
    // Single use: whatever happens next, this flow is over.
    sso.clearFlow(res);
    const q = req.originalUrl.indexOf('?');
    const query = q >= 0 ? req.originalUrl.slice(q) : '';
    const params = new URLSearchParams(query);
    const claimName = sso.settings.roleClaim;

    const refuse = async (
      status: number,
      name: string,
      message: string,
      outcome: Outcome,
      user?: SessionUser | { name: string; role: '' },
      extra: Record<string, unknown> = {},
    ) => {
      ctx.logger.warn({ user: user?.name, error: name, reason: message }, 'single sign-on refused');
      await audit(ctx, outcome, user, { how: 'sso', ...extra }, message);
      failPage(req, res, status, name, message);
    };

    if (typeof flow === 'string') {
      const why = {
        missing:
          'This browser has no sign-in in progress (its sign-in cookie is missing: cookies are blocked, or the sign-in was started elsewhere)',
        invalid: 'The sign-in cookie of this browser is not valid',
        expired: `The sign-in took longer than ${SSO_FLOW_TTL_MS / 60_000} minutes`,
      } as const;
      return refuse(400, 'SsoFlowMissing', `${why[flow]}; start again.`, 'failure');
    }
    const state = params.get('state');
    if (!state || !safeEqual(state, flow.state))
      return refuse(
        400,
        'SsoStateMismatch',
        'The answer from the identity provider does not belong to the sign-in this browser started (its state differs); start again.',
        'denied',
      );
    const providerError = params.get('error');
    if (providerError) {
      const description = params.get('error_description');
      const said = `${short(providerError)}${description ? `: ${short(description)}` : ''}`;
      if (providerError === 'access_denied')
        return refuse(403, 'SsoDenied', `The identity provider did not sign you in (${said}).`, 'denied', undefined, {
          error: short(providerError),
        });
      return refuse(400, 'SsoProviderError', `The identity provider answered with an error (${said}).`, 'failure');
    }

    let claims: Record<string, unknown>;
    try {
      claims = await sso.finish(query, flow);
    } catch (err) {
      const refusal = classify(err);
      if (refusal.status >= 500) ctx.logger.error({ err: describeError(err) }, 'single sign-on failed');
      return refuse(refusal.status, refusal.name, refusal.message, refusal.outcome);
    }

    const { name, values, role } = sso.userFor(claims);
    const extra = { sub: typeof claims.sub === 'string' ? claims.sub : '', claim: claimName, values };
    if (!role)
      return refuse(
        403,
        'SsoNoRole',
        `${name} may not use this console: none of the values of the "${claimName}" claim (${values.length > 0 ? values.join(', ') : 'none'}) is mapped to a role. Ask an administrator to map one of your groups in MFC_OIDC_ROLE_MAP.`,
        'denied',
        { name, role: '' },
        extra,
      );
    const user: SessionUser = { name, role };
    const session = await signIn(ctx, req, res, user, 'sso');
    sso.markSession(res, session.id, ctx.sessions.remainingMs(session, session.createdAt));
    await audit(ctx, 'success', user, { how: 'sso', ...extra });
    // Checked when the flow started; again here, as a cookie is a cookie.
    res.redirect(302, safeReturnTo(flow.returnTo));
  });

  return router;
}

/** How a failed code exchange is answered: the provider's fault (5xx) or an answer we refuse (401). */
function classify(err: unknown): { status: number; name: string; message: string; outcome: Outcome } {
  const reason = describeError(err);
  if (err instanceof SsoUnavailable)
    return { status: err.status, name: 'SsoUnavailable', message: err.message, outcome: 'failure' };
  if (isNetworkError(err))
    return {
      status: 502,
      name: 'SsoUnavailable',
      message: `The identity provider could not be reached to finish the sign-in (${reason}); try again.`,
      outcome: 'failure',
    };
  if (err instanceof oidc.ResponseBodyError) {
    if (err.error === 'invalid_client' || err.status === 401)
      return {
        status: 502,
        name: 'SsoMisconfigured',
        message: `The identity provider refused this console's client credentials (${err.error}); check MFC_OIDC_CLIENT_ID and MFC_OIDC_CLIENT_SECRET.`,
        outcome: 'failure',
      };
    return {
      status: 401,
      name: 'SsoInvalidResponse',
      message: `The identity provider refused to exchange the sign-in code (${err.error}${err.error_description ? `: ${short(err.error_description)}` : ''}); start again.`,
      outcome: 'denied',
    };
  }
  if (err instanceof oidc.WWWAuthenticateChallengeError)
    return {
      status: 502,
      name: 'SsoMisconfigured',
      message: `The identity provider refused this console's client credentials; check MFC_OIDC_CLIENT_ID and MFC_OIDC_CLIENT_SECRET.`,
      outcome: 'failure',
    };
  if (
    err instanceof oidc.ClientError &&
    (err.code === 'OAUTH_RESPONSE_IS_NOT_CONFORM' || err.code === 'OAUTH_RESPONSE_IS_NOT_JSON')
  )
    return {
      status: 502,
      name: 'SsoUnavailable',
      message: `The identity provider answered the code exchange with something unusable (${reason}).`,
      outcome: 'failure',
    };
  if (err instanceof oidc.ClientError || err instanceof oidc.AuthorizationResponseError)
    return {
      status: 401,
      name: 'SsoInvalidResponse',
      message: `The sign-in could not be verified (${reason}); start again.`,
      outcome: 'denied',
    };
  return { status: 502, name: 'SsoFailed', message: `The sign-in failed (${reason}).`, outcome: 'failure' };
}

function audit(
  ctx: SecurityContext,
  outcome: Outcome,
  user: { name: string; role: string } | undefined,
  params: Record<string, unknown>,
  error?: string,
): Promise<void> {
  return recordAudit(ctx, {
    at: ctx.now(),
    user: user?.name ?? 'anonymous',
    role: user?.role ?? '',
    action: 'login',
    target: user?.name ?? '',
    params,
    outcome,
    ...(error ? { error } : {}),
  });
}

/** A refusal: a short page for a browser, the ErrorBody for a client that asks for JSON. */
function failPage(req: Request, res: Response, status: number, name: string, message: string): void {
  if (req.accepts(['json', 'html']) !== 'html') return sendError(res, status, name, message);
  res
    .status(status)
    .type('html')
    .send(
      `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Sign-in failed · Managed Flink Console</title></head>
<body>
<main>
<h1>Single sign-on did not sign you in</h1>
<p id="sso-error" data-error="${escapeHtml(name)}">${escapeHtml(message)}</p>
<p><a href="${SSO_LOGIN_URL}">Try again</a> · <a href="/">Back to the console</a></p>
</main>
</body>
</html>
`,
    );
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

/** Text the provider (or whoever forged the query) chose, shortened for a page and the audit log. */
function short(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

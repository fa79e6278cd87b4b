/**
 * /api/session: who am I (GET; SignedOut when nobody is, in production, with the ways to sign in), sign in (POST /login),
 * sign out (POST /logout: 204, or 200 { endSessionUrl } after single sign-on) and, in demo mode, switch role (POST /role).
 * Each answers SessionInfo, which carries the CSRF token for mutations. Single sign-on: /api/session/sso (sso-router.ts).
 */
import { LoginRequest, Role, type LogoutResponse, type SessionInfo, type SignedOut } from '@mfc/contracts';
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { attachSession, noSessionMessage, readSession, unauthorized } from './authenticate.js';
import { recordAudit } from './audit-middleware.js';
import type { SecurityContext } from './context.js';
import { checkCsrf } from './csrf.js';
import { issuesOf, sendError } from './errors.js';
import type { Session, SessionUser } from './sessions.js';
import { SSO_LOGIN_URL } from './sso.js';
import './express-types.js';

export const DEMO_USER = 'demo-operator';
const RoleRequest = z.object({ role: Role });

export function createSessionRouter(ctx: SecurityContext): Router {
  const router = express.Router();
  router.use(express.json({ limit: '16kb' }));
  // The body carries the CSRF token: no cache may keep it.
  router.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });

  router.get('/', async (req, res) => {
    const result = await readSession(ctx, req);
    if ('session' in result) {
      await attachSession(ctx, req, result.session, result.now);
      return void res.json(info(ctx, result.session));
    }
    if (ctx.mode !== 'demo') {
      const signedOut: SignedOut = {
        signedIn: false,
        mode: ctx.mode,
        message: noSessionMessage(ctx, res, result.reason),
        ...signInMethods(ctx),
      };
      return void res.json(signedOut);
    }
    // Demo: a first visit (or one after the session ended) is signed in as the demo operator.
    const session = await ctx.sessions.create({ name: DEMO_USER, role: 'operator' });
    await startSession(ctx, req, res, session);
    ctx.logger.info({ user: DEMO_USER }, 'demo session started');
    res.json(info(ctx, session));
  });

  router.post('/login', async (req, res) => {
    res.locals.auditRecorded = true;
    const users = ctx.users;
    if (!users)
      return sendError(
        res,
        404,
        'NotFound',
        ctx.sso
          ? `Sign-in with a password is not configured: sign in with single sign-on (${SSO_LOGIN_URL}).`
          : 'Sign-in with a password is not configured: demo mode signs you in as the demo operator.',
      );
    const parsed = LoginRequest.safeParse(req.body);
    if (!parsed.success)
      return sendError(res, 400, 'ValidationError', 'username and password are required.', issuesOf(parsed.error));
    const { username, password } = parsed.data;
    const audit = (outcome: 'success' | 'failure' | 'denied', role: string, error?: string) =>
      recordAudit(ctx, {
        at: ctx.now(),
        user: username,
        role,
        action: 'login',
        target: username,
        params: { username },
        outcome,
        ...(error ? { error } : {}),
      });

    const lockedMs = await ctx.lockout.lockedForMs(username);
    if (lockedMs > 0) {
      const message = `Too many failed sign-ins for ${username}: signing in is locked for ${minutes(lockedMs)}.`;
      await audit('denied', '', message);
      res.setHeader('Retry-After', String(Math.ceil(lockedMs / 1000)));
      return sendError(res, 429, 'LoginLocked', message);
    }

    // Counted as a failure before the (slow) check and cleared on success, so parallel guesses cannot
    // all slip past the lock while their hashes are being computed.
    const lockedForMs = await ctx.lockout.fail(username);
    const user = await users.verify(username, password);
    if (!user) {
      const message =
        lockedForMs > 0
          ? `Wrong username or password. Too many failed sign-ins: signing in as ${username} is locked for ${minutes(lockedForMs)}.`
          : 'Wrong username or password.';
      ctx.logger.warn({ user: username, locked: lockedForMs > 0 }, 'failed sign-in');
      await audit('failure', '', message);
      return sendError(res, 401, 'Unauthorized', message);
    }

    await ctx.lockout.succeed(username);
    await signIn(ctx, req, res, user, 'password');
    await audit('success', user.role);
    res.json(info(ctx, ctx.sessionOf.get(req)!));
  });

  router.post('/logout', async (req, res) => {
    res.locals.auditRecorded = true;
    const result = await readSession(ctx, req);
    if (!('session' in result)) {
      // Nothing to end; the stale cookie (if any) goes.
      ctx.cookie.clear(res);
      ctx.sso?.clearMark(res);
      return void res.status(204).end();
    }
    await attachSession(ctx, req, result.session, result.now);
    // Without the token, a cross-site page could sign the user out.
    if (!checkCsrf(ctx, req, res)) return auditSession(ctx, req, 'logout', 'denied', 'CSRF token missing or wrong');
    const endSessionUrl = await providerLogoutUrl(ctx, req, result.session);
    await ctx.sessions.destroy(result.session.id);
    ctx.cookie.clear(res);
    ctx.sso?.clearMark(res);
    await auditSession(ctx, req, 'logout', 'success', undefined, endSessionUrl ? { how: 'sso' } : {});
    // A single sign-on session: the console also ends the provider's session there (RP-initiated logout).
    if (endSessionUrl) return void res.json({ endSessionUrl } satisfies LogoutResponse);
    res.status(204).end();
  });

  router.post('/role', async (req, res) => {
    res.locals.auditRecorded = true;
    if (ctx.mode !== 'demo')
      return sendError(res, 404, 'NotFound', 'Switching role is a demo feature; roles come from the users file.');
    const result = await readSession(ctx, req);
    if (!('session' in result)) return unauthorized(ctx, res, result.reason);
    await attachSession(ctx, req, result.session, result.now);
    if (!checkCsrf(ctx, req, res)) return auditSession(ctx, req, 'switchRole', 'denied', 'CSRF token missing or wrong');
    const parsed = RoleRequest.safeParse(req.body);
    if (!parsed.success)
      return sendError(
        res,
        400,
        'ValidationError',
        `role must be one of viewer, operator, admin.`,
        issuesOf(parsed.error),
      );
    // Recorded under the identity that asked for the switch.
    await auditSession(ctx, req, 'switchRole', 'success', undefined, {
      from: result.session.user.role,
      role: parsed.data.role,
    });
    // The demo user is named after the role, so the audit log shows who acted as what.
    await ctx.sessions.setUser(result.session, { name: `demo-${parsed.data.role}`, role: parsed.data.role });
    req.user = { ...result.session.user };
    res.json(info(ctx, result.session));
  });

  return router;
}

/** What the sign-in page offers: the password form (a users file) and/or single sign-on. */
function signInMethods(ctx: SecurityContext): Pick<SignedOut, 'methods' | 'sso'> {
  const methods: NonNullable<SignedOut['methods']> = [];
  if (ctx.users) methods.push('password');
  if (!ctx.sso) return { methods };
  methods.push('sso');
  const label = ctx.sso.settings.label;
  return { methods, sso: { loginUrl: SSO_LOGIN_URL, ...(label ? { label } : {}) } };
}

/** The provider's end-session URL for a session that came from single sign-on, if it has one. */
async function providerLogoutUrl(ctx: SecurityContext, req: Request, session: Session): Promise<string | undefined> {
  if (!ctx.sso?.isSsoSession(req, session.id)) return undefined;
  try {
    return await ctx.sso.endSessionUrl();
  } catch (err) {
    // The console's session ends anyway; the provider's stays, as after a sign-out without single sign-on.
    ctx.logger.warn({ err: (err as Error).message }, 'single sign-on: no end-session URL for the sign-out');
    return undefined;
  }
}

function info(ctx: SecurityContext, session: Session): SessionInfo {
  return { user: { ...session.user }, csrfToken: session.csrfToken, mode: ctx.mode };
}

async function startSession(ctx: SecurityContext, req: Request, res: Response, session: Session): Promise<void> {
  // A new session's clock reading is its creation time.
  ctx.cookie.write(res, session.id, ctx.sessions.remainingMs(session, session.createdAt));
  await attachSession(ctx, req, session, session.createdAt);
}

/**
 * Signs a verified user in (a password or single sign-on): whatever session the browser had is dropped,
 * and the sign-in gets a fresh id and CSRF token.
 */
export async function signIn(
  ctx: SecurityContext,
  req: Request,
  res: Response,
  user: SessionUser,
  how: 'password' | 'sso',
): Promise<Session> {
  const previous = ctx.cookie.read(req);
  if (typeof previous === 'object') await ctx.sessions.destroy(previous.id);
  const session = await ctx.sessions.create(user);
  await startSession(ctx, req, res, session);
  ctx.logger.info({ user: user.name, role: user.role, how }, 'signed in');
  return session;
}

function auditSession(
  ctx: SecurityContext,
  req: Request,
  action: string,
  outcome: 'success' | 'denied',
  error?: string,
  params: Record<string, unknown> = {},
): Promise<void> {
  return recordAudit(ctx, {
    at: ctx.now(),
    user: req.user?.name ?? 'anonymous',
    role: req.user?.role ?? '',
    action,
    target: req.user?.name ?? '',
    params,
    outcome,
    ...(error ? { error } : {}),
  });
}

function minutes(ms: number): string {
  const m = Math.ceil(ms / 60_000);
  return m === 1 ? '1 more minute' : `${m} more minutes`;
}

/**
 * /api/session: who am I (GET; SignedOut when nobody is, in production), sign in (POST /login), sign out (POST /logout) and, in demo mode,
 * switch role (POST /role). Each answers SessionInfo, which carries the CSRF token for mutations.
 */
import { LoginRequest, Role, type SessionInfo, type SignedOut } from '@mfc/contracts';
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { attachSession, noSessionMessage, readSession, unauthorized } from './authenticate.js';
import { recordAudit } from './audit-middleware.js';
import type { SecurityContext } from './context.js';
import { checkCsrf } from './csrf.js';
import { issuesOf, sendError } from './errors.js';
import type { Session } from './sessions.js';
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

  router.get('/', (req, res) => {
    const result = readSession(ctx, req);
    if ('session' in result) {
      attachSession(ctx, req, result.session);
      return void res.json(info(ctx, result.session));
    }
    if (ctx.mode !== 'demo') {
      const signedOut: SignedOut = {
        signedIn: false,
        mode: ctx.mode,
        message: noSessionMessage(ctx, res, result.reason),
      };
      return void res.json(signedOut);
    }
    // Demo: a first visit (or one after the session ended) is signed in as the demo operator.
    const session = ctx.sessions.create({ name: DEMO_USER, role: 'operator' });
    startSession(ctx, req, res, session);
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
        'Sign-in with a password is not configured: demo mode signs you in as the demo operator.',
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

    const lockedMs = ctx.lockout.lockedForMs(username);
    if (lockedMs > 0) {
      const message = `Too many failed sign-ins for ${username}: signing in is locked for ${minutes(lockedMs)}.`;
      audit('denied', '', message);
      res.setHeader('Retry-After', String(Math.ceil(lockedMs / 1000)));
      return sendError(res, 429, 'LoginLocked', message);
    }

    // Counted as a failure before the (slow) check and cleared on success, so parallel guesses cannot
    // all slip past the lock while their hashes are being computed.
    const locked = ctx.lockout.fail(username);
    const user = await users.verify(username, password);
    if (!user) {
      const message = locked
        ? `Wrong username or password. Too many failed sign-ins: signing in as ${username} is locked for ${minutes(ctx.lockout.lockedForMs(username))}.`
        : 'Wrong username or password.';
      ctx.logger.warn({ user: username, locked }, 'failed sign-in');
      audit('failure', '', message);
      return sendError(res, 401, 'Unauthorized', message);
    }

    ctx.lockout.succeed(username);
    // Rotation: whatever session the browser had is dropped, and the sign-in gets a fresh id and CSRF token.
    const previous = ctx.cookie.read(req);
    if (typeof previous === 'object') ctx.sessions.destroy(previous.id);
    const session = ctx.sessions.create(user);
    startSession(ctx, req, res, session);
    ctx.logger.info({ user: user.name, role: user.role }, 'signed in');
    audit('success', user.role);
    res.json(info(ctx, session));
  });

  router.post('/logout', (req, res) => {
    res.locals.auditRecorded = true;
    const result = readSession(ctx, req);
    if (!('session' in result)) {
      // Nothing to end; the stale cookie (if any) goes.
      ctx.cookie.clear(res);
      return void res.status(204).end();
    }
    attachSession(ctx, req, result.session);
    // Without the token, a cross-site page could sign the user out.
    if (!checkCsrf(ctx, req, res)) return auditSession(ctx, req, 'logout', 'denied', 'CSRF token missing or wrong');
    ctx.sessions.destroy(result.session.id);
    ctx.cookie.clear(res);
    auditSession(ctx, req, 'logout', 'success');
    res.status(204).end();
  });

  router.post('/role', (req, res) => {
    res.locals.auditRecorded = true;
    if (ctx.mode !== 'demo')
      return sendError(res, 404, 'NotFound', 'Switching role is a demo feature; roles come from the users file.');
    const result = readSession(ctx, req);
    if (!('session' in result)) return unauthorized(ctx, res, result.reason);
    attachSession(ctx, req, result.session);
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
    auditSession(ctx, req, 'switchRole', 'success', undefined, {
      from: result.session.user.role,
      role: parsed.data.role,
    });
    // The demo user is named after the role, so the audit log shows who acted as what.
    result.session.user = { name: `demo-${parsed.data.role}`, role: parsed.data.role };
    req.user = { ...result.session.user };
    res.json(info(ctx, result.session));
  });

  return router;
}

function info(ctx: SecurityContext, session: Session): SessionInfo {
  return { user: { ...session.user }, csrfToken: session.csrfToken, mode: ctx.mode };
}

function startSession(ctx: SecurityContext, req: Request, res: Response, session: Session): void {
  ctx.cookie.write(res, session.id, ctx.sessions.remainingMs(session));
  attachSession(ctx, req, session);
}

function auditSession(
  ctx: SecurityContext,
  req: Request,
  action: string,
  outcome: 'success' | 'denied',
  error?: string,
  params: Record<string, unknown> = {},
): void {
  recordAudit(ctx, {
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

/** Resolves the session from the signed cookie and attaches req.user; 401 when there is none. */
import type { Request, RequestHandler, Response } from 'express';
import type { SecurityContext } from './context.js';
import { sendError } from './errors.js';
import type { Session } from './sessions.js';
import './express-types.js';

export type SessionResult =
  { session: Session; now: number } | { reason: 'missing' | 'invalid' | 'unknown' | 'expired' | 'idle' };

export async function readSession(ctx: SecurityContext, req: Request): Promise<SessionResult> {
  const cookie = ctx.cookie.read(req);
  if (cookie === 'missing' || cookie === 'invalid') return { reason: cookie };
  return ctx.sessions.lookup(cookie.id);
}

/** Marks the request as belonging to the session and restarts its idle timeout. */
export async function attachSession(ctx: SecurityContext, req: Request, session: Session, now: number): Promise<void> {
  await ctx.sessions.touch(session, now);
  req.user = { ...session.user };
  req.sessionId = session.id;
  ctx.sessionOf.set(req, session);
}

export function unauthorized(
  ctx: SecurityContext,
  res: Response,
  reason: Exclude<SessionResult, { session: Session; now: number }>['reason'],
): void {
  sendError(res, 401, 'Unauthorized', noSessionMessage(ctx, res, reason));
}

/** Why there is no session, in words; a cookie that no longer leads anywhere is removed on the way. */
export function noSessionMessage(
  ctx: SecurityContext,
  res: Response,
  reason: Exclude<SessionResult, { session: Session; now: number }>['reason'],
): string {
  // Removed so the browser stops sending it.
  if (reason !== 'missing') ctx.cookie.clear(res);
  const again = ctx.mode === 'demo' ? 'reload the page to start a new demo session' : 'sign in again';
  const messages = {
    missing: ctx.mode === 'demo' ? 'No session: reload the page to start a demo session.' : 'Sign in to continue.',
    invalid: `The session cookie is not valid; ${again}.`,
    unknown: `The session has ended (signed out, or the server restarted); ${again}.`,
    expired: `The session expired after ${formatDuration(ctx.sessionTtlMs)}; ${again}.`,
    idle: `The session ended after ${formatDuration(ctx.idleTimeoutMs)} without activity; ${again}.`,
  };
  return messages[reason];
}

export function createAuthenticate(ctx: SecurityContext): RequestHandler {
  return (req, res, next) => {
    readSession(ctx, req)
      .then(async (result) => {
        if (!('session' in result)) return unauthorized(ctx, res, result.reason);
        await attachSession(ctx, req, result.session, result.now);
        next();
      })
      // The store unreachable: the error handler answers 503 with a retry hint.
      .catch(next);
  };
}

export function formatDuration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${Math.ceil(ms / 1000)} s`;
}

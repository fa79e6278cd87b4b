/**
 * CSRF protection for mutations: the `x-csrf-token` header must carry the session's token. A cross-site
 * page can make the browser send the cookie (not with SameSite=Strict, but defence in depth) yet cannot
 * read the token, which only comes in the JSON of GET /api/session.
 */
import type { Request, RequestHandler, Response } from 'express';
import type { SecurityContext } from './context.js';
import { sendError } from './errors.js';
import { safeEqual } from './tokens.js';

export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isMutation(req: Request): boolean {
  return !SAFE_METHODS.has(req.method);
}

/** True when the request may proceed; otherwise the 401/403 has been sent. */
export function checkCsrf(ctx: SecurityContext, req: Request, res: Response): boolean {
  const session = ctx.sessionOf.get(req);
  if (!session) {
    sendError(res, 401, 'Unauthorized', 'Sign in to continue: this request has no session.');
    return false;
  }
  const token = req.get(CSRF_HEADER);
  if (!token || !safeEqual(token, session.csrfToken)) {
    sendError(
      res,
      403,
      'CsrfTokenInvalid',
      token
        ? 'The x-csrf-token header does not match this session; reload the page and try again.'
        : 'This request changes something and needs the x-csrf-token header (the csrfToken of GET /api/session).',
    );
    return false;
  }
  return true;
}

export function createCsrf(ctx: SecurityContext): RequestHandler {
  return (req, res, next) => {
    if (!isMutation(req) || checkCsrf(ctx, req, res)) next();
  };
}

/**
 * The presigned URL's session: the token comes from `?authToken=` or, once used, from a cookie scoped to
 * the dashboard path, because the real dashboard makes relative XHRs without the query string.
 */
import type { IncomingMessage } from 'node:http';
import { checkSession, DASHBOARD_PATH, type Engine, type PresignedSession } from '@mfc/engine';
import { RestError } from './errors.js';

export const SESSION_COOKIE = 'mfc-flink-session';

export interface Session {
  session: PresignedSession;
  /** Set-Cookie to send back when the token came from the query string. */
  setCookie?: string;
}

export function readCookie(req: IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** Validates the request's token; throws 401 (none) or 403 (unknown, expired, first use too late). */
export function authenticate(engine: Engine, req: IncomingMessage, url: URL, dashboardId: string): Session {
  const fromQuery = url.searchParams.get('authToken') ?? undefined;
  const token = fromQuery || readCookie(req, SESSION_COOKIE);
  const check = checkSession(engine.core, dashboardId, token);
  if (!check.ok) throw new RestError(check.status, check.reason);
  if (!fromQuery) return { session: check.session };
  const maxAge = Math.max(0, Math.ceil((check.session.expiresAt - engine.now()) / 1000));
  const path = `${DASHBOARD_PATH}/${dashboardId}/`;
  return {
    session: check.session,
    setCookie: `${SESSION_COOKIE}=${encodeURIComponent(check.session.token)}; Path=${path}; Max-Age=${maxAge}; HttpOnly; SameSite=Lax`,
  };
}

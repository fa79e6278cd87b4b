/**
 * Sessions behind CreateApplicationPresignedUrl: the URL carries an authToken that must be used within
 * three minutes and stays valid for the session duration (12 hours by default).
 */
import type { ServiceCore } from './core.js';
import type { AppRecord, CallContext } from './records.js';

export const FIRST_USE_WINDOW_MS = 3 * 60_000;
export const DEFAULT_SESSION_SECONDS = 43_200;
export const DASHBOARD_PATH = '/flinkdashboard';

export interface PresignedSession {
  token: string;
  appKey: string;
  dashboardId: string;
  createdAt: number;
  expiresAt: number;
  firstUsedAt?: number;
}

export function createSession(core: ServiceCore, app: AppRecord, seconds: number | undefined): PresignedSession {
  const now = core.now();
  const token = core.random(app, (r) => r.hex(64));
  const session: PresignedSession = {
    token,
    appKey: app.key,
    dashboardId: app.dashboardId,
    createdAt: now,
    expiresAt: now + (seconds ?? DEFAULT_SESSION_SECONDS) * 1000,
  };
  core.store.sessions.set(token, session);
  // Sessions past their expiry are of no use to anyone; drop them as new ones are made.
  for (const [t, s] of [...core.store.sessions.entries()]) if (s.expiresAt < now) core.store.sessions.delete(t);
  return session;
}

export function dashboardUrl(ctx: CallContext, session: PresignedSession): string {
  const base = (ctx.endpoint ?? 'http://127.0.0.1:4599').replace(/\/$/, '');
  return `${base}${DASHBOARD_PATH}/${session.dashboardId}/?authToken=${session.token}`;
}

export type SessionCheck = { ok: true; session: PresignedSession } | { ok: false; status: 401 | 403; reason: string };

/** Validates a token for a dashboard request (and records its first use). */
export function checkSession(core: ServiceCore, dashboardId: string, token: string | undefined): SessionCheck {
  if (!token) return { ok: false, status: 401, reason: 'Missing authToken.' };
  const session = core.store.sessions.get(token);
  if (!session || session.dashboardId !== dashboardId) return { ok: false, status: 403, reason: 'Invalid authToken.' };
  const now = core.now();
  if (now > session.expiresAt) return { ok: false, status: 403, reason: 'The session has expired.' };
  if (session.firstUsedAt === undefined) {
    if (now > session.createdAt + FIRST_USE_WINDOW_MS)
      return { ok: false, status: 403, reason: 'The presigned URL expired: it must be used within 3 minutes.' };
    session.firstUsedAt = now;
    core.store.sessions.touch(token);
  }
  return { ok: true, session };
}

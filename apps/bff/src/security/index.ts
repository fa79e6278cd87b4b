/**
 * The BFF's security layer: secure headers, cookie sessions with roles, CSRF, rate limits on mutations
 * and the audit log. Mount order (the lead's app):
 *   headers → express.json → /api/session (sessionRouter) → public routes → audit → authenticate → csrf →
 *   rateLimit → routes (with requireRole) ; GET /api/audit → auditRoute.
 * `audit` before `authenticate` so refused mutations (401) are recorded too.
 */
import type { Role } from '@mfc/contracts';
import type { RequestHandler, Router } from 'express';
import type { Logger } from 'pino';
import { createAuditMiddleware } from './audit-middleware.js';
import { createAuditRoute } from './audit-route.js';
import { AuditWriter } from './audit-writer.js';
import { createAuthenticate } from './authenticate.js';
import type { OidcConfig } from '../config.js';
import type { SharedStore } from '../store/types.js';
import type { SecurityContext } from './context.js';
import { SessionCookie } from './cookies.js';
import { createCsrf } from './csrf.js';
import { createHeaders } from './headers.js';
import { LoginLockout } from './lockout.js';
import { createMutationRateLimit } from './rate-limit.js';
import { requireRole } from './roles.js';
import { createSessionRouter } from './session-router.js';
import { SessionStore } from './sessions.js';
import { SsoProvider } from './sso.js';
import { createSsoRouter } from './sso-router.js';
import { UserDirectory } from './users.js';
import './express-types.js';

export type { AuditFilter, NewAuditEntry } from '../store/types.js';
export { AuditWriter } from './audit-writer.js';
export { redactParams, outcomeOf } from './audit-middleware.js';
export { CSRF_HEADER } from './csrf.js';
export { SESSION_COOKIE } from './cookies.js';
export { CSP_DIRECTIVES } from './headers.js';
export { hashPassword, verifyPassword, DEFAULT_SCRYPT_COST } from './passwords.js';
export { hasRole, requireRole } from './roles.js';
export { DEMO_USER } from './session-router.js';
export type { SessionUser } from './sessions.js';
export { readUsersFile, upsertUser, writeUsersFile, type UserRecord } from './users.js';

export interface SecurityConfig {
  mode: 'demo' | 'production';
  /** Secret for signing session cookies (HMAC-SHA256); at least 32 characters in production. */
  sessionSecret: string;
  /** JSON file [{ "username", "role", "passwordHash" }]; passwordHash from hashPassword (scrypt$N$r$p$salt$key). Production needs it or `oidc`. */
  usersFile?: string;
  /** Single sign-on with an OpenID Connect provider (routes under /api/session/sso). */
  oidc?: OidcConfig;
  /** Where sessions, audit, lockout, rate limits and preferences are kept (SQLite or PostgreSQL). */
  store: SharedStore;
  /** Where audit entries wait while the store cannot be reached (undefined: in memory). */
  auditSpillFile?: string;
  /** Absolute session lifetime (default 8 h) and idle timeout (default 30 min). */
  sessionTtlMs?: number;
  idleTimeoutMs?: number;
  /** Secure cookie attribute (default: true in production, false in demo on plain http). Also turns HSTS on. */
  secureCookies?: boolean;
  /** Mutations per session per window (default 60 per minute). */
  mutationRateLimit?: { windowMs: number; max: number };
  /** Failed logins before a username is locked, and for how long (default 5, 15 min). */
  lockout?: { maxFailures: number; lockMs: number };
  logger: Logger;
  /** Clock for tests (default Date.now). */
  now?: () => number;
}

export interface Security {
  headers: RequestHandler;
  sessionRouter: Router;
  authenticate: RequestHandler;
  csrf: RequestHandler;
  requireRole(role: Role, what?: string): RequestHandler;
  rateLimit: RequestHandler;
  auditMiddleware: RequestHandler;
  auditRoute: RequestHandler;
  audit: AuditWriter;
  store: SharedStore;
  /** Stops background work; the store is the caller's to close. */
  close(): void;
}

export function createSecurity(config: SecurityConfig): Security {
  if (!config.sessionSecret) throw new Error('sessionSecret is required to sign session cookies');
  if (config.mode === 'production' && config.sessionSecret.length < 32)
    throw new Error('sessionSecret must be at least 32 characters in production');
  if (config.mode === 'production' && !config.usersFile && !config.oidc)
    throw new Error('production mode needs a usersFile or single sign-on (oidc)');
  const now = config.now ?? Date.now;
  const sessionTtlMs = positive(config.sessionTtlMs, 8 * 3_600_000, 'sessionTtlMs');
  const idleTimeoutMs = positive(config.idleTimeoutMs, 30 * 60_000, 'idleTimeoutMs');
  const secureCookies = config.secureCookies ?? config.mode === 'production';
  const lockout = config.lockout ?? { maxFailures: 5, lockMs: 15 * 60_000 };
  const limit = config.mutationRateLimit ?? { windowMs: 60_000, max: 60 };
  // Users are read before the audit database opens, so a bad users file fails the start without leaving a handle open.
  const users = config.usersFile ? UserDirectory.fromFile(config.usersFile) : undefined;
  if (config.mode === 'production' && users?.size === 0 && !config.oidc)
    config.logger.warn('the users file lists nobody: no one can sign in');
  const audit = new AuditWriter(config.store.audit, config.auditSpillFile, config.logger);

  const ctx: SecurityContext = {
    mode: config.mode,
    sessionTtlMs,
    idleTimeoutMs,
    secureCookies,
    logger: config.logger,
    now,
    store: config.store,
    sessions: new SessionStore(config.store.sessions, { ttlMs: sessionTtlMs, idleTimeoutMs }),
    cookie: new SessionCookie({ secret: config.sessionSecret, secure: secureCookies }),
    users,
    ...(config.oidc ? { sso: new SsoProvider(config.oidc, { secret: config.sessionSecret, secureCookies }) } : {}),
    lockout: new LoginLockout(config.store.lockout, lockout),
    audit,
    sessionOf: new WeakMap(),
  };

  const sessionRouter = createSessionRouter(ctx);
  if (ctx.sso) sessionRouter.use('/sso', createSsoRouter(ctx, ctx.sso));

  return {
    headers: createHeaders({ hsts: secureCookies }),
    sessionRouter,
    authenticate: createAuthenticate(ctx),
    csrf: createCsrf(ctx),
    requireRole,
    rateLimit: createMutationRateLimit({ ...limit, now, repo: config.store.rateLimits }),
    auditMiddleware: createAuditMiddleware(ctx),
    auditRoute: createAuditRoute(config.store.audit),
    audit,
    store: config.store,
    close() {
      audit.close();
    },
  };
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number of milliseconds`);
  return value;
}

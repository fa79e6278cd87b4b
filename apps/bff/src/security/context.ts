/** The resolved configuration and shared state every part of the security layer works with. */
import type { Request } from 'express';
import type { Logger } from 'pino';
import type { AuditLog } from './audit-log.js';
import type { SessionCookie } from './cookies.js';
import type { LoginLockout } from './lockout.js';
import type { Session, SessionStore } from './sessions.js';
import type { UserDirectory } from './users.js';

export interface SecurityContext {
  mode: 'demo' | 'production';
  sessionTtlMs: number;
  idleTimeoutMs: number;
  secureCookies: boolean;
  logger: Logger;
  now: () => number;
  sessions: SessionStore;
  cookie: SessionCookie;
  users: UserDirectory | undefined;
  lockout: LoginLockout;
  auditLog: AuditLog;
  /** The session `authenticate` resolved for a request, without a second lookup. */
  sessionOf: WeakMap<Request, Session>;
}

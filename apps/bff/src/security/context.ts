/** The resolved configuration and shared state every part of the security layer works with. */
import type { Request } from 'express';
import type { Logger } from 'pino';
import type { SharedStore } from '../store/types.js';
import type { AuditWriter } from './audit-writer.js';
import type { SessionCookie } from './cookies.js';
import type { LoginLockout } from './lockout.js';
import type { Session, SessionStore } from './sessions.js';
import type { SsoProvider } from './sso.js';
import type { UserDirectory } from './users.js';

export interface SecurityContext {
  mode: 'demo' | 'production';
  sessionTtlMs: number;
  idleTimeoutMs: number;
  secureCookies: boolean;
  logger: Logger;
  now: () => number;
  store: SharedStore;
  sessions: SessionStore;
  cookie: SessionCookie;
  users: UserDirectory | undefined;
  /** Single sign-on with an OpenID Connect provider (undefined: not configured). */
  sso?: SsoProvider;
  lockout: LoginLockout;
  audit: AuditWriter;
  /** The session `authenticate` resolved for a request, without a second lookup. */
  sessionOf: WeakMap<Request, Session>;
}

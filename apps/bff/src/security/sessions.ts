/** Sessions in memory, keyed by a random id: absolute lifetime, idle timeout, rotation. */
import type { Role } from '@mfc/contracts';
import { randomToken } from './tokens.js';

export interface SessionUser {
  name: string;
  role: Role;
}

export interface Session {
  id: string;
  user: SessionUser;
  csrfToken: string;
  createdAt: number;
  lastSeenAt: number;
}

export type SessionLookup = { session: Session } | { reason: 'unknown' | 'expired' | 'idle' };

export interface SessionStoreOptions {
  ttlMs: number;
  idleTimeoutMs: number;
  now: () => number;
  /** Oldest sessions are dropped beyond this, so anonymous demo visits cannot grow memory without bound. */
  maxSessions?: number;
}

export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly maxSessions: number;

  constructor(private readonly options: SessionStoreOptions) {
    this.maxSessions = options.maxSessions ?? 10_000;
  }

  get size(): number {
    return this.sessions.size;
  }

  create(user: SessionUser): Session {
    this.prune();
    const now = this.options.now();
    const session: Session = {
      id: randomToken(),
      user: { ...user },
      csrfToken: randomToken(),
      createdAt: now,
      lastSeenAt: now,
    };
    this.sessions.set(session.id, session);
    // Map iteration is insertion order, so the first keys are the oldest sessions.
    for (const id of this.sessions.keys()) {
      if (this.sessions.size <= this.maxSessions) break;
      this.sessions.delete(id);
    }
    return session;
  }

  /** Looks a session up without touching it; an expired one is removed and reported as such. */
  lookup(id: string): SessionLookup {
    const session = this.sessions.get(id);
    if (!session) return { reason: 'unknown' };
    const expiry = this.expiry(session, this.options.now());
    if (expiry) {
      this.sessions.delete(id);
      return { reason: expiry };
    }
    return { session };
  }

  /** Records activity, which restarts the idle timeout. */
  touch(session: Session): void {
    session.lastSeenAt = this.options.now();
  }

  /** Milliseconds until the absolute expiry: the cookie's Max-Age. */
  remainingMs(session: Session): number {
    return session.createdAt + this.options.ttlMs - this.options.now();
  }

  destroy(id: string): void {
    this.sessions.delete(id);
  }

  clear(): void {
    this.sessions.clear();
  }

  private expiry(session: Session, now: number): 'expired' | 'idle' | undefined {
    if (now >= session.createdAt + this.options.ttlMs) return 'expired';
    if (now >= session.lastSeenAt + this.options.idleTimeoutMs) return 'idle';
    return undefined;
  }

  private prune(): void {
    const now = this.options.now();
    for (const [id, session] of this.sessions) if (this.expiry(session, now)) this.sessions.delete(id);
  }
}

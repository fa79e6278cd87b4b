/**
 * Sessions in the shared store, keyed by a random id: absolute lifetime, idle timeout, rotation. A session
 * is judged on the store's clock. Activity is written at most every few seconds per session, not on every
 * request: an idle timeout of minutes does not need a database write per poll.
 */
import type { SessionRecord, SessionRepo, SessionUser } from '../store/types.js';
import { randomToken } from './tokens.js';

export type { SessionUser } from '../store/types.js';
export type Session = SessionRecord;

export type SessionLookup = { session: Session; now: number } | { reason: 'unknown' | 'expired' | 'idle' };

export interface SessionStoreOptions {
  ttlMs: number;
  idleTimeoutMs: number;
  /** Oldest sessions are dropped beyond this, so anonymous demo visits cannot grow the store without bound. */
  maxSessions?: number;
}

export class SessionStore {
  private readonly maxSessions: number;
  private readonly touchEveryMs: number;
  private created = 0;

  constructor(
    private readonly repo: SessionRepo,
    private readonly options: SessionStoreOptions,
  ) {
    this.maxSessions = options.maxSessions ?? 10_000;
    // A write per session at most every 5 s (sooner for idle timeouts of under a minute, as tests use).
    this.touchEveryMs = Math.min(5_000, options.idleTimeoutMs / 10);
  }

  private get limits() {
    return { ttlMs: this.options.ttlMs, idleTimeoutMs: this.options.idleTimeoutMs };
  }

  async create(user: SessionUser): Promise<Session> {
    // Expired sessions and the oldest past the bound go now and then, not on every sign-in.
    if (this.created++ % 100 === 0) await this.repo.prune(this.limits, this.maxSessions);
    return this.repo.create(randomToken(), { ...user }, randomToken());
  }

  /** The live session, or why there is none; an expired one is removed. */
  lookup(id: string): Promise<SessionLookup> {
    return this.repo.lookup(id, this.limits);
  }

  /** Records activity (restarting the idle timeout), at most every few seconds per session. */
  async touch(session: Session, now: number): Promise<void> {
    if (now - session.lastSeenAt < this.touchEveryMs) return;
    await this.repo.touch(session.id);
    session.lastSeenAt = now;
  }

  /** Milliseconds until the absolute expiry at `now` (the store's clock): the cookie's Max-Age. */
  remainingMs(session: Session, now: number): number {
    return session.createdAt + this.options.ttlMs - now;
  }

  async setUser(session: Session, user: SessionUser): Promise<void> {
    await this.repo.setUser(session.id, user);
    session.user = { ...user };
  }

  destroy(id: string): Promise<void> {
    return this.repo.destroy(id);
  }
}

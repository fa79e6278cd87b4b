/**
 * What the BFF keeps beyond one request and must share between replicas: sessions, the audit log, login
 * lockout, rate-limit counters and saved preferences. One interface, two implementations: SQLite in the
 * data directory (one process, the default) and PostgreSQL (MFC_DATABASE_URL, several replicas). Every
 * time a rule depends on (a session's age, a lock, a rate window) is read from the store's own clock —
 * the database server's for PostgreSQL — so a replica whose clock is off can neither extend a session
 * nor shorten a lock.
 */
import type { AuditEntry, Role } from '@mfc/contracts';

export interface SessionUser {
  name: string;
  role: Role;
}

export interface SessionRecord {
  id: string;
  user: SessionUser;
  csrfToken: string;
  createdAt: number;
  lastSeenAt: number;
}

/** A session as found, with the store's clock when it was read. */
export type SessionFound = { session: SessionRecord; now: number } | { reason: 'unknown' | 'expired' | 'idle' };

export interface SessionLimits {
  /** Absolute lifetime from sign-in. */
  ttlMs: number;
  /** Ends a session unused for this long. */
  idleTimeoutMs: number;
}

export interface SessionRepo {
  /** Stores a new session created now (the store's clock); returns it. */
  create(id: string, user: SessionUser, csrfToken: string): Promise<SessionRecord>;
  /** The live session, or why there is none (an expired one is removed). */
  lookup(id: string, limits: SessionLimits): Promise<SessionFound>;
  /** Marks activity now, which restarts the idle timeout. */
  touch(id: string): Promise<void>;
  /** Changes who the session belongs to (the demo's role switch). */
  setUser(id: string, user: SessionUser): Promise<void>;
  destroy(id: string): Promise<void>;
  /** Removes every expired session; keeps at most `max` (the oldest go first). */
  prune(limits: SessionLimits, max: number): Promise<void>;
}

export interface LockoutRule {
  maxFailures: number;
  lockMs: number;
}

export interface LockoutRepo {
  /** Milliseconds the username stays locked (0: it may try). */
  lockedForMs(username: string, rule: LockoutRule): Promise<number>;
  /** Counts a failure now; returns how long the username is locked after it (0: not locked). */
  fail(username: string, rule: LockoutRule): Promise<number>;
  clear(username: string): Promise<void>;
}

export interface RateCount {
  hits: number;
  /** When the window ends (the store's clock). */
  resetAt: number;
  /** The store's clock when counted. */
  now: number;
}

export interface RateLimitRepo {
  /** Counts a hit in the key's fixed window (a new window when the last one ended). */
  hit(key: string, windowMs: number): Promise<RateCount>;
  /** Takes a hit back (a request the limiter decides not to count after all). */
  unhit(key: string): Promise<void>;
  reset(key: string): Promise<void>;
}

export type NewAuditEntry = Omit<AuditEntry, 'id'>;

export interface AuditFilter {
  /** Entries with an id below this (paging backwards from the newest). */
  before?: number;
  /** At most this many (default 100). */
  limit?: number;
  user?: string;
  action?: string;
  target?: string;
}

export interface AuditRepo {
  /** Stores an entry; resolves once it is durable, with its id (ids only grow). */
  record(entry: NewAuditEntry): Promise<number>;
  /** Newest first. */
  list(filter?: AuditFilter): Promise<AuditEntry[]>;
}

export interface PreferencesRepo {
  get(user: string): Promise<Record<string, unknown>>;
  /** Replaces the user's preferences. */
  set(user: string, preferences: Record<string, unknown>): Promise<void>;
}

export interface SharedStore {
  readonly kind: 'sqlite' | 'postgres';
  readonly sessions: SessionRepo;
  readonly lockout: LockoutRepo;
  readonly rateLimits: RateLimitRepo;
  readonly audit: AuditRepo;
  readonly preferences: PreferencesRepo;
  /** The store's clock (the database server's for PostgreSQL), epoch ms. */
  now(): Promise<number>;
  close(): Promise<void>;
}

/** The store cannot be reached: reads that need it answer 503 with a retry hint. */
export class StoreUnavailableError extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds = 5,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

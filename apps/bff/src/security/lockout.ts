/**
 * Locks a username after repeated failed sign-ins. Unknown usernames are tracked the same way,
 * so a lock does not reveal whether an account exists.
 */
export interface LockoutOptions {
  maxFailures: number;
  lockMs: number;
  now: () => number;
}

interface Attempts {
  failures: number;
  lastFailureAt: number;
  lockedUntil?: number;
}

export class LoginLockout {
  private readonly attempts = new Map<string, Attempts>();

  constructor(private readonly options: LockoutOptions) {}

  /** Milliseconds the username stays locked, or 0 when a sign-in may be tried. */
  lockedForMs(username: string): number {
    const a = this.current(username);
    return a?.lockedUntil !== undefined ? a.lockedUntil - this.options.now() : 0;
  }

  /** Counts a failure; returns true when this failure locked the username. */
  fail(username: string): boolean {
    const now = this.options.now();
    this.prune(now);
    const a = this.current(username) ?? { failures: 0, lastFailureAt: now };
    a.failures += 1;
    a.lastFailureAt = now;
    if (a.failures >= this.options.maxFailures) a.lockedUntil = now + this.options.lockMs;
    this.attempts.set(username, a);
    return a.lockedUntil !== undefined;
  }

  succeed(username: string): void {
    this.attempts.delete(username);
  }

  /** The live record: a lock that has run out, or failures older than a lock period, start a fresh count. */
  private current(username: string): Attempts | undefined {
    const a = this.attempts.get(username);
    if (a && this.stale(a, this.options.now())) {
      this.attempts.delete(username);
      return undefined;
    }
    return a;
  }

  private stale(a: Attempts, now: number): boolean {
    return a.lockedUntil !== undefined ? now >= a.lockedUntil : now - a.lastFailureAt >= this.options.lockMs;
  }

  /** Keeps the map small when someone sprays many usernames. */
  private prune(now: number): void {
    if (this.attempts.size < 1000) return;
    for (const [name, a] of this.attempts) if (this.stale(a, now)) this.attempts.delete(name);
  }
}

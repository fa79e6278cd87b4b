/**
 * Locks a username after repeated failed sign-ins, counted in the shared store so every replica sees
 * the same count. Unknown usernames are tracked the same way, so a lock does not reveal whether an
 * account exists.
 */
import type { LockoutRepo, LockoutRule } from '../store/types.js';

export class LoginLockout {
  constructor(
    private readonly repo: LockoutRepo,
    private readonly rule: LockoutRule,
  ) {}

  /** Milliseconds the username stays locked, or 0 when a sign-in may be tried. */
  lockedForMs(username: string): Promise<number> {
    return this.repo.lockedForMs(username, this.rule);
  }

  /** Counts a failure; returns how long the username is locked after it (0: not locked). */
  fail(username: string): Promise<number> {
    return this.repo.fail(username, this.rule);
  }

  succeed(username: string): Promise<void> {
    return this.repo.clear(username);
  }
}

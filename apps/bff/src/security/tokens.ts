/** Random tokens and constant-time comparison, shared by cookies, sessions and CSRF. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 256 bits of randomness, URL- and cookie-safe (no '.', so it can carry a signature suffix). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * Compares two strings in time independent of where they differ. Both sides are hashed first so
 * the comparison also does not reveal the expected length (timingSafeEqual needs equal lengths).
 */
export function safeEqual(a: string, b: string): boolean {
  const da = createHash('sha256').update(a).digest();
  const db = createHash('sha256').update(b).digest();
  return timingSafeEqual(da, db);
}

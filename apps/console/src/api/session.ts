/**
 * The browser's session with the BFF: who is signed in, and the CSRF token every mutation sends.
 * Kept outside React (an external store) because the fetch wrapper needs it too.
 */
import type { Role, SessionInfo, SignedOut } from '@mfc/contracts';
import { ROLE_RANK } from '@mfc/contracts';

export type SessionState =
  /** Before the first answer, and while signing out (`label` says which). */
  | { state: 'loading'; label?: string }
  | { state: 'signed-in'; session: SessionInfo }
  /**
   * Production mode without a session: the sign-in page is shown, with the ways to sign in when the BFF said
   * them (a SignedOut answer); otherwise the page asks.
   */
  | { state: 'signed-out'; message?: string; methods?: SignedOut['methods']; sso?: SignedOut['sso'] }
  | { state: 'error'; message: string };

let current: SessionState = { state: 'loading' };
const listeners = new Set<() => void>();

export function getSessionState(): SessionState {
  return current;
}

export function setSessionState(next: SessionState): void {
  current = next;
  for (const l of listeners) l();
}

export function subscribeSession(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function currentSession(): SessionInfo | undefined {
  return current.state === 'signed-in' ? current.session : undefined;
}

/** True when the signed-in user has at least `needed`. */
export function hasRole(session: SessionInfo | undefined, needed: Role): boolean {
  return session !== undefined && ROLE_RANK[session.user.role] >= ROLE_RANK[needed];
}

import { useSyncExternalStore } from 'react';
import { getSessionState, subscribeSession, type SessionState } from '../api/session';

export function useSessionState(): SessionState {
  return useSyncExternalStore(subscribeSession, getSessionState, getSessionState);
}

export function useSession() {
  const s = useSessionState();
  return s.state === 'signed-in' ? s.session : undefined;
}

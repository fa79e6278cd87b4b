/**
 * Whether the console's own database answers: the BFF says StoreUnavailable (503) when it does not, and
 * the console shows a banner until a request succeeds again. Kept outside React, as the session is.
 */
import { useSyncExternalStore } from 'react';

let unavailable: string | undefined;
const listeners = new Set<() => void>();

function set(next: string | undefined): void {
  if (next === unavailable) return;
  unavailable = next;
  for (const l of listeners) l();
}

/** The BFF could not reach its store: `message` is what it said. */
export const storeUnavailable = (message: string) => set(message);
/** A request succeeded: whatever was wrong is over. */
export const storeAnswered = () => set(undefined);

export function useStoreUnavailable(): string | undefined {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => unavailable,
  );
}

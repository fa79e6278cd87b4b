/**
 * The signed-in user's preferences, kept by the BFF in its shared store: they follow the user to another
 * browser or replica. Read once, written whole (the BFF replaces them), errors ignored: a preference that
 * did not save is not worth an error on screen.
 */
import type { Preferences, PreferencesResponse } from '@mfc/contracts';
import { api } from './client';

let loaded: Promise<Preferences> | undefined;

export function loadPreferences(): Promise<Preferences> {
  loaded ??= api<PreferencesResponse>('/preferences')
    .then((r) => r.preferences)
    .catch(() => {
      loaded = undefined;
      return {};
    });
  return loaded;
}

export async function savePreferences(patch: Partial<Preferences>): Promise<void> {
  const next = { ...(await loadPreferences()), ...patch };
  loaded = Promise.resolve(next);
  await api<PreferencesResponse>('/preferences', { method: 'POST', body: next }).catch(() => undefined);
}

/** The signed-in user's preferences (theme, saved Insights queries), in the shared store. */
import * as C from '@mfc/contracts';
import type { Api } from '../http/api.js';
import { HttpError } from '../http/errors.js';
import type { SharedStore } from '../store/types.js';

export function preferenceRoutes(api: Api, store: SharedStore): void {
  const tag = 'preferences';
  const user = (name: string | undefined) => {
    if (!name) throw new HttpError(401, 'Unauthorized', 'Sign in to continue: this request has no session.');
    return name;
  };
  api.add(
    {
      method: 'get',
      path: '/preferences',
      summary: 'The signed-in user’s preferences',
      tag,
      response: C.PreferencesResponse,
    },
    async ({ req }) => {
      // Stored by an older release or by hand: only what this release understands is answered.
      const parsed = C.Preferences.safeParse(await store.preferences.get(user(req.user?.name)));
      return { preferences: parsed.success ? parsed.data : {} };
    },
  );
  api.add(
    {
      method: 'post',
      path: '/preferences',
      summary: 'Replace the signed-in user’s preferences',
      tag,
      body: C.Preferences,
      response: C.PreferencesResponse,
    },
    async ({ req, body, res }) => {
      const name = user(req.user?.name);
      res.locals.audit = { action: 'savePreferences', target: name };
      await store.preferences.set(name, body);
      return { preferences: body };
    },
  );
}

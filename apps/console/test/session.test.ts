import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadSession } from '../src/api/client';
import { getSessionState } from '../src/api/session';

function answer(status: number, body: unknown) {
  vi.stubGlobal(
    'fetch',
    vi.fn(async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })),
  );
}

afterEach(() => vi.unstubAllGlobals());

describe('loadSession', () => {
  it('treats a SignedOut answer as signed out, with the reason', async () => {
    answer(200, { signedIn: false, mode: 'production', message: 'Sign in to continue.' });
    expect(await loadSession()).toBeUndefined();
    expect(getSessionState()).toEqual({ state: 'signed-out', message: 'Sign in to continue.' });
  });

  it('keeps a session answer', async () => {
    const session = { user: { name: 'alice', role: 'operator' }, csrfToken: 't', mode: 'production' };
    answer(200, session);
    expect(await loadSession()).toEqual(session);
    expect(getSessionState()).toEqual({ state: 'signed-in', session });
  });
});

import { render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { logout, navigation } from '../src/api/client';
import { getSessionState, setSessionState } from '../src/api/session';
import { SignInPage } from '../src/pages/SignInPage';

function answer(status: number, body: unknown) {
  const fetch = vi.fn(
    async () =>
      new Response(body === undefined ? null : JSON.stringify(body), {
        status,
        headers: { 'content-type': 'application/json' },
      }),
  );
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

beforeEach(() => window.history.replaceState(null, '', '/applications/orders-enricher?tab=job'));
afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('the sign-in page', () => {
  it('offers single sign-on only, coming back to the current page', () => {
    render(
      <SignInPage message="Sign in to continue." methods={['sso']} sso={{ loginUrl: '/api/session/sso/login' }} />,
    );
    const link = screen.getByTestId('signin-sso');
    expect(link.textContent).toBe('Sign in with single sign-on');
    expect(link.getAttribute('href')).toBe(
      `/api/session/sso/login?returnTo=${encodeURIComponent('/applications/orders-enricher?tab=job')}`,
    );
    expect(screen.queryByTestId('signin-username')).toBeNull();
  });

  it('offers both, with the label the BFF gives', () => {
    render(
      <SignInPage
        methods={['password', 'sso']}
        sso={{ loginUrl: '/api/session/sso/login', label: 'Sign in with Example ID' }}
      />,
    );
    expect(screen.getByTestId('signin-sso').textContent).toBe('Sign in with Example ID');
    expect(screen.getByTestId('signin-username')).toBeTruthy();
    expect(screen.getByTestId('signin-submit').className).not.toContain('button--primary');
  });

  it('asks the BFF what it offers when it was not told (after signing out)', async () => {
    const fetch = answer(200, {
      signedIn: false,
      mode: 'production',
      message: 'Sign in to continue.',
      methods: ['sso'],
      sso: { loginUrl: '/api/session/sso/login' },
    });
    render(<SignInPage />);
    expect(await screen.findByTestId('signin-sso')).toBeTruthy();
    expect(fetch).toHaveBeenCalledWith('/api/session', expect.anything());
    expect(screen.queryByTestId('signin-username')).toBeNull();
  });

  it('shows the password form to an older BFF that does not say', async () => {
    answer(200, { signedIn: false, mode: 'production', message: 'Sign in to continue.' });
    render(<SignInPage />);
    expect(await screen.findByTestId('signin-username')).toBeTruthy();
    expect(screen.queryByTestId('signin-sso')).toBeNull();
  });
});

describe('signing out', () => {
  const session = { user: { name: 'victor', role: 'viewer' as const }, csrfToken: 't', mode: 'production' as const };
  const signedOut = {
    signedIn: false,
    mode: 'production',
    message: 'Sign in to continue.',
    methods: ['sso'],
    sso: { loginUrl: '/api/session/sso/login' },
  };

  function server(logout: () => Response) {
    const fetch = vi.fn(async (url: string) =>
      url === '/api/session/logout'
        ? logout()
        : new Response(JSON.stringify(signedOut), { headers: { 'content-type': 'application/json' } }),
    );
    vi.stubGlobal('fetch', fetch);
    return fetch;
  }

  it('goes on to the identity provider after a single sign-on session', async () => {
    setSessionState({ state: 'signed-in', session });
    const assign = vi.spyOn(navigation, 'assign').mockImplementation(() => undefined);
    const fetch = server(
      () =>
        new Response(JSON.stringify({ endSessionUrl: 'http://idp.example/session/end?client_id=c' }), {
          headers: { 'content-type': 'application/json' },
        }),
    );
    await logout();
    expect(fetch).toHaveBeenCalledWith(
      '/api/session/logout',
      expect.objectContaining({ method: 'POST', headers: expect.objectContaining({ 'x-csrf-token': 't' }) }),
    );
    expect(assign).toHaveBeenCalledWith('http://idp.example/session/end?client_id=c');
    // The console stays out of the way while the browser leaves.
    expect(getSessionState()).toEqual({ state: 'loading', label: 'Signing out…' });
  });

  it('stays on the console after a password session (204), on the sign-in page with the ways to sign in', async () => {
    setSessionState({ state: 'signed-in', session });
    const assign = vi.spyOn(navigation, 'assign').mockImplementation(() => undefined);
    server(() => new Response(null, { status: 204 }));
    await logout();
    expect(assign).not.toHaveBeenCalled();
    expect(getSessionState()).toMatchObject({ state: 'signed-out', methods: ['sso'] });
  });
});

import type { SignedOut } from '@mfc/contracts';
import { useEffect, useState } from 'react';
import { loadSignInMethods, login } from '../api/client';
import { InlineError } from '../components/States';
import { useLocation } from '../router';

type Methods = Pick<SignedOut, 'methods' | 'sso'>;

/**
 * Production mode: users sign in with single sign-on (a link to the BFF, which sends the browser to the
 * identity provider and back here) and/or the users file's credentials, whichever the BFF offers.
 */
export function SignInPage({
  message,
  methods: known,
  sso: knownSso,
}: {
  message?: string | undefined;
  methods?: SignedOut['methods'];
  sso?: SignedOut['sso'];
}) {
  // Reached without the BFF's SignedOut answer (signed out, a session that ended): ask it what it offers.
  const [asked, setAsked] = useState<Methods | 'asking' | 'unknown'>('asking');
  useEffect(() => {
    if (known) return;
    let live = true;
    void loadSignInMethods().then((m) => live && setAsked(m?.methods ? m : 'unknown'));
    return () => {
      live = false;
    };
  }, [known]);
  const { pathname, search } = useLocation();
  const offered: Methods | 'asking' | 'unknown' = known
    ? { methods: known, ...(knownSso ? { sso: knownSso } : {}) }
    : asked;

  if (offered === 'asking')
    return (
      <main id="main" className="signin">
        <div className="card signin__card" aria-busy="true">
          <h1 id="signin-title">Sign in to Managed Flink Console</h1>
          {message ? <p className="muted">{message}</p> : null}
        </div>
      </main>
    );
  // An older BFF that does not say: the password form, as before.
  const methods = offered === 'unknown' ? ['password'] : (offered.methods ?? ['password']);
  const sso = offered === 'unknown' ? undefined : offered.sso;
  const showSso = methods.includes('sso') && sso !== undefined;
  const showPassword = methods.includes('password');
  const query = search.toString();
  const returnTo = `${pathname}${query ? `?${query}` : ''}`;
  const ssoHref = sso
    ? `${sso.loginUrl}${sso.loginUrl.includes('?') ? '&' : '?'}returnTo=${encodeURIComponent(returnTo)}`
    : undefined;

  return (
    <main id="main" className="signin">
      <div className="card signin__card" aria-labelledby="signin-title" role="group">
        <h1 id="signin-title">Sign in to Managed Flink Console</h1>
        {message ? <p className="muted">{message}</p> : null}
        {showSso ? (
          <a className="button button--primary" href={ssoHref} data-testid="signin-sso">
            {sso.label ?? 'Sign in with single sign-on'}
          </a>
        ) : null}
        {showSso && showPassword ? (
          <p className="signin__or muted" aria-hidden="true">
            or with a password
          </p>
        ) : null}
        {showPassword ? <PasswordForm primary={!showSso} /> : null}
        {!showSso && !showPassword ? (
          <p className="muted">This console offers no way to sign in; ask its administrator.</p>
        ) : null}
      </div>
    </main>
  );
}

function PasswordForm({ primary }: { primary: boolean }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="signin__form"
      aria-label="Sign in with a password"
      onSubmit={(e) => {
        e.preventDefault();
        setBusy(true);
        setError(undefined);
        login(username, password)
          .catch(setError)
          .finally(() => setBusy(false));
      }}
    >
      <div className="field">
        <label htmlFor="signin-user">Username</label>
        <input
          id="signin-user"
          className="input"
          autoComplete="username"
          data-testid="signin-username"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          required
        />
      </div>
      <div className="field">
        <label htmlFor="signin-password">Password</label>
        <input
          id="signin-password"
          className="input"
          type="password"
          autoComplete="current-password"
          data-testid="signin-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
        />
      </div>
      <InlineError error={error} />
      <button
        type="submit"
        className={primary ? 'button button--primary' : 'button'}
        disabled={busy}
        data-testid="signin-submit"
      >
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}

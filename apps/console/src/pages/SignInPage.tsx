import { useState } from 'react';
import { login } from '../api/client';
import { InlineError } from '../components/States';

/** Production mode: users sign in with the users file's credentials. */
export function SignInPage({ message }: { message?: string | undefined }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  return (
    <main id="main" className="signin">
      <form
        className="card signin__card"
        aria-labelledby="signin-title"
        onSubmit={(e) => {
          e.preventDefault();
          setBusy(true);
          setError(undefined);
          login(username, password)
            .catch(setError)
            .finally(() => setBusy(false));
        }}
      >
        <h1 id="signin-title">Sign in to Managed Flink Console</h1>
        {message ? <p className="muted">{message}</p> : null}
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
        <button type="submit" className="button button--primary" disabled={busy} data-testid="signin-submit">
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}

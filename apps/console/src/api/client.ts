/**
 * fetch for the BFF: JSON in and out, the CSRF header on mutations, ErrorBody turned into ApiError, and a
 * lost session recovered (demo mode signs in again; production mode shows the sign-in form).
 */
import type { ErrorBody, LogoutResponse, Role, SessionInfo, SessionStatus, SignedOut } from '@mfc/contracts';
import { storeAnswered, storeUnavailable } from './availability';
import { currentSession, getSessionState, setSessionState } from './session';

export class ApiError extends Error {
  constructor(
    /** The AWS error name or the BFF's (e.g. ResourceInUseException, ConfirmationRequired). */
    readonly errorName: string,
    message: string,
    readonly status: number,
    readonly issues?: { path: string; message: string }[],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

function isErrorBody(v: unknown): v is ErrorBody {
  const e = (v as { error?: { name?: unknown; message?: unknown } } | null)?.error;
  return typeof e === 'object' && e !== null && typeof e.name === 'string' && typeof e.message === 'string';
}

async function toApiError(res: Response): Promise<ApiError> {
  const body: unknown = await res.json().catch(() => undefined);
  if (isErrorBody(body)) return new ApiError(body.error.name, body.error.message, res.status, body.error.issues);
  return new ApiError(
    `HTTP ${res.status}`,
    res.statusText || 'The console backend did not answer as expected.',
    res.status,
  );
}

let sessionRequest: Promise<SessionInfo | undefined> | undefined;

/** GET /api/session (demo mode signs the browser in). Concurrent callers share one request. */
export function loadSession(): Promise<SessionInfo | undefined> {
  sessionRequest ??= (async () => {
    try {
      const res = await fetch('/api/session', { headers: { accept: 'application/json' }, credentials: 'same-origin' });
      // Nobody signed in is a 200 SignedOut body; a 401 (a session that just ended) means the same.
      if (res.status === 401) {
        const err = await toApiError(res);
        setSessionState({ state: 'signed-out', message: err.message });
        return undefined;
      }
      if (!res.ok) throw await toApiError(res);
      const status = (await res.json()) as SessionStatus;
      if ('signedIn' in status) {
        setSessionState({
          state: 'signed-out',
          message: status.message,
          ...(status.methods ? { methods: status.methods } : {}),
          ...(status.sso ? { sso: status.sso } : {}),
        });
        return undefined;
      }
      const session = status;
      setSessionState({ state: 'signed-in', session });
      return session;
    } catch (e) {
      setSessionState({ state: 'error', message: e instanceof Error ? e.message : String(e) });
      return undefined;
    } finally {
      sessionRequest = undefined;
    }
  })();
  return sessionRequest;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
}

/** One call to /api; retried once after a lost session or a stale CSRF token is recovered. */
export async function api<T>(path: string, options: RequestOptions = {}, retried = false): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') {
    const token = currentSession()?.csrfToken;
    if (token) headers['x-csrf-token'] = token;
  }
  const res = await fetch(`/api${path}`, {
    method,
    headers,
    credentials: 'same-origin',
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (res.ok) {
    storeAnswered();
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }
  const error = await toApiError(res);
  if (res.status === 503 && error.errorName === 'StoreUnavailable') storeUnavailable(error.message);
  const recoverable = res.status === 401 || (res.status === 403 && error.errorName === 'CsrfTokenInvalid');
  if (recoverable && !retried) {
    const wasDemo = currentSession()?.mode !== 'production';
    if (res.status === 401 && !wasDemo) {
      setSessionState({ state: 'signed-out', message: error.message });
      throw error;
    }
    const session = await loadSession();
    if (session) return api<T>(path, options, true);
  }
  if (res.status === 401 && getSessionState().state === 'signed-in')
    setSessionState({ state: 'signed-out', message: error.message });
  throw error;
}

export async function login(username: string, password: string): Promise<void> {
  const res = await fetch('/api/session/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    credentials: 'same-origin',
    body: JSON.stringify({ username, password }),
  });
  if (!res.ok) throw await toApiError(res);
  setSessionState({ state: 'signed-in', session: (await res.json()) as SessionInfo });
}

export async function logout(): Promise<void> {
  const session = currentSession();
  if (session?.mode !== 'production') {
    await api<void>('/session/logout', { method: 'POST' }).catch(() => undefined);
    return void (await loadSession());
  }
  // The console's screens go first, so no query or event stream of theirs meets the ended session.
  setSessionState({ state: 'loading', label: 'Signing out…' });
  const answer = await fetch('/api/session/logout', {
    method: 'POST',
    headers: { accept: 'application/json', 'x-csrf-token': session.csrfToken },
    credentials: 'same-origin',
  })
    .then(async (res) => (res.status === 200 ? ((await res.json()) as LogoutResponse) : undefined))
    .catch(() => undefined);
  // After single sign-on, the provider's session ends too (RP-initiated logout); it sends the browser back.
  if (answer?.endSessionUrl) return navigation.assign(answer.endSessionUrl);
  // The sign-in page, with the ways to sign in.
  await loadSession();
}

/** A full navigation away from the console (to the identity provider); replaced in tests. */
export const navigation = { assign: (url: string) => window.location.assign(url) };

/**
 * The ways to sign in (GET /api/session while signed out), for a sign-in page reached without a SignedOut
 * answer (after signing out, or a session that ended). Undefined when the BFF does not say.
 */
export async function loadSignInMethods(): Promise<Pick<SignedOut, 'methods' | 'sso'> | undefined> {
  try {
    const res = await fetch('/api/session', { headers: { accept: 'application/json' }, credentials: 'same-origin' });
    if (!res.ok) return undefined;
    const status = (await res.json()) as SessionStatus;
    if (!('signedIn' in status)) return undefined;
    return { ...(status.methods ? { methods: status.methods } : {}), ...(status.sso ? { sso: status.sso } : {}) };
  } catch {
    return undefined;
  }
}

export async function switchRole(role: Role): Promise<SessionInfo> {
  const session = await api<SessionInfo>('/session/role', { method: 'POST', body: { role } });
  setSessionState({ state: 'signed-in', session });
  return session;
}

/** The message an operator reads for any failure: the BFF's text, with the error name beside it. */
export function describeError(e: unknown): { name: string; message: string } {
  if (e instanceof ApiError) return { name: e.errorName, message: e.message };
  if (e instanceof Error) return { name: e.name, message: e.message };
  return { name: 'Error', message: String(e) };
}

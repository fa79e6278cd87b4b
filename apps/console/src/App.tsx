import { useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { loadSession } from './api/client';
import { useHealth } from './api/queries';
import { LiveEventsProvider, useStreamStatus } from './api/watch';
import { ErrorBoundary } from './components/ErrorBoundary';
import { ErrorState, Loading } from './components/States';
import { ThemeToggle } from './components/ThemeToggle';
import { Toaster } from './components/Toaster';
import { useStoreUnavailable } from './api/availability';
import { UserMenu } from './components/UserMenu';
import { useSessionState } from './hooks/useSession';
import { SignInPage } from './pages/SignInPage';
import { Link, useLocation } from './router';
import { preloadable } from './preloadable';
import { matchRoute, type Route } from './routes';

// Every screen is its own chunk: the first load carries only the shell, the client and the event stream.
// The first screen's chunk is fetched at once, alongside the session (see main.tsx), not after it.
export const FleetPage = preloadable(() => import('./pages/FleetPage'));
export const ApplicationPage = preloadable(() => import('./pages/application/ApplicationPage'));
const KeysPage = lazy(() => import('./pages/KeysPage'));
const AuditPage = lazy(() => import('./pages/AuditPage'));
const NotFoundPage = lazy(() => import('./pages/NotFoundPage'));
const DemoPanel = lazy(() => import('./demo/DemoPanel'));

export function App() {
  const session = useSessionState();
  useEffect(() => {
    void loadSession();
  }, []);
  if (session.state === 'loading')
    return (
      <main id="main" className="boot">
        <Loading label={session.label ?? 'Signing in…'} />
      </main>
    );
  if (session.state === 'signed-out')
    return <SignInPage message={session.message} methods={session.methods} sso={session.sso} />;
  if (session.state === 'error')
    return (
      <main id="main" className="boot">
        <ErrorState
          title="The console backend is not reachable"
          error={new Error(session.message)}
          onRetry={() => void loadSession()}
        />
      </main>
    );
  return (
    <LiveEventsProvider>
      <Shell />
    </LiveEventsProvider>
  );
}

function pageKey(route: Route): string {
  return route.page === 'application' ? `application:${route.name}` : route.page;
}

function Shell() {
  const { pathname } = useLocation();
  const route = matchRoute(pathname);
  // Health (the emulator's demo controls) is not what the first screen shows: asked once the first
  // screen's data is in (or after 5 s), so that it does not compete with that data for the backend.
  const qc = useQueryClient();
  const [healthDue, setHealthDue] = useState(false);
  useEffect(() => {
    let done = false;
    const due = () => {
      if (done) return;
      done = true;
      setHealthDue(true);
    };
    const timer = setTimeout(due, 5000);
    // Settled: some query has answered and none is fetching.
    const settled = () =>
      qc.isFetching() === 0 &&
      qc
        .getQueryCache()
        .getAll()
        .some((q) => q.state.status !== 'pending') &&
      due();
    const unsubscribe = qc.getQueryCache().subscribe(settled);
    return () => {
      clearTimeout(timer);
      unsubscribe();
    };
  }, [qc]);
  const health = useHealth(healthDue);
  const emulator = health.data?.emulator;
  const [demoOpen, setDemoOpen] = useState(false);
  const mainRef = useRef<HTMLElement>(null);
  const key = pageKey(route);
  const first = useRef(true);

  // A new page (not a new tab of the same application) moves focus to the content, as a page load would.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    mainRef.current?.focus({ preventScroll: true });
  }, [key]);

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <Link to="/" className="brand" aria-label="Managed Flink Console: fleet">
          <svg viewBox="0 0 32 32" width="26" height="26" aria-hidden="true">
            <rect width="32" height="32" rx="7" className="brand__mark" />
            <path d="M7 22c4-9 8-12 18-12" stroke="#fff" strokeWidth="3" fill="none" strokeLinecap="round" />
            <circle cx="9" cy="22" r="2.6" fill="#ffb547" />
            <circle cx="24" cy="10" r="2.6" fill="#ffb547" />
          </svg>
          <span className="brand__text">Managed Flink Console</span>
        </Link>
        <nav aria-label="Main" className="main-nav">
          <NavLink to="/" current={route.page === 'fleet' || route.page === 'application'}>
            Fleet
          </NavLink>
          <NavLink to="/keys" current={route.page === 'keys'}>
            Keys
          </NavLink>
          <NavLink to="/audit" current={route.page === 'audit'}>
            Audit
          </NavLink>
        </nav>
        <div className="app-header__end">
          <StreamIndicator />
          {emulator ? (
            <button
              type="button"
              className={`header-button${demoOpen ? ' header-button--on' : ''}`}
              aria-expanded={demoOpen}
              aria-controls="demo-panel"
              onClick={() => setDemoOpen((o) => !o)}
              data-testid="demo-toggle"
            >
              <svg viewBox="0 0 20 20" width="16" height="16" aria-hidden="true">
                <path
                  d="M7 3h6M8 3v5L4 16h12L12 8V3"
                  stroke="currentColor"
                  strokeWidth="1.6"
                  fill="none"
                  strokeLinejoin="round"
                />
              </svg>
              <span className="header-button__text">Demo</span>
            </button>
          ) : null}
          <UserMenu demo={emulator !== undefined} />
          <ThemeToggle />
        </div>
      </header>
      {emulator && demoOpen ? (
        <Suspense fallback={null}>
          <DemoPanel
            speed={emulator.speed}
            timeProfile={emulator.timeProfile}
            route={route}
            onClose={() => setDemoOpen(false)}
          />
        </Suspense>
      ) : null}
      <StoreBanner />
      <main id="main" ref={mainRef} tabIndex={-1} className="main">
        <ErrorBoundary resetKey={key}>
          <Suspense fallback={<Loading />}>
            <RouteView route={route} />
          </Suspense>
        </ErrorBoundary>
      </main>
      <Toaster />
    </div>
  );
}

/** The console's database is unreachable: what is on screen may be stale, and changes are refused. */
function StoreBanner() {
  const message = useStoreUnavailable();
  if (!message) return null;
  return (
    <div className="callout callout--danger store-banner" role="alert" data-testid="store-unavailable">
      <strong className="callout__title">The console’s database cannot be reached</strong>
      <p>
        What you see may be out of date, and actions are refused until it answers again (nothing is changed meanwhile).
        The console keeps trying.
      </p>
    </div>
  );
}

function RouteView({ route }: { route: Route }) {
  switch (route.page) {
    case 'fleet':
      return <FleetPage />;
    case 'application':
      return <ApplicationPage name={route.name} tab={route.tab} />;
    case 'keys':
      return <KeysPage />;
    case 'audit':
      return <AuditPage />;
    case 'not-found':
      return <NotFoundPage path={route.path} />;
  }
}

function NavLink({ to, current, children }: { to: string; current: boolean; children: string }) {
  return (
    <Link to={to} className="main-nav__link" aria-current={current ? 'page' : undefined}>
      {children}
    </Link>
  );
}

const STREAM_TEXT = {
  live: 'Live',
  connecting: 'Connecting',
  reconnecting: 'Reconnecting',
  closed: 'Offline',
} as const;

/** Whether the event stream is up: when it is not, what is on screen may be stale. */
function StreamIndicator() {
  // No refetch on reconnecting: the stream resumes from the last event id, and the BFF replays what was
  // missed or sends `reset` (which invalidates everything) when it no longer has it.
  const status = useStreamStatus();
  return (
    <span
      className={`stream stream--${status}`}
      data-testid="stream-status"
      data-status={status}
      title={
        status === 'live' ? 'Receiving live updates from the service' : 'Live updates paused: what you see may be stale'
      }
    >
      <span className="stream__dot" aria-hidden="true" />
      <span className="stream__text">{STREAM_TEXT[status]}</span>
    </span>
  );
}

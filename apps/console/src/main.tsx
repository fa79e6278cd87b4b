import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App, ApplicationPage, FleetPage } from './App';
import { ApiError, loadSession } from './api/client';
import { fleetQuery } from './api/queries';
import { applyTheme, storedTheme } from './components/ThemeToggle';
import './styles/tokens.css';
import './styles/base.css';
import './styles/components.css';
import { matchRoute } from './routes';

// Before the first render, so a dark-theme user never sees a light flash.
applyTheme(storedTheme());

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // The SSE stream keeps the cache fresh: data stays fresh until an event says otherwise.
      staleTime: 5 * 60_000,
      gcTime: 10 * 60_000,
      refetchOnWindowFocus: false,
      // A 4xx is an answer (not found, not allowed, bad input), not a glitch to retry.
      retry: (count, error) => count < 2 && !(error instanceof ApiError && error.status < 500),
    },
  },
});

// The first screen loads in parallel: its chunk and the session at once, its data as soon as the session
// is there (the request needs the session's cookie), rather than one after the other from React effects.
const first = matchRoute(window.location.pathname).page;
if (first === 'fleet') void FleetPage.preload();
if (first === 'application') void ApplicationPage.preload();
void loadSession().then((session) => {
  if (session && first === 'fleet') void queryClient.prefetchQuery(fleetQuery());
  // The fleet and an application are one click apart: the other screen's chunk comes when idle.
  const next = first === 'application' ? FleetPage : ApplicationPage;
  if (typeof requestIdleCallback === 'function') requestIdleCallback(() => void next.preload(), { timeout: 5000 });
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);

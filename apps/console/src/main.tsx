import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { ApiError } from './api/client';
import { applyTheme, storedTheme } from './components/ThemeToggle';
import './styles/tokens.css';
import './styles/base.css';
import './styles/components.css';

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

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);

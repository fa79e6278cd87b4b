import type { ReactNode } from 'react';
import { describeError } from '../api/client';

/** Loading, error and empty states, the same on every screen. */
export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="state state--loading" role="status" aria-live="polite" data-testid="loading">
      <span className="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}

export function ErrorState({ error, onRetry, title }: { error: unknown; onRetry?: () => void; title?: string }) {
  const { name, message } = describeError(error);
  return (
    <div className="state state--error" role="alert" data-testid="error-state">
      <div>
        <strong>{title ?? 'Could not load this'}</strong>
        <p className="state__message">
          {message} <code className="state__name">{name}</code>
        </p>
      </div>
      {onRetry ? (
        <button type="button" className="button" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state--empty" data-testid="empty-state">
      <strong>{title}</strong>
      {children ? <div className="state__message">{children}</div> : null}
    </div>
  );
}

/** An inline error under a form or in a dialog. */
export function InlineError({ error }: { error: unknown }) {
  if (!error) return null;
  const { name, message } = describeError(error);
  return (
    <p className="inline-error" role="alert" data-testid="inline-error">
      {message} <code>{name}</code>
    </p>
  );
}

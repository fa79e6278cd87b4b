import { useSyncExternalStore } from 'react';

export interface Toast {
  id: number;
  tone: 'info' | 'success' | 'error';
  text: string;
}

let toasts: Toast[] = [];
let nextId = 1;
const listeners = new Set<() => void>();
const emit = () => {
  for (const l of listeners) l();
};

/** Announces the outcome of an action (polite live region); errors stay until dismissed. */
export function toast(text: string, tone: Toast['tone'] = 'info'): void {
  const id = nextId++;
  toasts = [...toasts, { id, tone, text }].slice(-4);
  emit();
  if (tone !== 'error') setTimeout(() => dismiss(id), 6_000);
}

export function dismiss(id: number): void {
  toasts = toasts.filter((t) => t.id !== id);
  emit();
}

const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};
const get = () => toasts;

export function Toaster() {
  const list = useSyncExternalStore(subscribe, get, get);
  return (
    <div className="toaster" role="status" aria-live="polite" data-testid="toaster">
      {list.map((t) => (
        <div key={t.id} className={`toast toast--${t.tone}`} data-testid="toast">
          <span>{t.text}</span>
          <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => dismiss(t.id)}>
            <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
              <path d="M4 4l8 8M12 4l-8 8" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
            </svg>
          </button>
        </div>
      ))}
    </div>
  );
}

/**
 * A small history router: the console has a handful of fixed routes (src/routes.ts), so a library's
 * nested routing and loaders would only add weight to the initial bundle.
 */
import { useCallback, useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';

const listeners = new Set<() => void>();
const notify = () => {
  for (const l of listeners) l();
};

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (listeners.size === 1) window.addEventListener('popstate', notify);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) window.removeEventListener('popstate', notify);
  };
}

const snapshot = () => window.location.pathname + window.location.search;

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === snapshot()) return;
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  notify();
  if (!options.replace) window.scrollTo(0, 0);
}

export function useLocation(): { pathname: string; search: URLSearchParams } {
  const href = useSyncExternalStore(subscribe, snapshot, () => '/');
  const q = href.indexOf('?');
  return {
    pathname: q === -1 ? href : href.slice(0, q),
    search: new URLSearchParams(q === -1 ? '' : href.slice(q)),
  };
}

/**
 * One query-string parameter as state: filters, sort orders, ranges and selections live in the URL so a
 * view can be bookmarked and shared. Updates replace the history entry (typing must not flood "back").
 */
export function useSearchParam(name: string, fallback = ''): [string, (value: string) => void] {
  const { search } = useLocation();
  const value = search.get(name) ?? fallback;
  const set = useCallback(
    (next: string) => {
      const params = new URLSearchParams(window.location.search);
      if (next === '' || next === fallback) params.delete(name);
      else params.set(name, next);
      const q = params.toString();
      navigate(`${window.location.pathname}${q ? `?${q}` : ''}`, { replace: true });
    },
    [name, fallback],
  );
  return [value, set];
}

type LinkProps = AnchorHTMLAttributes<HTMLAnchorElement> & { to: string };

/** An anchor that navigates in-app on a plain click and behaves as a link otherwise (new tab, copy). */
export function Link({ to, onClick, ...rest }: LinkProps) {
  const handle = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return <a href={to} onClick={handle} {...rest} />;
}

import { createElement, lazy, type ComponentType } from 'react';

/**
 * React.lazy that can be loaded ahead (`preload()`) and then renders without suspending: React 19
 * holds a Suspense boundary's fallback for at least 300 ms once shown, so a chunk that is already there
 * must not suspend at all (opening the fleet, or the job graph, would otherwise wait ~300 ms for nothing).
 */
export function preloadable<P extends object>(
  load: () => Promise<{ default: ComponentType<P> }>,
): ComponentType<P> & { preload: () => Promise<unknown> } {
  let loaded: ComponentType<P> | undefined;
  let pending: Promise<{ default: ComponentType<P> }> | undefined;
  const preload = () =>
    (pending ??= load().then(
      (m) => {
        loaded = m.default;
        return m;
      },
      (e: unknown) => {
        pending = undefined;
        throw e;
      },
    ));
  const Lazy = lazy(preload);
  const Preloadable = (props: P) => createElement((loaded ?? Lazy) as ComponentType<P>, props);
  return Object.assign(Preloadable, { preload });
}

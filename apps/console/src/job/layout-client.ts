/**
 * Job graph layouts, remembered per graph shape and computed in a worker (layout.worker.ts), so that
 * opening a big graph never blocks the main thread on dagre. The application page asks for the layout
 * ahead of time (prefetch.ts); JobGraph reads it with useJobLayout and shows a placeholder meanwhile.
 * Without Worker (tests), dagre runs here.
 */
import { useEffect, useReducer } from 'react';
import { shapeKey, type GraphLayout, type LayoutInputEdge, type LayoutInputVertex } from './geometry';
import type { LayoutRequest } from './layout.worker';

const CACHE_SIZE = 8;
const cache = new Map<string, GraphLayout>();
const pending = new Map<string, Promise<GraphLayout>>();
const waiting = new Map<string, { request: LayoutRequest; resolve: (layout: GraphLayout) => void }>();
let worker: Worker | undefined;
/** The worker could not start (or failed): lay out here from then on. */
let workerFailed = typeof Worker === 'undefined';

function layoutHere(request: LayoutRequest): Promise<GraphLayout> {
  return import('./layout').then((m) => m.layoutJobGraph(request.vertices, request.edges));
}

function remember(key: string, layout: GraphLayout): GraphLayout {
  cache.delete(key);
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(key, layout);
  return layout;
}

/** The remembered layout of this shape, if any (most recently used last). */
export function peekLayout(key: string): GraphLayout | undefined {
  const layout = cache.get(key);
  if (layout) remember(key, layout);
  return layout;
}

/** Starts the worker (its script and dagre load in the background) before there is a graph to lay out. */
export function warmLayoutWorker(): void {
  if (!workerFailed) startWorker();
}

function startWorker(): Worker {
  if (!worker) {
    worker = new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module', name: 'job-layout' });
    worker.onmessage = (e: MessageEvent<{ key: string; layout: GraphLayout }>) => {
      waiting.get(e.data.key)?.resolve(e.data.layout);
      waiting.delete(e.data.key);
    };
    worker.onerror = () => {
      workerFailed = true;
      worker?.terminate();
      worker = undefined;
      for (const w of waiting.values()) void layoutHere(w.request).then(w.resolve);
      waiting.clear();
    };
  }
  return worker;
}

function viaWorker(request: LayoutRequest): Promise<GraphLayout> {
  if (workerFailed) return layoutHere(request);
  return new Promise<GraphLayout>((resolve) => {
    const w = startWorker();
    waiting.set(request.key, { request, resolve });
    w.postMessage(request);
  });
}

/** The layout of a graph, computed once per shape (concurrent asks share one computation). */
export function requestLayout(
  vertices: readonly LayoutInputVertex[],
  edges: readonly LayoutInputEdge[],
  key = shapeKey(vertices, edges),
): Promise<GraphLayout> {
  const known = peekLayout(key);
  if (known) return Promise.resolve(known);
  let p = pending.get(key);
  if (p) return p;
  const request: LayoutRequest = {
    key,
    // Only what the layout reads: the vertices' subtask states stay on this side.
    vertices: vertices.map((v) => ({ id: v.id, name: v.name, parallelism: v.parallelism })),
    edges: edges.map((e) => ({ source: e.source, target: e.target, shipStrategy: e.shipStrategy })),
  };
  p = viaWorker(request).then(
    (layout) => {
      pending.delete(key);
      return remember(key, layout);
    },
    (e: unknown) => {
      pending.delete(key);
      throw e;
    },
  );
  pending.set(key, p);
  return p;
}

/** The graph's layout, or undefined while it is being computed (the component renders again when it is). */
export function useJobLayout(
  vertices: readonly LayoutInputVertex[],
  edges: readonly LayoutInputEdge[],
): GraphLayout | undefined {
  const key = shapeKey(vertices, edges);
  const layout = peekLayout(key);
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    if (layout) return;
    let live = true;
    void requestLayout(vertices, edges, key).then(() => live && rerender());
    return () => {
      live = false;
    };
    // The shape decides: new vertex objects with the same shape (every subtask event) change nothing.
  }, [key, layout]);
  return layout;
}

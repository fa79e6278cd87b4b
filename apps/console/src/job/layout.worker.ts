/// <reference lib="webworker" />
/** The job graph's layout off the main thread: dagre takes tens of milliseconds for 64 vertices. */
import { layoutJobGraph, type LayoutInputEdge, type LayoutInputVertex } from './layout';

export interface LayoutRequest {
  key: string;
  vertices: LayoutInputVertex[];
  edges: LayoutInputEdge[];
}

declare const self: DedicatedWorkerGlobalScope;

self.onmessage = (e: MessageEvent<LayoutRequest>) => {
  const { key, vertices, edges } = e.data;
  self.postMessage({ key, layout: layoutJobGraph(vertices, edges) });
};

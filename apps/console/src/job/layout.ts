/**
 * The job graph's layout, left to right, by dagre. Pure: vertices and edges in, positions out, so it is
 * tested without a browser and memoised on the graph's shape (subtask states changing do not re-layout).
 */
import { graphlib, layout as dagreLayout, type EdgeLabel, type GraphLabel, type NodeLabel } from '@dagrejs/dagre';
import { stripGeometry } from '../components/SubtaskStrip';

export interface LayoutInputVertex {
  id: string;
  name: string;
  parallelism: number;
}

export interface LayoutInputEdge {
  source: string;
  target: string;
  shipStrategy: string;
}

export interface Point {
  x: number;
  y: number;
}

export interface PositionedVertex {
  id: string;
  /** Top-left corner. */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PositionedEdge {
  source: string;
  target: string;
  label: string;
  points: Point[];
  labelX: number;
  labelY: number;
}

export interface GraphLayout {
  width: number;
  height: number;
  vertices: PositionedVertex[];
  edges: PositionedEdge[];
}

export const NODE_WIDTH = 248;
/** Width of the subtask strip inside a node (node width less its padding). */
export const STRIP_WIDTH = NODE_WIDTH - 24;
const LABEL_HEIGHT = 18;

/** Node height: title (up to two lines), the metrics line, the strip, padding. */
export function nodeHeight(v: LayoutInputVertex): number {
  const titleLines = v.name.length > 30 ? 2 : 1;
  return 14 + titleLines * 18 + 24 + stripGeometry(v.parallelism, STRIP_WIDTH).height + 14;
}

export function labelWidth(label: string): number {
  return Math.ceil(label.length * 7 + 14);
}

/** A stable key of the graph's shape: the layout is recomputed only when it changes. */
export function shapeKey(vertices: readonly LayoutInputVertex[], edges: readonly LayoutInputEdge[]): string {
  return JSON.stringify([
    vertices.map((v) => [v.id, v.name, v.parallelism]),
    edges.map((e) => [e.source, e.target, e.shipStrategy]),
  ]);
}

const cache = new Map<string, GraphLayout>();
const CACHE_SIZE = 8;

/** layoutJobGraph, remembered per shape: switching tabs and back does not run dagre again. */
export function cachedLayout(vertices: readonly LayoutInputVertex[], edges: readonly LayoutInputEdge[]): GraphLayout {
  const key = shapeKey(vertices, edges);
  let layout = cache.get(key);
  if (layout) {
    cache.delete(key);
  } else {
    layout = layoutJobGraph(vertices, edges);
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  }
  cache.set(key, layout);
  return layout;
}

export function layoutJobGraph(vertices: readonly LayoutInputVertex[], edges: readonly LayoutInputEdge[]): GraphLayout {
  const g = new graphlib.Graph<GraphLabel, NodeLabel, EdgeLabel>({ multigraph: true });
  g.setGraph({ rankdir: 'LR', nodesep: 28, ranksep: 64, edgesep: 16, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));
  const ids = new Set(vertices.map((v) => v.id));
  for (const v of vertices) g.setNode(v.id, { width: NODE_WIDTH, height: nodeHeight(v) });
  edges.forEach((e, i) => {
    if (!ids.has(e.source) || !ids.has(e.target)) return;
    g.setEdge(
      e.source,
      e.target,
      { label: e.shipStrategy, width: labelWidth(e.shipStrategy), height: LABEL_HEIGHT, labelpos: 'c', minlen: 1 },
      `e${i}`,
    );
  });
  dagreLayout(g);
  const graph = g.graph();
  const out: GraphLayout = {
    width: Math.ceil(graph.width ?? 0),
    height: Math.ceil(graph.height ?? 0),
    vertices: [],
    edges: [],
  };
  for (const v of vertices) {
    const n = g.node(v.id);
    out.vertices.push({ id: v.id, x: n.x! - n.width / 2, y: n.y! - n.height / 2, width: n.width, height: n.height });
  }
  for (const e of g.edges()) {
    const label = g.edge(e);
    const points = (label.points ?? []).map((p) => ({ x: p.x, y: p.y }));
    const mid = points[Math.floor(points.length / 2)] ?? { x: 0, y: 0 };
    out.edges.push({
      source: e.v,
      target: e.w,
      label: String(label.label ?? ''),
      points,
      labelX: label.x ?? mid.x,
      labelY: label.y ?? mid.y,
    });
  }
  return out;
}

/** A smooth path through dagre's points (quadratic segments through the midpoints). */
export function edgePath(points: readonly Point[]): string {
  if (points.length === 0) return '';
  const f = (n: number) => Math.round(n * 10) / 10;
  const [first, ...rest] = points;
  if (rest.length === 0) return `M${f(first!.x)},${f(first!.y)}`;
  let d = `M${f(first!.x)},${f(first!.y)}`;
  for (let i = 0; i < rest.length - 1; i++) {
    const p = rest[i]!;
    const next = rest[i + 1]!;
    d += ` Q${f(p.x)},${f(p.y)} ${f((p.x + next.x) / 2)},${f((p.y + next.y) / 2)}`;
  }
  const last = rest[rest.length - 1]!;
  return `${d} L${f(last.x)},${f(last.y)}`;
}

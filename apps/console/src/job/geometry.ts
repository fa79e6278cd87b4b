/**
 * The job graph's geometry without the layout engine: node sizes, the shape key the layout is remembered
 * by, edge paths. Kept apart from dagre (layout.ts) so that the job tab's chunk does not carry it: the
 * layout runs in a worker (layout-client.ts).
 */
import { stripGeometry } from './strip-geometry';

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
export const LABEL_HEIGHT = 18;

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

/**
 * The job graph's layout, left to right, by dagre. Pure: vertices and edges in, positions out, so it is
 * tested without a browser; it runs in a worker (layout.worker.ts) and is remembered per graph shape by
 * layout-client.ts (subtask states changing do not re-layout).
 */
import { graphlib, layout as dagreLayout, type EdgeLabel, type GraphLabel, type NodeLabel } from '@dagrejs/dagre';
import {
  LABEL_HEIGHT,
  labelWidth,
  NODE_WIDTH,
  nodeHeight,
  type GraphLayout,
  type LayoutInputEdge,
  type LayoutInputVertex,
} from './geometry';

export * from './geometry';

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

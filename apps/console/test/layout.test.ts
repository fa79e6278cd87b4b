import { describe, expect, it } from 'vitest';
import {
  edgePath,
  layoutJobGraph,
  NODE_WIDTH,
  shapeKey,
  type LayoutInputEdge,
  type LayoutInputVertex,
} from '../src/job/layout';

const v = (id: string, parallelism = 2, name = `op ${id}`): LayoutInputVertex => ({ id, name, parallelism });
const e = (source: string, target: string, shipStrategy = 'FORWARD'): LayoutInputEdge => ({
  source,
  target,
  shipStrategy,
});

describe('layoutJobGraph', () => {
  it('lays a pipeline out left to right, sources first', () => {
    const layout = layoutJobGraph(
      [v('sink'), v('source'), v('window')],
      [e('source', 'window', 'HASH'), e('window', 'sink')],
    );
    const x = Object.fromEntries(layout.vertices.map((p) => [p.id, p.x]));
    expect(x.source!).toBeLessThan(x.window!);
    expect(x.window!).toBeLessThan(x.sink!);
    expect(layout.width).toBeGreaterThan(3 * NODE_WIDTH);
  });

  it('labels each edge with its ship strategy and gives it a route', () => {
    const layout = layoutJobGraph([v('a'), v('b'), v('c')], [e('a', 'b', 'HASH'), e('b', 'c', 'REBALANCE')]);
    expect(layout.edges.map((x) => [x.source, x.target, x.label])).toEqual([
      ['a', 'b', 'HASH'],
      ['b', 'c', 'REBALANCE'],
    ]);
    for (const edge of layout.edges) {
      expect(edge.points.length).toBeGreaterThanOrEqual(2);
      // The label sits between the two vertices.
      const a = layout.vertices.find((p) => p.id === edge.source)!;
      const b = layout.vertices.find((p) => p.id === edge.target)!;
      expect(edge.labelX).toBeGreaterThan(a.x + a.width);
      expect(edge.labelX).toBeLessThan(b.x);
    }
  });

  it('keeps vertices apart in a fan-out', () => {
    const layout = layoutJobGraph(
      [v('src'), v('x'), v('y'), v('z'), v('sink')],
      [
        e('src', 'x', 'HASH'),
        e('src', 'y', 'HASH'),
        e('src', 'z', 'HASH'),
        e('x', 'sink'),
        e('y', 'sink'),
        e('z', 'sink'),
      ],
    );
    const mid = layout.vertices.filter((p) => ['x', 'y', 'z'].includes(p.id)).sort((a, b) => a.y - b.y);
    for (let i = 1; i < mid.length; i++) expect(mid[i]!.y).toBeGreaterThanOrEqual(mid[i - 1]!.y + mid[i - 1]!.height);
  });

  it('makes taller nodes for high parallelism (the strip wraps into rows)', () => {
    const layout = layoutJobGraph([v('a', 2), v('b', 256)], [e('a', 'b')]);
    const h = Object.fromEntries(layout.vertices.map((p) => [p.id, p.height]));
    expect(h.b!).toBeGreaterThan(h.a!);
  });

  it('ignores edges to unknown vertices', () => {
    const layout = layoutJobGraph([v('a')], [e('a', 'ghost')]);
    expect(layout.edges).toHaveLength(0);
    expect(layout.vertices).toHaveLength(1);
  });

  it('lays out 64 vertices of parallelism 256 quickly', () => {
    const vertices = Array.from({ length: 64 }, (_, i) => v(`v${i}`, 256, `Operator number ${i} with a long name`));
    const edges = vertices.slice(1).map((x, i) => e(`v${Math.floor(i / 2)}`, x.id, i % 3 === 0 ? 'HASH' : 'FORWARD'));
    const t0 = performance.now();
    const layout = layoutJobGraph(vertices, edges);
    const ms = performance.now() - t0;
    expect(layout.vertices).toHaveLength(64);
    expect(layout.edges).toHaveLength(63);
    expect(ms).toBeLessThan(1500);
  });
});

describe('shapeKey and edgePath', () => {
  it('changes only with the shape', () => {
    const a = shapeKey([v('a'), v('b')], [e('a', 'b')]);
    expect(shapeKey([v('a'), v('b')], [e('a', 'b')])).toBe(a);
    expect(shapeKey([v('a', 3), v('b')], [e('a', 'b')])).not.toBe(a);
    expect(shapeKey([v('a'), v('b')], [e('a', 'b', 'HASH')])).not.toBe(a);
  });

  it('draws a path through the points', () => {
    expect(edgePath([])).toBe('');
    expect(
      edgePath([
        { x: 0, y: 0 },
        { x: 10, y: 0 },
      ]),
    ).toBe('M0,0 L10,0');
    expect(
      edgePath([
        { x: 0, y: 0 },
        { x: 10, y: 10 },
        { x: 20, y: 10 },
      ]),
    ).toBe('M0,0 Q10,10 15,10 L20,10');
  });
});

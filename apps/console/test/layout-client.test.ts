import { describe, expect, it } from 'vitest';
import { shapeKey } from '../src/job/geometry';
import { peekLayout, requestLayout } from '../src/job/layout-client';

const vertices = [
  { id: 'a', name: 'Source', parallelism: 2 },
  { id: 'b', name: 'Sink', parallelism: 2 },
];
const edges = [{ source: 'a', target: 'b', shipStrategy: 'FORWARD' }];

describe('layout client', () => {
  it('lays a graph out once per shape (here without a worker) and remembers it', async () => {
    const key = shapeKey(vertices, edges);
    expect(peekLayout(key)).toBeUndefined();
    const [one, two] = await Promise.all([requestLayout(vertices, edges), requestLayout(vertices, edges)]);
    expect(one).toBe(two);
    expect(one.vertices.map((v) => v.id)).toEqual(['a', 'b']);
    expect(peekLayout(key)).toBe(one);
    // New vertex objects of the same shape (every subtask event) find the same layout.
    expect(
      await requestLayout(
        vertices.map((v) => ({ ...v })),
        edges,
      ),
    ).toBe(one);
  });
});

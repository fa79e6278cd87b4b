import type { JobEdge, JobVertex } from '@mfc/contracts';
import { memo, useCallback, useDeferredValue, useLayoutEffect, useMemo, useRef, type KeyboardEvent } from 'react';
import { SubtaskStrip } from '../components/SubtaskStrip';
import { formatCompact } from '../format/format';
import { describeStates } from './states';
import { edgePath, STRIP_WIDTH, type GraphLayout } from './geometry';
import { useJobLayout } from './layout-client';

interface JobGraphProps {
  vertices: readonly JobVertex[];
  edges: readonly JobEdge[];
  selected?: string | undefined;
  onSelect: (vertexId: string) => void;
}

/**
 * The job's vertices laid out left to right by dagre, edges labelled with their ship strategy. Nodes are
 * HTML (text wraps, focus rings, Enter opens) over one SVG of edges. The layout depends on the graph's
 * shape only and is computed off the main thread (layout-client.ts): subtask-state events re-render the
 * nodes that changed, never the layout.
 */
export function JobGraph(props: JobGraphProps) {
  // The graph's first render (64 vertices with 256-cell strips: about 40 ms of React work) is a deferred,
  // time-sliced render: React yields to the browser every few milliseconds instead of one long task.
  // (The initial value must not be undefined: React treats that as none and renders the graph at once.)
  const layout = useDeferredValue(useJobLayout(props.vertices, props.edges) ?? null, null);
  if (!layout)
    return (
      <div className="graph-scroll graph-scroll--pending" data-testid="job-graph-scroll" aria-busy="true">
        <p className="muted graph__pending">Laying out {props.vertices.length} vertices…</p>
      </div>
    );
  return <LaidOutGraph {...props} layout={layout} />;
}

function LaidOutGraph({ vertices, selected, onSelect, layout }: JobGraphProps & { layout: GraphLayout }) {
  const byId = useMemo(() => new Map(vertices.map((v) => [v.id, v])), [vertices]);
  const scrollRef = useRef<HTMLDivElement>(null);
  // Edges move only with the layout: subtask events do not touch them.
  const edgeLayer = useMemo(
    () => (
      <svg className="graph__edges" width={layout.width} height={layout.height} aria-hidden="true">
        <defs>
          <marker
            id="job-arrow"
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            orient="auto-start-reverse"
          >
            <path d="M0,0 L10,5 L0,10 z" className="graph__arrow" />
          </marker>
        </defs>
        {layout.edges.map((e, i) => (
          <g key={i} data-testid="job-edge" data-source={e.source} data-target={e.target} data-ship-strategy={e.label}>
            <path
              d={edgePath(e.points)}
              className={`graph__edge graph__edge--${e.label}`}
              markerEnd="url(#job-arrow)"
            />
            <rect
              x={e.labelX - (e.label.length * 7 + 14) / 2}
              y={e.labelY - 9}
              width={e.label.length * 7 + 14}
              height={18}
              rx={9}
              className="graph__label-bg"
            />
            <text x={e.labelX} y={e.labelY + 4} textAnchor="middle" className="graph__label">
              {e.label}
            </text>
          </g>
        ))}
      </svg>
    ),
    [layout],
  );
  // One callback for every render: the memoised nodes do not re-render because the parent's closure did.
  const onSelectRef = useRef(onSelect);
  useLayoutEffect(() => {
    onSelectRef.current = onSelect;
  });
  const select = useCallback((id: string) => onSelectRef.current(id), []);
  // A tall graph opens on its first source (dagre centres ranks vertically), not on empty space.
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const first = layout.vertices.reduce<(typeof layout.vertices)[number] | undefined>(
      (best, v) => (!best || v.x < best.x || (v.x === best.x && v.y < best.y) ? v : best),
      undefined,
    );
    el.scrollLeft = 0;
    el.scrollTop = first ? Math.max(0, first.y - 24) : 0;
  }, [layout]);
  return (
    <div className="graph-scroll" ref={scrollRef} data-testid="job-graph-scroll">
      <div
        className="graph"
        style={{ width: layout.width, height: layout.height }}
        data-testid="job-graph"
        aria-label={`Job graph: ${vertices.length} vertices, left to right from sources to sinks`}
        role="group"
      >
        {edgeLayer}
        {layout.vertices.map((p) => {
          const v = byId.get(p.id);
          if (!v) return null;
          return (
            <VertexNode
              key={p.id}
              vertex={v}
              x={p.x}
              y={p.y}
              width={p.width}
              height={p.height}
              selected={selected === p.id}
              onSelect={select}
            />
          );
        })}
      </div>
    </div>
  );
}

const VertexNode = memo(function VertexNode({
  vertex,
  x,
  y,
  width,
  height,
  selected,
  onSelect,
}: {
  vertex: JobVertex;
  x: number;
  y: number;
  width: number;
  height: number;
  selected: boolean;
  onSelect: (id: string) => void;
}) {
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onSelect(vertex.id);
    }
  };
  const bp = vertex.backpressure;
  return (
    <div
      role="button"
      tabIndex={0}
      aria-pressed={selected}
      aria-label={`${vertex.name}: ${vertex.status}, parallelism ${vertex.parallelism}, backpressure ${bp}, ${formatCompact(vertex.recordsOutPerSecond)} records/s out; ${describeStates(vertex.subtaskStates)}. Open subtasks.`}
      className={`vertex vertex--${vertex.status}${selected ? ' vertex--selected' : ''}`}
      style={{ left: x, top: y, width, height }}
      onClick={() => onSelect(vertex.id)}
      onKeyDown={onKey}
      data-testid="job-vertex"
      data-vertex-id={vertex.id}
      data-status={vertex.status}
      data-backpressure={bp}
    >
      <div className="vertex__name" title={vertex.name}>
        {vertex.name}
      </div>
      <div className="vertex__meta">
        <span title="Parallelism">×{vertex.parallelism}</span>
        <span className={`bp bp--${bp}`} title={`Backpressure ${Math.round(vertex.backpressureRatio * 100)}%`}>
          {bp === 'ok' ? 'BP ok' : `BP ${bp}`}
        </span>
        <span title="Records per second (in / out)">
          {formatCompact(vertex.recordsInPerSecond)} → {formatCompact(vertex.recordsOutPerSecond)}/s
        </span>
      </div>
      <SubtaskStrip states={vertex.subtaskStates} width={STRIP_WIDTH} />
    </div>
  );
});

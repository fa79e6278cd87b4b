import { memo } from 'react';
import { stripGeometry, type StripGeometry } from '../job/strip-geometry';
import { describeStates } from '../job/states';

export { stripGeometry, type StripGeometry };

/**
 * Up to this many subtasks each get their own element (a titled `subtask-cell` with its `data-state`);
 * beyond, the strip draws one path per state, so its size in the DOM does not grow with the parallelism
 * or with how scattered the states are (a restart of 256 subtasks is at most ten paths, not 256 cells).
 */
export const CELL_ELEMENT_LIMIT = 32;

/** Runs of equal states within each grid row: [index, length, state]. */
export function stateRuns(states: readonly string[], columns: number): [number, number, string][] {
  const runs: [number, number, string][] = [];
  for (let i = 0; i < states.length;) {
    const state = states[i]!;
    const rowEnd = (Math.floor(i / columns) + 1) * columns;
    let j = i + 1;
    while (j < states.length && j < rowEnd && states[j] === state) j++;
    runs.push([i, j - i, state]);
    i = j;
  }
  return runs;
}

/** Column separators over merged runs, so each subtask still reads as its own cell: one path element. */
function gridPath(g: StripGeometry): string {
  let d = '';
  for (let c = 1; c < g.columns; c++) {
    const x = c * (g.cellWidth + g.gap) - g.gap / 2;
    d += `M${x.toFixed(2)} 0V${g.height}`;
  }
  return d;
}

const r2 = (n: number) => Math.round(n * 100) / 100;

/** Path pieces for one geometry, formatted once: every cell's origin, every run length's rectangle. */
interface PathParts {
  origin: string[];
  /** `h{w}v{h}h{-w}z` for a run of `len` cells, at [len]. */
  rect: string[];
  grid: string;
}

const partsCache = new Map<string, PathParts>();

function pathParts(count: number, g: StripGeometry): PathParts {
  const key = `${count}/${g.width}`;
  let parts = partsCache.get(key);
  if (parts) return parts;
  const rowStep = g.cellHeight + (g.rows === 1 ? 0 : 1);
  const step = g.cellWidth + g.gap;
  parts = {
    origin: Array.from(
      { length: count },
      (_, i) => `M${r2((i % g.columns) * step)} ${r2(Math.floor(i / g.columns) * rowStep)}`,
    ),
    rect: Array.from({ length: g.columns + 1 }, (_, len) => {
      const w = r2(len * step - g.gap);
      return `h${w}v${g.cellHeight}h${-w}z`;
    }),
    grid: gridPath(g),
  };
  if (partsCache.size > 64) partsCache.clear();
  partsCache.set(key, parts);
  return parts;
}

/**
 * One SVG path per state: the rectangles of that state's runs (equal neighbours within a grid row), in
 * the states' first-seen order. Pure, for the strip and its tests.
 */
export function statePaths(states: readonly string[], g: StripGeometry): { state: string; count: number; d: string }[] {
  const { origin, rect } = pathParts(states.length, g);
  const paths = new Map<string, { state: string; count: number; d: string }>();
  for (const [i, len, state] of stateRuns(states, g.columns)) {
    let p = paths.get(state);
    if (!p) paths.set(state, (p = { state, count: 0, d: '' }));
    p.count += len;
    p.d += origin[i]! + rect[len]!;
  }
  return [...paths.values()];
}

/**
 * The subtasks of one vertex as a strip of coloured cells, one per subtask, drawn in one SVG. Colour is
 * paired with text: the strip's label counts subtasks per state; up to CELL_ELEMENT_LIMIT each cell has
 * a title, beyond, each state's path does.
 */
export const SubtaskStrip = memo(function SubtaskStrip({
  states,
  width = 200,
}: {
  states: readonly string[];
  width?: number;
}) {
  const g = stripGeometry(states.length, width);
  const rowStep = g.cellHeight + (g.rows === 1 ? 0 : 1);
  const x = (i: number) => (i % g.columns) * (g.cellWidth + g.gap);
  const y = (i: number) => Math.floor(i / g.columns) * rowStep;
  const label = `Subtasks: ${describeStates(states)}`;
  const perCell = states.length <= CELL_ELEMENT_LIMIT;
  return (
    <svg
      className="strip"
      width={g.width}
      height={g.height}
      viewBox={`0 0 ${g.width} ${g.height}`}
      role="img"
      aria-label={label}
      data-testid="subtask-strip"
      data-states={perCell ? states.join(' ') : undefined}
    >
      <title>{label}</title>
      {perCell
        ? states.map((s, i) => (
            <rect
              key={i}
              className={`cell cell--${s}`}
              x={x(i)}
              y={y(i)}
              width={g.cellWidth}
              height={g.cellHeight}
              rx={g.cellWidth > 6 ? 2 : 0.5}
              data-testid="subtask-cell"
              data-state={s}
            >
              <title>{`Subtask ${i + 1}/${states.length}: ${s}`}</title>
            </rect>
          ))
        : statePaths(states, g).map((p) => (
            <path key={p.state} className={`cell cell--${p.state}`} d={p.d} data-state={p.state} data-count={p.count}>
              <title>{`${p.count} of ${states.length} subtasks ${p.state}`}</title>
            </path>
          ))}
      {perCell ? null : (
        <path className="strip__grid" d={pathParts(states.length, g).grid} strokeWidth={Math.max(g.gap, 0.6)} />
      )}
    </svg>
  );
});

import { memo } from 'react';
import { describeStates } from '../job/states';

/** Up to this many subtasks each get their own element (with a title); beyond, runs of one state share one. */
export const CELL_ELEMENT_LIMIT = 64;

export interface StripGeometry {
  columns: number;
  rows: number;
  cellWidth: number;
  cellHeight: number;
  gap: number;
  width: number;
  height: number;
}

/** A single row up to 40 subtasks; beyond, a grid of 64 (or 128) columns so every subtask keeps a cell. */
export function stripGeometry(count: number, width: number): StripGeometry {
  const n = Math.max(1, count);
  const columns = n <= 40 ? n : n <= 1024 ? 64 : 128;
  const rows = Math.ceil(n / columns);
  const gap = columns <= 40 ? 2 : 0.6;
  const cellWidth = (width - gap * (columns - 1)) / columns;
  const cellHeight = rows === 1 ? 12 : rows <= 4 ? 6 : rows <= 16 ? 3 : 2;
  const rowGap = rows === 1 ? 0 : 1;
  return { columns, rows, cellWidth, cellHeight, gap, width, height: rows * cellHeight + (rows - 1) * rowGap };
}

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

/**
 * The subtasks of one vertex as a strip of coloured cells, one per subtask, drawn in one SVG. Colour is
 * paired with text: the strip's label counts subtasks per state, each cell (or run) has a title.
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
        : stateRuns(states, g.columns).map(([i, len, s]) => (
            <rect
              key={i}
              className={`cell cell--${s}`}
              x={x(i)}
              y={y(i)}
              width={len * (g.cellWidth + g.gap) - g.gap}
              height={g.cellHeight}
              data-state={s}
            >
              <title>{`Subtasks ${i + 1}–${i + len}/${states.length}: ${s}`}</title>
            </rect>
          ))}
      {perCell ? null : <path className="strip__grid" d={gridPath(g)} strokeWidth={Math.max(g.gap, 0.6)} />}
    </svg>
  );
});

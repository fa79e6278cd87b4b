/**
 * The subtask strip's grid, pure and dependency-free: the job graph's node heights depend on it, and the
 * layout worker (layout.worker.ts) must not pull React or the contracts in with it.
 */
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

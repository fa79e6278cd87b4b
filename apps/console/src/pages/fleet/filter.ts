/** The fleet's search, status filter and sort orders: pure, so they are tested and cheap for 1,000 rows. */
import type { FleetApplication } from '@mfc/contracts';

export const SORTS = ['attention', 'name', 'status', 'restarts'] as const;
export type FleetSort = (typeof SORTS)[number];
export const SORT_LABELS: Record<FleetSort, string> = {
  attention: 'Needs attention first',
  name: 'Name',
  status: 'Status',
  restarts: 'Restarts (5 min)',
};

/** `status` is an application status, '' for all, or 'attention' for flagged applications only. */
export interface FleetQuery {
  q: string;
  status: string;
  sort: FleetSort;
}

export function parseSort(v: string): FleetSort {
  return (SORTS as readonly string[]).includes(v) ? (v as FleetSort) : 'attention';
}

const restarts = (a: FleetApplication) => a.jobHealth.restartsLast5m ?? 0;
/**
 * Names and statuses are ASCII ([a-zA-Z0-9_.-]): compared case-insensitively by code unit, not with
 * localeCompare, whose first use loads ICU's collation data (tens of milliseconds in a browser, on the
 * way to the fleet's first paint).
 */
export function compareText(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (x !== y) return x < y ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
const byName = (a: FleetApplication, b: FleetApplication) => compareText(a.name, b.name);

export function filterFleet(apps: readonly FleetApplication[], query: FleetQuery): FleetApplication[] {
  const q = query.q.trim().toLowerCase();
  const out = apps.filter(
    (a) =>
      (q === '' || a.name.toLowerCase().includes(q)) &&
      (query.status === '' || (query.status === 'attention' ? a.attention.flag : a.status === query.status)),
  );
  switch (query.sort) {
    case 'name':
      return out.sort(byName);
    case 'status':
      return out.sort((a, b) => compareText(a.status, b.status) || byName(a, b));
    case 'restarts':
      return out.sort((a, b) => restarts(b) - restarts(a) || byName(a, b));
    case 'attention':
      return out.sort(
        (a, b) => Number(b.attention.flag) - Number(a.attention.flag) || restarts(b) - restarts(a) || byName(a, b),
      );
  }
}

export interface FleetSummary {
  total: number;
  running: number;
  attention: number;
  transitioning: number;
}

const STEADY = new Set(['RUNNING', 'READY', 'ROLLED_BACK']);

export function summarize(apps: readonly FleetApplication[]): FleetSummary {
  let running = 0;
  let attention = 0;
  let transitioning = 0;
  for (const a of apps) {
    if (a.status === 'RUNNING') running++;
    if (a.attention.flag) attention++;
    if (!STEADY.has(a.status)) transitioning++;
  }
  return { total: apps.length, running, attention, transitioning };
}

/** What the dialogs say about snapshots: the one a restore would use, and default names. */
import type { SnapshotView } from '@mfc/contracts';

/** The newest READY snapshot: what RESTORE_FROM_LATEST_SNAPSHOT and a rollback restore. */
export function latestReadySnapshot(snapshots: readonly SnapshotView[] | undefined): SnapshotView | undefined {
  let best: SnapshotView | undefined;
  for (const s of snapshots ?? []) if (s.status === 'READY' && (!best || s.createdAt > best.createdAt)) best = s;
  return best;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "manual-20261121-060527": valid for the service (letters, digits, _ . -) and sortable. */
export function defaultSnapshotName(now: number): string {
  const d = new Date(now);
  return `manual-${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}-${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`;
}

import type { ApplicationStatus } from '@mfc/contracts';

/** Statuses that mean an operation is under way: drawn with a pulsing dot. */
const TRANSITIONAL = new Set<string>([
  'STARTING',
  'STOPPING',
  'UPDATING',
  'AUTOSCALING',
  'FORCE_STOPPING',
  'ROLLING_BACK',
  'DELETING',
  'MAINTENANCE',
]);

export function statusTone(status: string): 'running' | 'ready' | 'busy' | 'rolled-back' | 'danger' {
  if (status === 'RUNNING') return 'running';
  if (status === 'READY') return 'ready';
  if (status === 'ROLLED_BACK') return 'rolled-back';
  if (status === 'FORCE_STOPPING' || status === 'DELETING') return 'danger';
  return TRANSITIONAL.has(status) ? 'busy' : 'ready';
}

/** The application status as AWS names it; colour is a second cue, the word is the first. */
export function StatusBadge({ status }: { status: ApplicationStatus | string }) {
  const tone = statusTone(status);
  return (
    <span className={`badge badge--${tone}`} data-testid="status-badge" data-status={status}>
      <span className={`badge__dot${TRANSITIONAL.has(status) ? ' badge__dot--pulse' : ''}`} aria-hidden="true" />
      {status}
    </span>
  );
}

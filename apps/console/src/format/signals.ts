/** Short names for the BFF's health signals and for the facts it could not read, as the screens show them. */
import type { HealthSignal, UnreadFacts } from '@mfc/contracts';

export const SIGNAL_LABELS: Record<HealthSignal, string> = {
  'restart-loop': 'Restart loop',
  'job-state': 'Job state',
  'subtasks-failed': 'Failed subtasks',
  'new-exceptions': 'Exceptions',
  'checkpoints-failing': 'Checkpoints failing',
  'checkpoints-stale': 'Checkpoints stale',
  'operation-failed': 'Operation failed',
  'job-unreadable': 'Job unreadable',
};

export const UNREAD_LABELS: Record<UnreadFacts['facts'], string> = {
  job: 'the job',
  exceptions: 'the exception history',
  checkpoints: 'the checkpoints',
  metrics: 'CloudWatch metrics',
};

/**
 * The one table of legal application status transitions. Every operation that changes status looks up
 * its path here: the transient status it passes through and where it ends on success and on failure.
 * Operations that do not change status but need one (snapshots, presigned URLs, ...) are listed in
 * REQUIRED_STATUS. Nothing else in the engine decides whether a status allows an action.
 */
import type { ApplicationStatus } from '@aws-sdk/client-kinesis-analytics-v2';
import { resourceInUse } from '../util/errors.js';

export type LifecycleAction =
  'start' | 'stop' | 'forceStop' | 'update' | 'rollback' | 'systemRollback' | 'delete' | 'autoscale' | 'maintenance';

export interface TransitionPath {
  /** Transient status while the operation runs. */
  via: ApplicationStatus;
  /** Status when the operation succeeds; GONE removes the application. */
  success: ApplicationStatus | 'GONE';
  /** Status when it fails. */
  failure: ApplicationStatus | 'GONE';
}

const path = (via: ApplicationStatus, success: TransitionPath['success'], failure: TransitionPath['failure']) => ({
  via,
  success,
  failure,
});

export const TRANSITIONS: Record<LifecycleAction, Partial<Record<ApplicationStatus, TransitionPath>>> = {
  start: { READY: path('STARTING', 'RUNNING', 'READY') },
  stop: { RUNNING: path('STOPPING', 'READY', 'RUNNING') },
  forceStop: {
    STARTING: path('FORCE_STOPPING', 'READY', 'READY'),
    UPDATING: path('FORCE_STOPPING', 'READY', 'READY'),
    STOPPING: path('FORCE_STOPPING', 'READY', 'READY'),
    AUTOSCALING: path('FORCE_STOPPING', 'READY', 'READY'),
    RUNNING: path('FORCE_STOPPING', 'READY', 'READY'),
  },
  // A failed update of a running application ends READY unless system rollback takes over.
  update: {
    READY: path('UPDATING', 'READY', 'READY'),
    RUNNING: path('UPDATING', 'RUNNING', 'READY'),
  },
  rollback: {
    RUNNING: path('ROLLING_BACK', 'RUNNING', 'READY'),
    UPDATING: path('ROLLING_BACK', 'RUNNING', 'READY'),
    AUTOSCALING: path('ROLLING_BACK', 'RUNNING', 'READY'),
  },
  // The service's own rollback after a failed update (the application is then UPDATING).
  systemRollback: {
    UPDATING: path('ROLLING_BACK', 'RUNNING', 'READY'),
    AUTOSCALING: path('ROLLING_BACK', 'RUNNING', 'READY'),
  },
  delete: {
    READY: path('DELETING', 'GONE', 'READY'),
    RUNNING: path('DELETING', 'GONE', 'RUNNING'),
  },
  autoscale: { RUNNING: path('AUTOSCALING', 'RUNNING', 'RUNNING') },
  maintenance: {
    READY: path('MAINTENANCE', 'READY', 'READY'),
    RUNNING: path('MAINTENANCE', 'RUNNING', 'RUNNING'),
  },
};

/** Operations that need a status but do not change it. */
export const REQUIRED_STATUS = {
  createSnapshot: ['RUNNING'],
  presignedUrl: ['RUNNING'],
  maintenanceConfiguration: ['READY', 'RUNNING'],
} as const satisfies Record<string, readonly ApplicationStatus[]>;

export const STEADY_STATUSES: readonly ApplicationStatus[] = ['READY', 'RUNNING'];

export function transitionFor(action: LifecycleAction, status: ApplicationStatus): TransitionPath | undefined {
  return TRANSITIONS[action][status];
}

/** The path for `action` from `status`, or the AWS error for a status that does not allow it. */
export function requireTransition(action: LifecycleAction, status: ApplicationStatus, name: string): TransitionPath {
  const p = transitionFor(action, status);
  if (!p) throw notAvailable(name, status);
  return p;
}

export function requireStatus(check: keyof typeof REQUIRED_STATUS, status: ApplicationStatus, name: string): void {
  if (!(REQUIRED_STATUS[check] as readonly ApplicationStatus[]).includes(status)) throw notAvailable(name, status);
}

function notAvailable(name: string, status: ApplicationStatus) {
  return resourceInUse(
    `Application ${name} is in ${status} status. The application is not available for this operation.`,
  );
}

/** Statuses from which each customer action is allowed: what a console needs to enable its buttons. */
export function allowedActions(status: ApplicationStatus): LifecycleAction[] {
  return (Object.keys(TRANSITIONS) as LifecycleAction[]).filter((a) => TRANSITIONS[a][status] !== undefined);
}

/**
 * Which actions each application status allows, for the console's buttons and their "why not" text.
 * It mirrors the engine's lifecycle table (a test in the engine checks they agree).
 */
import { z } from 'zod';
import type { ApplicationStatus } from './common.js';

export const ACTIONS = [
  'start',
  'stop',
  'forceStop',
  'update',
  'rollback',
  'createSnapshot',
  'delete',
  'changeEncryption',
] as const;
export const Action = z.enum(ACTIONS);
export type Action = z.infer<typeof Action>;

/** Statuses in which the service accepts each action. */
export const ACTION_STATUSES: Record<Action, readonly ApplicationStatus[]> = {
  start: ['READY'],
  stop: ['RUNNING'],
  forceStop: ['STARTING', 'UPDATING', 'STOPPING', 'AUTOSCALING', 'RUNNING'],
  update: ['READY', 'RUNNING'],
  rollback: ['RUNNING', 'UPDATING', 'AUTOSCALING'],
  createSnapshot: ['RUNNING'],
  delete: ['READY', 'RUNNING'],
  changeEncryption: ['READY', 'RUNNING'],
};

/** Roles and what they may do: viewers only look; force-stop, rollback and delete need an operator. */
export const ROLES = ['viewer', 'operator', 'admin'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;
export const ROLE_RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

export const AllowedAction = z.object({ allowed: z.boolean(), reason: z.string().optional() });
export type AllowedAction = z.infer<typeof AllowedAction>;

export function allowedActions(status: ApplicationStatus): Record<Action, AllowedAction> {
  const out = {} as Record<Action, AllowedAction>;
  for (const action of ACTIONS) {
    const statuses = ACTION_STATUSES[action];
    out[action] = statuses.includes(status)
      ? { allowed: true }
      : { allowed: false, reason: `Allowed only when the application is ${listOf(statuses)}; it is ${status}.` };
  }
  return out;
}

function listOf(items: readonly string[]): string {
  return items.length === 1 ? items[0]! : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

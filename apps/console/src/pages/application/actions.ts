/** The action bar's buttons: which action each is, and whether this user may press it now. */
import type {
  Action,
  AllowedAction,
  ApplicationView,
  ConfigChange,
  Role,
  SessionInfo,
  UpdateRequest,
} from '@mfc/contracts';
import { ROLE_RANK } from '@mfc/contracts';

export type DialogKind =
  'start' | 'update' | 'stop' | 'forceStop' | 'rollback' | 'createSnapshot' | 'delete' | 'changeKey';

/** What a dialog opens with, when a tab opens it for something in particular. */
export interface DialogOptions {
  /** Start: restore this snapshot. */
  snapshot?: string;
  /** Start: with AllowNonRestoredState checked (the advisor's dropped-uids finding). */
  allowNonRestored?: boolean;
  /** Update: the form prefilled with this change (the advisor's), shown with its diff. */
  proposal?: UpdateProposal;
}

/** An update someone proposes (the advisor): the request, its diff, and why. */
export interface UpdateProposal {
  update: UpdateRequest;
  diff: ConfigChange[];
  title: string;
}

export interface ActionButtonSpec {
  dialog: DialogKind;
  action: Action;
  label: string;
  variant: 'default' | 'primary' | 'danger';
}

export const ACTION_BAR: readonly ActionButtonSpec[] = [
  { dialog: 'start', action: 'start', label: 'Start', variant: 'primary' },
  { dialog: 'update', action: 'update', label: 'Update', variant: 'default' },
  { dialog: 'stop', action: 'stop', label: 'Stop', variant: 'default' },
  { dialog: 'forceStop', action: 'forceStop', label: 'Force stop', variant: 'danger' },
  { dialog: 'rollback', action: 'rollback', label: 'Roll back', variant: 'danger' },
  { dialog: 'createSnapshot', action: 'createSnapshot', label: 'Create snapshot', variant: 'default' },
  { dialog: 'delete', action: 'delete', label: 'Delete', variant: 'danger' },
];

/** Every action needs an operator (the BFF enforces it; the console explains it before the click). */
export const ACTION_ROLE: Role = 'operator';

/**
 * Whether the action can be taken: the service's rule for the status (allowedActions from the BFF), then
 * the user's role, then an operation already in flight.
 */
export function actionAvailability(
  app: Pick<ApplicationView, 'allowedActions' | 'status'>,
  action: Action,
  session: SessionInfo | undefined,
): AllowedAction {
  const rule = app.allowedActions[action] ?? { allowed: false, reason: 'Not available.' };
  if (!rule.allowed) return rule;
  if (!session || ROLE_RANK[session.user.role] < ROLE_RANK[ACTION_ROLE])
    return {
      allowed: false,
      reason: `Needs the ${ACTION_ROLE} role; you are signed in as ${session?.user.name ?? 'nobody'} (${session?.user.role ?? 'no role'}).`,
    };
  return rule;
}

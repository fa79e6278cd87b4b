import { ROLES, type Role } from '@mfc/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useId } from 'react';
import { logout, switchRole } from '../api/client';
import { useSession } from '../hooks/useSession';
import { toast } from './Toaster';

/** Who is signed in; in demo mode, a role switcher so a demo can show what a viewer sees. */
export function UserMenu({ demo }: { demo: boolean }) {
  const session = useSession();
  const qc = useQueryClient();
  const id = useId();
  if (!session) return null;
  const canSwitch = demo && session.mode === 'demo';
  return (
    <div className="user" data-testid="user-menu">
      <span className="user__name" title={`Signed in as ${session.user.name}`}>
        {session.user.name}
      </span>
      {canSwitch ? (
        <>
          <label htmlFor={id} className="visually-hidden">
            Role
          </label>
          <select
            id={id}
            className="select select--compact"
            value={session.user.role}
            data-testid="role-switcher"
            onChange={(e) => {
              const role = e.target.value as Role;
              switchRole(role)
                .then(() => {
                  toast(`You now act as ${role}.`, 'success');
                  void qc.invalidateQueries();
                })
                .catch((err: unknown) => toast(err instanceof Error ? err.message : String(err), 'error'));
            }}
          >
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </>
      ) : (
        <span className="user__role" data-testid="user-role">
          {session.user.role}
        </span>
      )}
      {session.mode === 'production' ? (
        <button type="button" className="header-button" onClick={() => void logout()}>
          Sign out
        </button>
      ) : null}
    </div>
  );
}

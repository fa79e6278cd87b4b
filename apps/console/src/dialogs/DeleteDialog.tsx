import type { ApplicationView } from '@mfc/contracts';
import { useAppAction } from '../api/mutations';
import { useSnapshots } from '../api/queries';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { toast } from '../components/Toaster';
import { navigate } from '../router';

export function DeleteDialog({ app, onClose }: { app: ApplicationView; onClose: () => void }) {
  const action = useAppAction(app.name);
  const snapshots = useSnapshots(app.name);
  const count = snapshots.data?.snapshots.length;
  return (
    <ConfirmDialog
      title={`Delete ${app.name}`}
      expected={app.name}
      confirmLabel="Delete application"
      busy={action.isPending}
      error={action.error}
      onClose={onClose}
      onConfirm={(confirm) =>
        action.mutate(
          { kind: 'delete', body: { confirm } },
          {
            onSuccess: (r) => {
              toast(r.message, 'success');
              onClose();
              navigate('/');
            },
          },
        )
      }
    >
      <p>
        <strong>{app.name} will be deleted</strong> with all its versions and{' '}
        {count === undefined ? 'its snapshots' : count === 1 ? 'its 1 snapshot' : `its ${count} snapshots`}.
        {app.status === 'RUNNING' ? ' The running job is stopped without a snapshot.' : ''} This cannot be undone: its
        state cannot be restored afterwards.
      </p>
    </ConfirmDialog>
  );
}

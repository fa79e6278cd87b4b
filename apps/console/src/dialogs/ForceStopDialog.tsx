import type { ApplicationView } from '@mfc/contracts';
import { useAppAction } from '../api/mutations';
import { useSnapshots } from '../api/queries';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Timestamp } from '../components/Time';
import { toast } from '../components/Toaster';
import { humanizeOperation } from '../format/format';
import { latestReadySnapshot } from './snapshots';

export function ForceStopDialog({ app, onClose }: { app: ApplicationView; onClose: () => void }) {
  const action = useAppAction(app.name);
  const snapshots = useSnapshots(app.name);
  const last = latestReadySnapshot(snapshots.data?.snapshots);
  return (
    <ConfirmDialog
      title={`Force stop ${app.name}`}
      expected={app.name}
      confirmLabel="Force stop"
      busy={action.isPending}
      error={action.error}
      onClose={onClose}
      onConfirm={(confirm) =>
        action.mutate(
          { kind: 'stop', body: { force: true, confirm } },
          {
            onSuccess: (r) => {
              toast(r.message, 'success');
              onClose();
            },
          },
        )
      }
    >
      <p>
        <strong>No snapshot will be taken</strong>; the job is cancelled at once and the application goes through
        FORCE_STOPPING to READY.
      </p>
      <p data-testid="force-stop-last-snapshot">
        {snapshots.isPending ? (
          'Reading snapshots…'
        ) : last ? (
          <>
            The last snapshot is <strong className="mono">{last.name}</strong> from <Timestamp at={last.createdAt} />: a
            start from the latest snapshot resumes there, and everything processed since is lost from state.
          </>
        ) : (
          <>There is no snapshot: the next start begins without state.</>
        )}
      </p>
      {app.currentOperation ? (
        <p>
          The operation in progress ({humanizeOperation(app.currentOperation.operation)} {app.currentOperation.id}) is
          abandoned.
        </p>
      ) : null}
    </ConfirmDialog>
  );
}

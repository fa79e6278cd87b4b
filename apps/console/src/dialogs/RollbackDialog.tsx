import type { ApplicationView } from '@mfc/contracts';
import { useAppAction } from '../api/mutations';
import { useSnapshots, useVersionDiff } from '../api/queries';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Timestamp } from '../components/Time';
import { toast } from '../components/Toaster';
import { shortPath } from '../pages/application/VersionsTab';
import { latestReadySnapshot } from './snapshots';

/**
 * Rollback: the service mints version N+1 holding the configuration and code of the version this one was
 * updated from, and restores the latest snapshot. The dialog names all three before the operator types.
 */
export function RollbackDialog({ app, onClose }: { app: ApplicationView; onClose: () => void }) {
  const action = useAppAction(app.name);
  const snapshots = useSnapshots(app.name);
  const target = app.versionUpdatedFrom;
  const diff = useVersionDiff(app.name, app.versionId, target);
  const snap = latestReadySnapshot(snapshots.data?.snapshots);
  const blocked = target === undefined || (!snapshots.isPending && !snap);
  return (
    <ConfirmDialog
      title={`Roll back ${app.name}`}
      expected={app.name}
      confirmLabel="Roll back"
      busy={action.isPending}
      error={action.error}
      blocked={blocked}
      onClose={onClose}
      onConfirm={(confirm) =>
        action.mutate(
          { kind: 'rollback', body: { expectedVersionId: app.versionId, confirm } },
          {
            onSuccess: (r) => {
              toast(r.message, 'success');
              onClose();
            },
          },
        )
      }
    >
      {target === undefined ? (
        <p className="text-danger" data-testid="rollback-blocked">
          Version {app.versionId} was not made by an update: there is no previous version to roll back to.
        </p>
      ) : (
        <p data-testid="rollback-consequence">
          <strong>
            Version {app.versionId + 1} will hold version {target}&apos;s configuration and code
          </strong>
          ; version {app.versionId} is marked ROLLED_BACK.{' '}
          {snapshots.isPending ? (
            'Reading snapshots…'
          ) : snap ? (
            <>
              State is restored from snapshot <strong className="mono">{snap.name}</strong> from{' '}
              <Timestamp at={snap.createdAt} /> (taken on version {snap.versionId}).
            </>
          ) : (
            <span className="text-danger">
              There is no snapshot, and a rollback needs one: the service would refuse it.
            </span>
          )}
        </p>
      )}
      {diff.data && diff.data.changes.length > 0 ? (
        <details>
          <summary>What changes back ({diff.data.changes.length})</summary>
          <ul className="small">
            {diff.data.changes.map((c) => (
              <li key={c.path}>{shortPath(c.path)}</li>
            ))}
          </ul>
        </details>
      ) : null}
    </ConfirmDialog>
  );
}

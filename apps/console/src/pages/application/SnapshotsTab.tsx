import type { SnapshotView } from '@mfc/contracts';
import { useState } from 'react';
import { useAppAction } from '../../api/mutations';
import { useSnapshots } from '../../api/queries';
import { ActionButton } from '../../components/ActionButton';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { keyName } from '../../components/EncryptionBadge';
import { Empty, ErrorState, Loading } from '../../components/States';
import { Age, Timestamp } from '../../components/Time';
import { toast } from '../../components/Toaster';
import { formatCount } from '../../format/format';
import { useNow } from '../../hooks/useNow';
import { useSession } from '../../hooks/useSession';
import { hasRole } from '../../api/session';
import { useActions } from './ActionsContext';
import { actionAvailability } from './actions';
import type { TabProps } from './ApplicationPage';

export const FLAG_TEXT: Record<string, string> = {
  'key-disabled': 'Key disabled: cannot be restored until the key is enabled',
  'key-missing': 'Key missing: this snapshot cannot be restored',
  'older-key': 'Older key than the one configured',
};

export default function SnapshotsTab({ app }: TabProps) {
  const q = useSnapshots(app.name);
  const now = useNow();
  const session = useSession();
  const { open } = useActions();
  const [deleting, setDeleting] = useState<SnapshotView>();
  const create = actionAvailability(app, 'createSnapshot', session);
  const start = actionAvailability(app, 'start', session);
  const canOperate = hasRole(session, 'operator');

  if (q.isPending) return <Loading label="Listing snapshots…" />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  const { snapshots, quota } = q.data;
  const sorted = [...snapshots].sort((a, b) => b.createdAt - a.createdAt);
  const usedPct = Math.min(100, (quota.used / quota.limit) * 100);
  return (
    <div className="snapshots">
      <div className="toolbar toolbar--spread">
        <div className="quota" data-testid="snapshot-quota">
          <span>
            Quota: <strong>{formatCount(quota.used)}</strong> / {formatCount(quota.limit)} snapshots
          </span>
          <div
            className={`meter${usedPct >= 90 ? ' meter--danger' : usedPct >= 75 ? ' meter--warning' : ''}`}
            role="meter"
            aria-label="Snapshot quota used"
            aria-valuemin={0}
            aria-valuemax={quota.limit}
            aria-valuenow={quota.used}
          >
            <div className="meter__bar" style={{ width: `${usedPct}%` }} />
          </div>
        </div>
        <ActionButton
          action="createSnapshot-tab"
          label="Create snapshot"
          allowed={create.allowed}
          reason={create.reason}
          onClick={() => open('createSnapshot')}
        />
      </div>
      {sorted.length === 0 ? (
        <Empty title="No snapshots">
          {app.status === 'RUNNING'
            ? 'Create one now, or let a graceful stop or update take one (snapshots are on).'
            : 'Snapshots are taken while the application runs: on request, and on a graceful stop or update.'}
        </Empty>
      ) : (
        <div className="table-scroll">
          <table className="table" data-testid="snapshots-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Created</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">
                  Version
                </th>
                <th scope="col">Encryption key</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {sorted.map((s) => (
                <tr
                  key={s.name}
                  data-testid="snapshot-row"
                  data-snapshot={s.name}
                  data-flags={s.flags.join(' ')}
                  className={s.flags.length > 0 ? 'row--flagged' : undefined}
                >
                  <th scope="row" className="mono break">
                    {s.name}
                  </th>
                  <td>
                    <Age at={s.createdAt} now={now} />
                    <div className="muted small">
                      <Timestamp at={s.createdAt} />
                    </div>
                  </td>
                  <td>
                    <span className={`op-status op-status--${s.status}`}>{s.status}</span>
                  </td>
                  <td className="num">v{s.versionId}</td>
                  <td>
                    <div className="key-cell" data-testid="snapshot-key">
                      <span>{keyName(s.encryption)}</span>
                      {s.encryption.keyType === 'CUSTOMER_MANAGED_KEY' && s.encryption.keyState ? (
                        <span className="muted small"> ({s.encryption.keyState})</span>
                      ) : null}
                    </div>
                    {s.flags.map((f) => (
                      <span
                        key={f}
                        className={`tag ${f === 'older-key' ? 'tag--warning' : 'tag--danger'}`}
                        data-testid="snapshot-flag"
                        data-flag={f}
                      >
                        {FLAG_TEXT[f] ?? f}
                      </span>
                    ))}
                  </td>
                  <td className="actions-cell">
                    <div className="row-actions">
                      <ActionButton
                        action="restore-snapshot"
                        label="Restart from this snapshot"
                        allowed={s.status === 'READY' && start.allowed}
                        reason={
                          s.status !== 'READY'
                            ? `The snapshot is ${s.status}.`
                            : start.allowed
                              ? undefined
                              : app.status === 'RUNNING'
                                ? 'Stop the application first: a start needs it READY.'
                                : start.reason
                        }
                        onClick={() => open('start', { snapshot: s.name })}
                      />
                      <ActionButton
                        action="delete-snapshot"
                        label="Delete"
                        variant="danger"
                        allowed={canOperate && s.status === 'READY'}
                        reason={!canOperate ? 'Needs the operator role.' : `The snapshot is ${s.status}.`}
                        onClick={() => setDeleting(s)}
                      />
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {deleting ? (
        <DeleteSnapshotDialog app={app.name} snapshot={deleting} onClose={() => setDeleting(undefined)} />
      ) : null}
    </div>
  );
}

function DeleteSnapshotDialog({
  app,
  snapshot,
  onClose,
}: {
  app: string;
  snapshot: SnapshotView;
  onClose: () => void;
}) {
  const action = useAppAction(app);
  return (
    <ConfirmDialog
      title={`Delete snapshot ${snapshot.name}`}
      expected={snapshot.name}
      expectedWhat="the snapshot name"
      confirmLabel="Delete snapshot"
      busy={action.isPending}
      error={action.error}
      onClose={onClose}
      onConfirm={(confirm) =>
        action.mutate(
          { kind: 'deleteSnapshot', snapshot: snapshot.name, body: { confirm } },
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
        Snapshot <strong className="mono">{snapshot.name}</strong> (version {snapshot.versionId}, taken{' '}
        <Timestamp at={snapshot.createdAt} />) will be deleted. A start or rollback can no longer restore this state.
        This cannot be undone.
      </p>
    </ConfirmDialog>
  );
}

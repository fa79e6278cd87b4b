import type { ApplicationView, RestoreType, SnapshotView } from '@mfc/contracts';
import { useId, useState } from 'react';
import { useAppAction } from '../api/mutations';
import { useSnapshots } from '../api/queries';
import { isConfirmationValid, TypedConfirmation } from '../components/ConfirmDialog';
import { Dialog, SubmitFooter } from '../components/Dialog';
import { keyName } from '../components/EncryptionBadge';
import { InlineError, Loading } from '../components/States';
import { Timestamp } from '../components/Time';
import { toast } from '../components/Toaster';
import { useSession } from '../hooks/useSession';
import { actionAvailability } from '../pages/application/actions';
import { isBlocked, PreflightPanel, usePreflight } from './Preflight';
import { latestReadySnapshot } from './snapshots';

const CHOICES: { value: RestoreType; label: string }[] = [
  { value: 'RESTORE_FROM_LATEST_SNAPSHOT', label: 'Restore the latest snapshot' },
  { value: 'RESTORE_FROM_CUSTOM_SNAPSHOT', label: 'Restore a chosen snapshot' },
  { value: 'SKIP_RESTORE_FROM_SNAPSHOT', label: 'Start without state (skip restore)' },
];

/** Start, with the restore choice spelled out and the pre-flight answer before the operator confirms. */
export function StartDialog({
  app,
  initialSnapshot,
  initialAllowNonRestored = false,
  onClose,
}: {
  app: ApplicationView;
  initialSnapshot?: string | undefined;
  /** Opened with AllowNonRestoredState checked (the advisor's finding on a restore that dropped state). */
  initialAllowNonRestored?: boolean | undefined;
  onClose: () => void;
}) {
  const session = useSession();
  const snapshots = useSnapshots(app.name);
  const action = useAppAction(app.name);
  const [restoreType, setRestoreType] = useState<RestoreType>(
    initialSnapshot ? 'RESTORE_FROM_CUSTOM_SNAPSHOT' : 'RESTORE_FROM_LATEST_SNAPSHOT',
  );
  const [snapshotName, setSnapshotName] = useState(initialSnapshot ?? '');
  const [allowNonRestored, setAllowNonRestored] = useState(initialAllowNonRestored);
  const [typed, setTyped] = useState('');
  const selectId = useId();
  const ready = (snapshots.data?.snapshots ?? [])
    .filter((s) => s.status === 'READY')
    .sort((a, b) => b.createdAt - a.createdAt);
  const latest = latestReadySnapshot(snapshots.data?.snapshots);
  const chosen = ready.find((s) => s.name === snapshotName);
  const allowed = actionAvailability(app, 'start', session);
  const skip = restoreType === 'SKIP_RESTORE_FROM_SNAPSHOT';
  const custom = restoreType === 'RESTORE_FROM_CUSTOM_SNAPSHOT';

  const preflightQuery = usePreflight(
    app.name,
    allowed.allowed && (!custom || snapshotName)
      ? {
          action: 'start',
          restoreType,
          ...(custom ? { snapshotName } : {}),
          allowNonRestoredState: allowNonRestored,
        }
      : undefined,
  );
  const blocked = isBlocked(preflightQuery.data);
  const canConfirm =
    allowed.allowed &&
    !action.isPending &&
    !blocked &&
    !(custom && !chosen) &&
    (!skip || isConfirmationValid(typed, app.name));

  const submit = () => {
    if (!canConfirm) return;
    action.mutate(
      {
        kind: 'start',
        body: {
          restoreType,
          ...(custom ? { snapshotName } : {}),
          allowNonRestoredState: allowNonRestored,
          ...(skip ? { confirm: typed } : {}),
        },
      },
      {
        onSuccess: (r) => {
          toast(r.message, 'success');
          onClose();
        },
      },
    );
  };

  return (
    <Dialog
      title={`Start ${app.name}`}
      onClose={onClose}
      size="wide"
      testId="start-dialog"
      onSubmit={submit}
      footer={
        <SubmitFooter
          onCancel={onClose}
          label={action.isPending ? 'Starting…' : skip ? 'Start without state' : 'Start'}
          disabled={!canConfirm}
          tone={skip ? 'danger' : 'primary'}
        />
      }
    >
      {!allowed.allowed ? (
        <p className="callout callout--warning" data-testid="start-not-allowed">
          {allowed.reason}
        </p>
      ) : null}
      <fieldset className="choices">
        <legend>State to restore</legend>
        {CHOICES.map((c) => (
          <label key={c.value} className="choice">
            <input
              type="radio"
              name="restore-type"
              value={c.value}
              checked={restoreType === c.value}
              onChange={() => setRestoreType(c.value)}
              data-testid={`restore-${c.value}`}
            />
            {c.label}
          </label>
        ))}
      </fieldset>
      {custom ? (
        <div className="field">
          <label htmlFor={selectId}>Snapshot</label>
          {snapshots.isPending ? (
            <Loading />
          ) : (
            <select
              id={selectId}
              className="select"
              value={snapshotName}
              onChange={(e) => setSnapshotName(e.target.value)}
              data-testid="start-snapshot"
            >
              <option value="">Choose a snapshot…</option>
              {ready.map((s) => (
                <option key={s.name} value={s.name}>
                  {s.name} (v{s.versionId}){s.flags.length ? ` — ${s.flags.join(', ')}` : ''}
                </option>
              ))}
            </select>
          )}
        </div>
      ) : null}
      <label className="choice">
        <input
          type="checkbox"
          checked={allowNonRestored}
          onChange={(e) => setAllowNonRestored(e.target.checked)}
          data-testid="allow-non-restored"
        />
        Allow non-restored state (start even if the code no longer has an operator whose state the snapshot holds; that
        state is dropped)
      </label>
      <div className="what-happens" data-testid="start-consequence">
        <h3 className="what-happens__title">What will happen</h3>
        <StartConsequence restoreType={restoreType} latest={latest} chosen={chosen} loading={snapshots.isPending} />
      </div>
      <PreflightPanel query={preflightQuery} />
      {skip ? <TypedConfirmation expected={app.name} value={typed} onChange={setTyped} /> : null}
      <InlineError error={action.error} />
    </Dialog>
  );
}

function SnapshotRef({ s }: { s: SnapshotView }) {
  return (
    <>
      <strong className="mono">{s.name}</strong> from <Timestamp at={s.createdAt} /> (version {s.versionId}, key{' '}
      {keyName(s.encryption)})
    </>
  );
}

function StartConsequence({
  restoreType,
  latest,
  chosen,
  loading,
}: {
  restoreType: RestoreType;
  latest: SnapshotView | undefined;
  chosen: SnapshotView | undefined;
  loading: boolean;
}) {
  if (loading) return <p className="muted">Reading snapshots…</p>;
  switch (restoreType) {
    case 'RESTORE_FROM_LATEST_SNAPSHOT':
      return latest ? (
        <p>
          The job starts from the latest snapshot, <SnapshotRef s={latest} />.
        </p>
      ) : (
        <p>There is no snapshot: the job starts without state.</p>
      );
    case 'RESTORE_FROM_CUSTOM_SNAPSHOT':
      return chosen ? (
        <p>
          The job starts from <SnapshotRef s={chosen} />. Newer state is not used.
        </p>
      ) : (
        <p className="muted">Choose the snapshot to restore.</p>
      );
    case 'SKIP_RESTORE_FROM_SNAPSHOT':
      return (
        <p className="text-danger">
          No state is restored: the job starts empty and sources read from their configured start position.
          {latest ? (
            <>
              {' '}
              The latest snapshot, <SnapshotRef s={latest} />, is not used (it is kept).
            </>
          ) : null}
        </p>
      );
  }
}

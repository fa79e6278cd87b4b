import { SnapshotName, type ApplicationView } from '@mfc/contracts';
import { useId, useState } from 'react';
import { serviceNow } from '../api/clock';
import { useAppAction } from '../api/mutations';
import { useSnapshots } from '../api/queries';
import { Dialog, SubmitFooter } from '../components/Dialog';
import { InlineError } from '../components/States';
import { toast } from '../components/Toaster';
import { formatCount } from '../format/format';
import { defaultSnapshotName } from './snapshots';

export function CreateSnapshotDialog({ app, onClose }: { app: ApplicationView; onClose: () => void }) {
  const action = useAppAction(app.name);
  const snapshots = useSnapshots(app.name);
  const [name, setName] = useState(() => defaultSnapshotName(serviceNow()));
  const id = useId();
  const valid = SnapshotName.safeParse(name);
  const exists = snapshots.data?.snapshots.some((s) => s.name === name) ?? false;
  const quota = snapshots.data?.quota;
  const full = quota !== undefined && quota.used >= quota.limit;
  const ok = valid.success && !exists && !full && !action.isPending;
  const submit = () => {
    if (!ok) return;
    action.mutate(
      { kind: 'createSnapshot', body: { name } },
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
      title={`Create a snapshot of ${app.name}`}
      onClose={onClose}
      testId="create-snapshot-dialog"
      onSubmit={submit}
      footer={
        <SubmitFooter onCancel={onClose} label={action.isPending ? 'Creating…' : 'Create snapshot'} disabled={!ok} />
      }
    >
      <div className="field">
        <label htmlFor={id}>Snapshot name</label>
        <input
          id={id}
          className="input mono"
          value={name}
          onChange={(e) => setName(e.target.value)}
          data-testid="snapshot-name"
          data-autofocus
          aria-invalid={!valid.success || exists}
          spellCheck={false}
        />
        {!valid.success ? (
          <p className="inline-error">1–256 characters: letters, digits, _ . and -.</p>
        ) : exists ? (
          <p className="inline-error">A snapshot with this name exists.</p>
        ) : null}
      </div>
      <p>
        The running job&apos;s state is saved, protected by the key in effect. It can be restored by a start or a
        rollback.
      </p>
      {quota ? (
        <p className={full ? 'text-danger strong' : 'muted'}>
          Quota: {formatCount(quota.used)} of {formatCount(quota.limit)} used
          {full ? ': delete a snapshot first.' : '.'}
        </p>
      ) : null}
      <InlineError error={action.error} />
    </Dialog>
  );
}

import type { ApplicationView, KeyType } from '@mfc/contracts';
import { useId, useState } from 'react';
import { useAppAction } from '../api/mutations';
import { useKeys } from '../api/queries';
import { Dialog, SubmitFooter } from '../components/Dialog';
import { keyName } from '../components/EncryptionBadge';
import { InlineError } from '../components/States';
import { toast } from '../components/Toaster';

/** Change the key protecting state: the caveats are in the dialog, not in a help page. */
export function ChangeKeyDialog({ app, onClose }: { app: ApplicationView; onClose: () => void }) {
  const action = useAppAction(app.name);
  const keys = useKeys();
  const configured = app.encryption.configured;
  const [keyType, setKeyType] = useState<KeyType>(
    configured.keyType === 'AWS_OWNED_KEY' ? 'CUSTOMER_MANAGED_KEY' : 'AWS_OWNED_KEY',
  );
  const [keyId, setKeyId] = useState('');
  const selectId = useId();
  const chosen = keys.data?.keys.find((k) => k.arn === keyId);
  const same =
    keyType === configured.keyType &&
    (keyType === 'AWS_OWNED_KEY' || keyId === configured.keyArn || keyId === configured.keyId);
  const ok = !action.isPending && !same && (keyType === 'AWS_OWNED_KEY' || keyId !== '');
  const submit = () => {
    if (!ok) return;
    action.mutate(
      {
        kind: 'encryption',
        body: { expectedVersionId: app.versionId, keyType, ...(keyType === 'CUSTOMER_MANAGED_KEY' ? { keyId } : {}) },
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
      title={`Change the key of ${app.name}`}
      onClose={onClose}
      size="wide"
      testId="change-key-dialog"
      onSubmit={submit}
      footer={<SubmitFooter onCancel={onClose} label={action.isPending ? 'Changing…' : 'Change key'} disabled={!ok} />}
    >
      <p>
        Configured now: <strong>{keyName(configured)}</strong>
        {configured.keyArn ? <span className="mono small muted"> {configured.keyArn}</span> : null}
      </p>
      <fieldset className="choices">
        <legend>New key</legend>
        <label className="choice">
          <input
            type="radio"
            name="key-type"
            checked={keyType === 'AWS_OWNED_KEY'}
            onChange={() => setKeyType('AWS_OWNED_KEY')}
          />
          AWS owned key
        </label>
        <label className="choice">
          <input
            type="radio"
            name="key-type"
            checked={keyType === 'CUSTOMER_MANAGED_KEY'}
            onChange={() => setKeyType('CUSTOMER_MANAGED_KEY')}
          />
          Customer managed key
        </label>
      </fieldset>
      {keyType === 'CUSTOMER_MANAGED_KEY' ? (
        <div className="field">
          <label htmlFor={selectId}>Key</label>
          <select
            id={selectId}
            className="select"
            value={keyId}
            onChange={(e) => setKeyId(e.target.value)}
            data-testid="change-key-select"
          >
            <option value="">Choose a key…</option>
            {keys.data?.keys.map((k) => (
              <option key={k.arn} value={k.arn} disabled={k.state !== 'Enabled'}>
                {k.aliases[0] ?? k.keyId} ({k.state})
              </option>
            ))}
          </select>
          {chosen && chosen.state !== 'Enabled' ? <p className="inline-error">This key is {chosen.state}.</p> : null}
        </div>
      ) : null}
      <div className="what-happens" data-testid="change-key-caveats">
        <h3 className="what-happens__title">What will happen</h3>
        <ul className="caveats">
          <li>
            A new version ({app.versionId + 1}) records the key.{' '}
            {app.status === 'RUNNING' ? (
              <>
                <strong>The update restarts the running job</strong>:{' '}
                {app.snapshotsEnabled ? 'its state is snapshotted on the key in effect, then ' : ''}it starts again on
                the new key.
              </>
            ) : (
              <strong>It takes effect at the next start.</strong>
            )}
          </li>
          <li>
            <strong>Existing snapshots stay on their old key</strong> and are not re-encrypted: keep that key enabled to
            restore them.
          </li>
          <li>
            The service execution role and you need access to <strong>both keys</strong>: the old one to restore, the
            new one to write state.
          </li>
        </ul>
      </div>
      {same ? <p className="muted">That is the key configured now.</p> : null}
      <InlineError error={action.error} />
    </Dialog>
  );
}

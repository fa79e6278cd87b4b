import type { KeyRef, KeyView, SnapshotView } from '@mfc/contracts';
import { useState } from 'react';
import { useKeys, useSnapshots } from '../../api/queries';
import { hasRole } from '../../api/session';
import { ActionButton } from '../../components/ActionButton';
import { keyName } from '../../components/EncryptionBadge';
import { ErrorState, Loading } from '../../components/States';
import { Age, Timestamp } from '../../components/Time';
import { shortKey } from '../../format/format';
import { RotateKeyDialog } from '../../dialogs/KeyActionDialogs';
import { useNow } from '../../hooks/useNow';
import { useSession } from '../../hooks/useSession';
import { Link } from '../../router';
import { useActions } from './ActionsContext';
import { actionAvailability } from './actions';
import type { TabProps } from './ApplicationPage';
import { FLAG_TEXT } from './SnapshotsTab';

/** Snapshots grouped by the key that protects them (AWS owned, or each customer managed key). */
export function snapshotsByKey(snapshots: readonly SnapshotView[]): { key: KeyRef; snapshots: SnapshotView[] }[] {
  const groups = new Map<string, { key: KeyRef; snapshots: SnapshotView[] }>();
  for (const s of snapshots) {
    const id =
      s.encryption.keyType === 'AWS_OWNED_KEY' ? 'AWS_OWNED_KEY' : (s.encryption.keyArn ?? s.encryption.keyId ?? '?');
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { key: s.encryption, snapshots: [] }));
    g.snapshots.push(s);
  }
  return [...groups.values()];
}

export default function EncryptionTab({ app }: TabProps) {
  const session = useSession();
  const { open } = useActions();
  const keys = useKeys();
  const snapshots = useSnapshots(app.name);
  const now = useNow();
  const [rotating, setRotating] = useState<KeyView>();
  const enc = app.encryption;
  const configuredKey = keys.data?.keys.find((k) => k.arn === enc.configured.keyArn);
  const change = actionAvailability(app, 'changeEncryption', session);
  const canRotate = hasRole(session, 'operator');

  return (
    <div className="encryption">
      {enc.pendingRestart ? (
        <div className="callout callout--warning" data-testid="encryption-pending">
          <strong className="callout__title">Key change pending until restart</strong>
          <p>
            The configured key is not yet protecting the running state: it takes effect when the application next
            starts. Until then, state and new snapshots stay on the key in effect.
          </p>
        </div>
      ) : null}
      <div className="grid grid--two">
        <KeyCard
          title="Configured key"
          keyRef={enc.configured}
          testId="encryption-configured"
          note="What the next start will use."
        />
        <KeyCard
          title="Key in effect"
          keyRef={enc.inEffect}
          testId="encryption-in-effect"
          note={enc.inEffect ? 'Protecting the running state since the last start.' : 'Not running: no key in effect.'}
        />
      </div>

      <section className="card" aria-labelledby="enc-key-state">
        <div className="card__head">
          <h2 id="enc-key-state" className="card__title">
            Key state and rotation
          </h2>
          <div className="row-actions">
            <ActionButton
              action="changeKey"
              label="Change key"
              allowed={change.allowed}
              reason={change.reason}
              onClick={() => open('changeKey')}
            />
            {configuredKey ? (
              <ActionButton
                action="rotateKey"
                label="Rotate key now"
                allowed={canRotate && configuredKey.state === 'Enabled'}
                reason={!canRotate ? 'Needs the operator role.' : `The key is ${configuredKey.state}.`}
                onClick={() => setRotating(configuredKey)}
              />
            ) : null}
          </div>
        </div>
        {enc.configured.keyType === 'AWS_OWNED_KEY' ? (
          <p className="muted">
            An AWS owned key: AWS manages and rotates it, and no key policy or state can block this application. Choose
            a customer managed key to control access and rotation yourself.
          </p>
        ) : keys.isPending ? (
          <Loading />
        ) : keys.isError ? (
          <ErrorState error={keys.error} onRetry={() => void keys.refetch()} />
        ) : !configuredKey ? (
          <p className="text-danger" data-testid="key-state">
            The configured key {enc.configured.keyId} cannot be described: it may be missing or not accessible.
          </p>
        ) : (
          <dl className="facts facts--wrap">
            <div>
              <dt>State</dt>
              <dd
                data-testid="key-state"
                className={configuredKey.state === 'Enabled' ? undefined : 'text-danger strong'}
              >
                {configuredKey.state}
              </dd>
            </div>
            <div>
              <dt>Automatic rotation</dt>
              <dd data-testid="key-rotation">
                {configuredKey.rotation.enabled ? `Every ${configuredKey.rotation.periodDays ?? 365} days` : 'Off'}
              </dd>
            </div>
            {configuredKey.rotation.nextRotationAt ? (
              <div>
                <dt>Next rotation</dt>
                <dd>
                  <Timestamp at={configuredKey.rotation.nextRotationAt} />
                </dd>
              </div>
            ) : null}
            <div>
              <dt>Last on-demand rotation</dt>
              <dd>
                {configuredKey.rotation.lastOnDemandRotationAt ? (
                  <Age at={configuredKey.rotation.lastOnDemandRotationAt} now={now} />
                ) : (
                  'Never'
                )}
              </dd>
            </div>
            <div>
              <dt>Key</dt>
              <dd>
                <Link to="/keys">{configuredKey.aliases[0] ?? configuredKey.keyId}</Link>
              </dd>
            </div>
          </dl>
        )}
      </section>

      <section className="card" aria-labelledby="enc-snapshots">
        <h2 id="enc-snapshots" className="card__title">
          Keys the snapshots depend on
        </h2>
        <p className="muted">
          A snapshot stays on the key that protected it when it was taken. To restore it, that key must be enabled and
          the service role must still be allowed to use it.
        </p>
        {snapshots.isPending ? (
          <Loading />
        ) : snapshots.isError ? (
          <ErrorState error={snapshots.error} onRetry={() => void snapshots.refetch()} />
        ) : snapshots.data.snapshots.length === 0 ? (
          <p className="muted">No snapshots.</p>
        ) : (
          <table className="table" data-testid="snapshot-keys">
            <thead>
              <tr>
                <th scope="col">Key</th>
                <th scope="col">State</th>
                <th scope="col">Snapshots</th>
              </tr>
            </thead>
            <tbody>
              {snapshotsByKey(snapshots.data.snapshots).map((g) => {
                const flags = [...new Set(g.snapshots.flatMap((s) => s.flags))];
                return (
                  <tr key={g.key.keyArn ?? g.key.keyType} data-testid="snapshot-key-row">
                    <th scope="row">
                      {keyName(g.key)}
                      {g.key.keyArn ? <div className="mono small muted">{shortKey(g.key.keyArn)}</div> : null}
                    </th>
                    <td>
                      {g.key.keyType === 'AWS_OWNED_KEY' ? '—' : (g.key.keyState ?? 'unknown')}
                      {flags.map((f) => (
                        <span key={f} className={`tag ${f === 'older-key' ? 'tag--warning' : 'tag--danger'}`}>
                          {FLAG_TEXT[f] ?? f}
                        </span>
                      ))}
                    </td>
                    <td>
                      {g.snapshots.length}:{' '}
                      <span className="mono small">{g.snapshots.map((s) => s.name).join(', ')}</span>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>

      <section className="card" aria-labelledby="enc-caveats">
        <h2 id="enc-caveats" className="card__title">
          Before changing or rotating the key
        </h2>
        <ul className="caveats">
          <li>
            <strong>A restart is needed.</strong> A new key is used from the next start; a running application keeps its
            key in effect until it is stopped and started (or updated).
          </li>
          <li>
            <strong>Old snapshots stay on the old key.</strong> They are not re-encrypted: keep the old key enabled for
            as long as you may restore them.
          </li>
          <li>
            <strong>Access to both keys.</strong> The operator and the service execution role need the old key (to
            restore existing snapshots) and the new one (for new state), in the key policies.
          </li>
          <li>
            <strong>Rotation keeps the key id.</strong> KMS adds new key material and keeps the old material for
            decryption, so snapshots stay restorable and no restart is needed.
          </li>
        </ul>
      </section>
      {rotating ? <RotateKeyDialog keyView={rotating} onClose={() => setRotating(undefined)} /> : null}
    </div>
  );
}

function KeyCard({
  title,
  keyRef,
  note,
  testId,
}: {
  title: string;
  keyRef: KeyRef | undefined;
  note: string;
  testId: string;
}) {
  return (
    <section className="card key-card" aria-label={title} data-testid={testId} data-key-type={keyRef?.keyType ?? ''}>
      <h2 className="card__title">{title}</h2>
      {keyRef ? (
        <dl className="kv">
          <dt>Type</dt>
          <dd data-testid={`${testId}-type`}>
            {keyRef.keyType === 'AWS_OWNED_KEY' ? 'AWS owned key' : 'Customer managed key'}
          </dd>
          {keyRef.keyType === 'CUSTOMER_MANAGED_KEY' ? (
            <>
              <dt>Key</dt>
              <dd className="mono break" data-testid={`${testId}-key`}>
                {keyRef.keyId ?? '—'}
              </dd>
              <dt>ARN</dt>
              <dd className="mono break">{keyRef.keyArn ?? 'cannot be described'}</dd>
              {keyRef.aliases && keyRef.aliases.length > 0 ? (
                <>
                  <dt>Aliases</dt>
                  <dd className="mono">{keyRef.aliases.join(', ')}</dd>
                </>
              ) : null}
              <dt>State</dt>
              <dd
                className={keyRef.keyState === 'Enabled' ? undefined : 'text-danger strong'}
                data-testid={`${testId}-state`}
              >
                {keyRef.keyState ?? 'unknown'}
              </dd>
            </>
          ) : null}
        </dl>
      ) : (
        <p className="muted">—</p>
      )}
      <p className="muted small">{note}</p>
    </section>
  );
}

import type { KeyView } from '@mfc/contracts';
import { useState } from 'react';
import { useKeyAction } from '../api/mutations';
import { useKeys } from '../api/queries';
import { hasRole } from '../api/session';
import { ActionButton } from '../components/ActionButton';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Empty, ErrorState, Loading } from '../components/States';
import { Age, Timestamp } from '../components/Time';
import { toast } from '../components/Toaster';
import { useNow } from '../hooks/useNow';
import { usePageTitle } from '../hooks/usePageTitle';
import { useSession } from '../hooks/useSession';
import { Link } from '../router';
import { appPath } from '../routes';
import { EnableKeyDialog, RotateKeyDialog } from '../dialogs/KeyActionDialogs';
import '../styles/keys.css';

const USE_TEXT = {
  configured: 'configured (next start)',
  'in-effect': 'in effect (running)',
  'configured-and-in-effect': 'configured and in effect',
} as const;

export default function KeysPage() {
  usePageTitle('Keys');
  const keys = useKeys();
  const now = useNow();
  const session = useSession();
  const canOperate = hasRole(session, 'operator');
  const [dialog, setDialog] = useState<{ kind: 'enable' | 'disable' | 'rotate'; key: KeyView }>();
  return (
    <div className="page keys">
      <div className="page__head">
        <div>
          <h1 className="page__title">Keys</h1>
          <p className="page__subtitle">
            KMS keys and what depends on each: the applications configured with or running on a key, and the snapshots
            it protects.
          </p>
        </div>
      </div>
      {keys.isPending ? (
        <Loading label="Listing keys…" />
      ) : keys.isError ? (
        <ErrorState title="Could not list the keys" error={keys.error} onRetry={() => void keys.refetch()} />
      ) : keys.data.keys.length === 0 ? (
        <Empty title="No customer managed keys">Applications here use AWS owned keys.</Empty>
      ) : (
        <div className="key-list">
          {keys.data.keys.map((k) => (
            <article
              key={k.arn}
              className={`card key${k.state !== 'Enabled' ? ' key--off' : ''}`}
              data-testid="key-row"
              data-key-id={k.keyId}
              data-state={k.state}
              aria-labelledby={`key-${k.keyId}`}
            >
              <div className="card__head">
                <div>
                  <h2 id={`key-${k.keyId}`} className="card__title">
                    {k.aliases[0] ?? k.keyId}
                  </h2>
                  <p className="mono small muted">{k.arn}</p>
                </div>
                <div className="row-actions">
                  {k.state === 'Enabled' ? (
                    <ActionButton
                      action="disable-key"
                      label="Disable"
                      variant="danger"
                      allowed={canOperate}
                      reason="Needs the operator role."
                      onClick={() => setDialog({ kind: 'disable', key: k })}
                    />
                  ) : (
                    <ActionButton
                      action="enable-key"
                      label="Enable"
                      allowed={canOperate && k.state === 'Disabled'}
                      reason={canOperate ? `A key ${k.state} cannot be enabled here.` : 'Needs the operator role.'}
                      onClick={() => setDialog({ kind: 'enable', key: k })}
                    />
                  )}
                  <ActionButton
                    action="rotate-key"
                    label="Rotate now"
                    allowed={canOperate && k.state === 'Enabled'}
                    reason={canOperate ? `The key is ${k.state}.` : 'Needs the operator role.'}
                    onClick={() => setDialog({ kind: 'rotate', key: k })}
                  />
                </div>
              </div>
              <dl className="facts facts--wrap">
                <div>
                  <dt>State</dt>
                  <dd
                    className={k.state === 'Enabled' ? 'text-ok strong' : 'text-danger strong'}
                    data-testid="key-state"
                  >
                    {k.state}
                  </dd>
                </div>
                <div>
                  <dt>Aliases</dt>
                  <dd className="mono">{k.aliases.length ? k.aliases.join(', ') : '—'}</dd>
                </div>
                <div>
                  <dt>Rotation</dt>
                  <dd>
                    {k.rotation.enabled ? `Every ${k.rotation.periodDays ?? 365} days` : 'Automatic rotation off'}
                    {k.rotation.lastOnDemandRotationAt ? (
                      <span className="muted">
                        {' '}
                        · rotated <Age at={k.rotation.lastOnDemandRotationAt} now={now} />
                      </span>
                    ) : null}
                  </dd>
                </div>
                <div>
                  <dt>Created</dt>
                  <dd>
                    <Timestamp at={k.createdAt} />
                  </dd>
                </div>
                {k.deletionDate ? (
                  <div>
                    <dt>Deletion</dt>
                    <dd className="text-danger">
                      <Timestamp at={k.deletionDate} />
                    </dd>
                  </div>
                ) : null}
              </dl>
              {k.description ? <p className="muted">{k.description}</p> : null}
              <div className="grid grid--two">
                <div>
                  <h3 className="subhead">Applications ({k.dependents.applications.length})</h3>
                  {k.dependents.applications.length === 0 ? (
                    <p className="muted small">None.</p>
                  ) : (
                    <ul className="plain-list" data-testid="key-applications">
                      {k.dependents.applications.map((a) => (
                        <li key={a.name}>
                          <Link to={appPath(a.name, 'encryption')}>{a.name}</Link>{' '}
                          <span className="muted small">{USE_TEXT[a.use]}</span>
                        </li>
                      ))}
                    </ul>
                  )}
                </div>
                <div>
                  <h3 className="subhead">Snapshots ({k.dependents.snapshots.length})</h3>
                  {k.dependents.snapshots.length === 0 ? (
                    <p className="muted small">None.</p>
                  ) : (
                    <ul className="plain-list" data-testid="key-snapshots">
                      {k.dependents.snapshots.slice(0, 12).map((s) => (
                        <li key={`${s.application}/${s.name}`}>
                          <Link to={appPath(s.application, 'snapshots')}>{s.application}</Link>{' '}
                          <span className="mono small">{s.name}</span>
                        </li>
                      ))}
                      {k.dependents.snapshots.length > 12 ? (
                        <li className="muted small">and {k.dependents.snapshots.length - 12} more</li>
                      ) : null}
                    </ul>
                  )}
                </div>
              </div>
            </article>
          ))}
        </div>
      )}
      {dialog?.kind === 'disable' ? (
        <DisableKeyDialog keyView={dialog.key} onClose={() => setDialog(undefined)} />
      ) : null}
      {dialog?.kind === 'enable' ? <EnableKeyDialog keyView={dialog.key} onClose={() => setDialog(undefined)} /> : null}
      {dialog?.kind === 'rotate' ? <RotateKeyDialog keyView={dialog.key} onClose={() => setDialog(undefined)} /> : null}
    </div>
  );
}

function DisableKeyDialog({ keyView, onClose }: { keyView: KeyView; onClose: () => void }) {
  const action = useKeyAction();
  const apps = keyView.dependents.applications;
  const snaps = keyView.dependents.snapshots;
  return (
    <ConfirmDialog
      title={`Disable ${keyView.aliases[0] ?? keyView.keyId}`}
      expected={keyView.keyId}
      expectedWhat="the key id"
      confirmLabel="Disable key"
      busy={action.isPending}
      error={action.error}
      onClose={onClose}
      onConfirm={(confirm) =>
        action.mutate(
          { keyId: keyView.keyId, body: { action: 'disable', confirm } },
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
        <strong>Nothing can encrypt or decrypt with this key until it is enabled again.</strong>
      </p>
      <ul>
        <li>
          {apps.length === 0
            ? 'No application uses it.'
            : `${apps.map((a) => a.name).join(', ')} ${apps.length === 1 ? 'uses' : 'use'} it: a running job fails its next checkpoint, and a start or update fails.`}
        </li>
        <li>
          {snaps.length === 0
            ? 'No snapshot depends on it.'
            : `${snaps.length} snapshot${snaps.length === 1 ? '' : 's'} cannot be restored while it is disabled.`}
        </li>
      </ul>
    </ConfirmDialog>
  );
}

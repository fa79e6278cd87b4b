import type { ApplicationView } from '@mfc/contracts';
import { ActionButton } from '../../components/ActionButton';
import { AttentionFlag, AttentionReasons } from '../../components/AttentionFlag';
import { EncryptionBadge } from '../../components/EncryptionBadge';
import { OperationProgress } from '../../components/OperationProgress';
import { StatusBadge } from '../../components/StatusBadge';
import { formatRuntime } from '../../format/format';
import { useNow } from '../../hooks/useNow';
import { useSession } from '../../hooks/useSession';
import { useActions } from './ActionsContext';
import { ACTION_BAR, actionAvailability } from './actions';

export function ApplicationHeader({ app }: { app: ApplicationView }) {
  const now = useNow(1_000);
  const session = useSession();
  const { open } = useActions();
  const p = app.parallelism;
  return (
    <header className="app-head" data-testid="application-header">
      <div className="app-head__title">
        <h1 className="page__title" data-testid="application-name">
          {app.name}
        </h1>
        <StatusBadge status={app.status} />
        <AttentionFlag attention={app.attention} />
      </div>
      {app.description ? <p className="app-head__description">{app.description}</p> : null}
      <dl className="facts" data-testid="application-facts">
        <div>
          <dt>Version</dt>
          <dd data-testid="application-version">
            v{app.versionId}
            {app.rolledBackFrom !== undefined ? (
              <span className="muted"> (rolled back from v{app.rolledBackFrom})</span>
            ) : null}
          </dd>
        </div>
        <div>
          <dt>Runtime</dt>
          <dd>{formatRuntime(app.runtime)}</dd>
        </div>
        <div>
          <dt>KPUs</dt>
          <dd data-testid="application-kpus">
            {p.kpus}{' '}
            <span className="muted">
              (parallelism {p.currentParallelism}, {p.parallelismPerKpu}/KPU{p.autoScaling ? ', autoscaling' : ''})
            </span>
          </dd>
        </div>
        <div>
          <dt>Encryption</dt>
          <dd>
            <EncryptionBadge encryption={app.encryption} />
          </dd>
        </div>
      </dl>
      {app.currentOperation ? <OperationProgress operation={app.currentOperation} now={now} /> : null}
      <AttentionReasons attention={app.attention} name={app.name} unread={app.jobHealth?.unread} />
      <div className="action-bar" role="toolbar" aria-label="Actions" data-testid="action-bar">
        {ACTION_BAR.map((spec) => {
          const a = actionAvailability(app, spec.action, session);
          return (
            <ActionButton
              key={spec.dialog}
              action={spec.dialog}
              label={spec.label}
              allowed={a.allowed}
              reason={a.reason}
              variant={spec.variant}
              onClick={() => open(spec.dialog)}
            />
          );
        })}
      </div>
    </header>
  );
}

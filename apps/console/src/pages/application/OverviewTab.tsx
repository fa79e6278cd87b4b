import type { OperationView } from '@mfc/contracts';
import { keyName } from '../../components/EncryptionBadge';
import { Age, Timestamp } from '../../components/Time';
import { formatBytes, formatDuration, humanizeEnum, humanizeOperation } from '../../format/format';
import { useNow } from '../../hooks/useNow';
import { Link } from '../../router';
import { appPath } from '../../routes';
import { AdviceSection } from './AdviceSection';
import type { TabProps } from './ApplicationPage';

export default function OverviewTab({ app }: TabProps) {
  // Every second while an operation runs (its duration ticks), else every few seconds for ages.
  const now = useNow(app.currentOperation ? 1_000 : 5_000);
  const p = app.parallelism;
  const c = app.checkpointing;
  const code = app.code;
  return (
    <div className="overview">
      <AdviceSection app={app} />
      <div className="grid grid--three">
        <section className="card" aria-labelledby="ov-code">
          <h2 id="ov-code" className="card__title">
            Code
          </h2>
          <dl className="kv">
            <dt>Package</dt>
            <dd className="mono break" data-testid="overview-code">
              {code?.fileKey ?? '—'}
            </dd>
            <dt>Bucket</dt>
            <dd className="mono break">{code?.bucketArn?.replace('arn:aws:s3:::', '') ?? '—'}</dd>
            {code?.objectVersion ? (
              <>
                <dt>Object version</dt>
                <dd className="mono">{code.objectVersion}</dd>
              </>
            ) : null}
            <dt>Size</dt>
            <dd>{formatBytes(code?.size)}</dd>
            <dt>MD5</dt>
            <dd className="mono break">{code?.md5 ?? '—'}</dd>
          </dl>
        </section>
        <section className="card" aria-labelledby="ov-scale">
          <h2 id="ov-scale" className="card__title">
            Scaling
          </h2>
          <dl className="kv">
            <dt>Configuration</dt>
            <dd>{humanizeEnum(p.configurationType)}</dd>
            <dt>Parallelism</dt>
            <dd>
              {p.parallelism}
              {p.currentParallelism !== p.parallelism ? ` (current ${p.currentParallelism})` : ''}
            </dd>
            <dt>Per KPU</dt>
            <dd>{p.parallelismPerKpu}</dd>
            <dt>KPUs</dt>
            <dd>{p.kpus}</dd>
            <dt>Autoscaling</dt>
            <dd>{p.autoScaling ? 'On' : 'Off'}</dd>
          </dl>
        </section>
        <section className="card" aria-labelledby="ov-state">
          <h2 id="ov-state" className="card__title">
            State
          </h2>
          <dl className="kv">
            <dt>Checkpointing</dt>
            <dd>
              {c.enabled ? `Every ${formatDuration(c.intervalMs)}` : 'Off'}{' '}
              <span className="muted">({humanizeEnum(c.configurationType)})</span>
            </dd>
            <dt>Min pause</dt>
            <dd>{formatDuration(c.minPauseMs)}</dd>
            <dt>Snapshots</dt>
            <dd>{app.snapshotsEnabled ? 'Taken on stop and update' : 'Off'}</dd>
            <dt>System rollback</dt>
            <dd>{app.systemRollbackEnabled ? 'On' : 'Off'}</dd>
            <dt>Key</dt>
            <dd>
              <Link to={appPath(app.name, 'encryption')}>{keyName(app.encryption.configured)}</Link>
              {app.encryption.pendingRestart ? <span className="muted"> (pending restart)</span> : null}
            </dd>
            {app.runConfiguration ? (
              <>
                <dt>Last start</dt>
                <dd>
                  {humanizeEnum(app.runConfiguration.restoreType)}
                  {app.runConfiguration.snapshotName ? ` (${app.runConfiguration.snapshotName})` : ''}
                  {app.runConfiguration.allowNonRestoredState ? ', allow non-restored state' : ''}
                </dd>
              </>
            ) : null}
          </dl>
        </section>
      </div>

      <section className="card" aria-labelledby="ov-last-op">
        <h2 id="ov-last-op" className="card__title">
          {app.currentOperation ? 'Operation in progress' : 'Last operation'}
        </h2>
        {(app.currentOperation ?? app.lastOperation) ? (
          <OperationSummary op={(app.currentOperation ?? app.lastOperation)!} now={now} name={app.name} />
        ) : (
          <p className="muted">No operation yet: this application has never been started or changed.</p>
        )}
      </section>

      <section className="card" aria-labelledby="ov-props">
        <h2 id="ov-props" className="card__title">
          Runtime properties
        </h2>
        {app.properties.length === 0 ? (
          <p className="muted">No property groups. Add them with Update.</p>
        ) : (
          <div className="property-groups">
            {app.properties.map((g) => (
              <table key={g.groupId} className="table table--compact" data-testid="property-group">
                <caption className="table__caption">{g.groupId}</caption>
                <thead>
                  <tr>
                    <th scope="col">Key</th>
                    <th scope="col">Value</th>
                  </tr>
                </thead>
                <tbody>
                  {Object.entries(g.properties).map(([k, v]) => (
                    <tr key={k}>
                      <td className="mono">{k}</td>
                      <td className="mono break">{v}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ))}
          </div>
        )}
      </section>

      <section className="card" aria-labelledby="ov-app">
        <h2 id="ov-app" className="card__title">
          Application
        </h2>
        <dl className="facts facts--wrap facts--small">
          <div>
            <dt>Mode</dt>
            <dd>{humanizeEnum(app.mode)}</dd>
          </div>
          <div>
            <dt>Created</dt>
            <dd>
              <Timestamp at={app.createTimestamp} />
            </dd>
          </div>
          <div>
            <dt>Updated</dt>
            <dd>
              <Timestamp at={app.lastUpdateTimestamp} />
            </dd>
          </div>
          {app.maintenanceWindow ? (
            <div>
              <dt>Maintenance window</dt>
              <dd>
                {app.maintenanceWindow.start}–{app.maintenanceWindow.end} UTC
              </dd>
            </div>
          ) : null}
          <div>
            <dt>Service role</dt>
            <dd className="mono break">{app.serviceExecutionRole ?? '—'}</dd>
          </div>
          <div>
            <dt>ARN</dt>
            <dd className="mono break">{app.arn}</dd>
          </div>
        </dl>
      </section>
    </div>
  );
}

function OperationSummary({ op, now, name }: { op: OperationView; now: number; name: string }) {
  return (
    <div className="op-summary" data-testid="last-operation">
      <dl className="kv">
        <dt>Operation</dt>
        <dd>
          {humanizeOperation(op.operation)} <span className="mono muted">{op.id}</span>
        </dd>
        <dt>Status</dt>
        <dd>
          <span className={`op-status op-status--${op.status}`}>{op.status}</span>
        </dd>
        <dt>Started</dt>
        <dd>
          <Age at={op.startTime} now={now} />
        </dd>
        <dt>Duration</dt>
        <dd>{formatDuration((op.endTime ?? now) - op.startTime)}</dd>
        {op.versionFrom !== undefined && op.versionTo !== undefined && op.versionFrom !== op.versionTo ? (
          <>
            <dt>Version</dt>
            <dd>
              v{op.versionFrom} → v{op.versionTo}
            </dd>
          </>
        ) : null}
      </dl>
      {op.errorString ? (
        <p className="failure" data-testid="operation-error">
          {op.errorString}
        </p>
      ) : null}
      <Link to={appPath(name, 'operations')}>All operations</Link>
    </div>
  );
}

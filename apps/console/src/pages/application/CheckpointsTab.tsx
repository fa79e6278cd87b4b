import { useMemo } from 'react';
import { useCheckpoints } from '../../api/queries';
import { LineChartCard } from '../../charts/LineChartCard';
import { Empty, ErrorState, Loading } from '../../components/States';
import { Age } from '../../components/Time';
import { formatBytes, formatDuration, formatDurationShort, humanizeEnum } from '../../format/format';
import { useNow } from '../../hooks/useNow';
import type { TabProps } from './ApplicationPage';
import '../../styles/charts.css';

export default function CheckpointsTab({ app }: TabProps) {
  const q = useCheckpoints(app.name);
  const now = useNow();
  const history = q.data?.available ? q.data.history : undefined;
  const points = useMemo(
    () =>
      (history ?? [])
        .filter((c) => c.status !== 'IN_PROGRESS')
        .map((c) => ({ t: c.triggerTimestamp, duration: c.endToEndDurationMs, size: c.stateSize }))
        .sort((a, b) => a.t - b.t),
    [history],
  );
  if (q.isPending) return <Loading label="Reading checkpoints…" />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  const v = q.data;
  if (!v.available)
    return (
      <div className="checkpoints">
        <ConfiguredCheckpointing app={app} />
        <div className="callout callout--info" data-testid="checkpoints-unavailable">
          <strong className="callout__title">No checkpoint history to show</strong>
          <p>{v.reason}</p>
        </div>
      </div>
    );
  return (
    <div className="checkpoints">
      <section className="card" aria-labelledby="ckpt-config">
        <h2 id="ckpt-config" className="card__title">
          Configuration in force
        </h2>
        <dl className="facts facts--wrap" data-testid="checkpoint-config">
          <div>
            <dt>Checkpointing</dt>
            <dd>{v.config.enabled ? 'On' : 'Off'}</dd>
          </div>
          <div>
            <dt>Mode</dt>
            <dd>{humanizeEnum(v.config.mode)}</dd>
          </div>
          <div>
            <dt>Interval</dt>
            <dd>{formatDuration(v.config.intervalMs)}</dd>
          </div>
          <div>
            <dt>Min pause</dt>
            <dd>{formatDuration(v.config.minPauseMs)}</dd>
          </div>
          <div>
            <dt>Timeout</dt>
            <dd>{formatDuration(v.config.timeoutMs)}</dd>
          </div>
          <div>
            <dt>Completed</dt>
            <dd>{v.counts.completed}</dd>
          </div>
          <div>
            <dt>Failed</dt>
            <dd className={v.counts.failed > 0 ? 'text-danger strong' : undefined} data-testid="checkpoints-failed">
              {v.counts.failed}
            </dd>
          </div>
          <div>
            <dt>In progress</dt>
            <dd>{v.counts.inProgress}</dd>
          </div>
          <div>
            <dt>Restored</dt>
            <dd>{v.counts.restored}</dd>
          </div>
        </dl>
        {v.latestFailed ? (
          <p className="failure">
            Latest failure: checkpoint {v.latestFailed.id} <Age at={v.latestFailed.triggerTimestamp} now={now} />
            {v.latestFailed.failureMessage ? `: ${v.latestFailed.failureMessage}` : ''}
          </p>
        ) : null}
      </section>
      <div className="grid grid--charts">
        <LineChartCard
          title="Duration"
          testId="chart-checkpoint-duration"
          data={points}
          lines={[{ key: 'duration', label: 'End to end', color: 'var(--chart-1)' }]}
          formatY={(n) => formatDuration(n)}
          formatTick={formatDurationShort}
        />
        <LineChartCard
          title="State size"
          testId="chart-checkpoint-size"
          data={points}
          lines={[{ key: 'size', label: 'State size', color: 'var(--chart-2)' }]}
          formatY={(n) => formatBytes(n)}
        />
      </div>
      <section className="card" aria-labelledby="ckpt-history">
        <h2 id="ckpt-history" className="card__title">
          History
        </h2>
        {v.history.length === 0 ? (
          <Empty title="No checkpoint yet">
            The first one is triggered {formatDuration(v.config.intervalMs)} after the job starts.
          </Empty>
        ) : (
          <div className="table-scroll">
            <table className="table" data-testid="checkpoints-table">
              <thead>
                <tr>
                  <th scope="col" className="num">
                    ID
                  </th>
                  <th scope="col">Status</th>
                  <th scope="col">Type</th>
                  <th scope="col">Triggered</th>
                  <th scope="col" className="num">
                    Duration
                  </th>
                  <th scope="col" className="num">
                    State size
                  </th>
                  <th scope="col" className="num">
                    Checkpointed
                  </th>
                  <th scope="col">Failure</th>
                </tr>
              </thead>
              <tbody>
                {v.history.map((c) => (
                  <tr key={c.id} data-testid="checkpoint-row" data-status={c.status}>
                    <td className="num">{c.id}</td>
                    <td>
                      <span className={`op-status op-status--${c.status}`}>{c.status}</span>
                    </td>
                    <td>{humanizeEnum(c.type)}</td>
                    <td>
                      <Age at={c.triggerTimestamp} now={now} />
                    </td>
                    <td className="num">{formatDuration(c.endToEndDurationMs)}</td>
                    <td className="num">{formatBytes(c.stateSize)}</td>
                    <td className="num">{formatBytes(c.checkpointedSize)}</td>
                    <td className="break">{c.failureMessage ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}

/** Without a job the dashboard is gone, but the application's own configuration still says what will apply. */
function ConfiguredCheckpointing({ app }: TabProps) {
  const c = app.checkpointing;
  return (
    <section className="card" aria-labelledby="ckpt-configured">
      <h2 id="ckpt-configured" className="card__title">
        Configured checkpointing
      </h2>
      <dl className="facts facts--wrap">
        <div>
          <dt>Configuration</dt>
          <dd>{humanizeEnum(c.configurationType)}</dd>
        </div>
        <div>
          <dt>Checkpointing</dt>
          <dd>{c.enabled ? 'On' : 'Off'}</dd>
        </div>
        <div>
          <dt>Interval</dt>
          <dd>{formatDuration(c.intervalMs)}</dd>
        </div>
        <div>
          <dt>Min pause</dt>
          <dd>{formatDuration(c.minPauseMs)}</dd>
        </div>
      </dl>
    </section>
  );
}

import type { JobException, JobView } from '@mfc/contracts';
import { useExceptions, useJob, useVertex } from '../../api/queries';
import { StateLegend } from '../../components/StateLegend';
import { Empty, ErrorState, Loading } from '../../components/States';
import { Age } from '../../components/Time';
import { formatCompact, formatDuration, plural } from '../../format/format';
import { useNow } from '../../hooks/useNow';
import { JobGraph } from '../../job/JobGraph';
import { useSearchParam } from '../../router';
import type { TabProps } from './ApplicationPage';
import '../../styles/job.css';

export default function JobTab({ app }: TabProps) {
  const job = useJob(app.name);
  const [vertexId, setVertex] = useSearchParam('vertex');
  if (job.isPending) return <Loading label="Reading the Flink dashboard…" />;
  if (job.isError)
    return <ErrorState title="Could not read the job" error={job.error} onRetry={() => void job.refetch()} />;
  const view = job.data;
  if (!view.available)
    return (
      <div className="callout callout--info" data-testid="job-unavailable">
        <strong className="callout__title">No job to show</strong>
        <p>{view.reason}</p>
      </div>
    );
  const selected = view.vertices.find((v) => v.id === vertexId);
  return (
    <div className="job">
      <JobSummary job={view} />
      <div className="job__graph-head">
        <h2 className="section-title">Job graph</h2>
        <StateLegend />
      </div>
      <p className="muted job__hint">
        Sources on the left, sinks on the right. Select a vertex (click, or Enter) to see its subtasks.
      </p>
      <JobGraph
        vertices={view.vertices}
        edges={view.edges}
        selected={selected?.id}
        onSelect={(id) => setVertex(id === vertexId ? '' : id)}
      />
      {selected ? <SubtasksPanel name={app.name} vertexId={selected.id} onClose={() => setVertex('')} /> : null}
      <ExceptionHistory name={app.name} restarts={view.restarts} />
    </div>
  );
}

function JobSummary({ job }: { job: Extract<JobView, { available: true }> }) {
  const now = useNow(1_000);
  return (
    <section className="job-summary" aria-label="Job status" data-testid="job-summary">
      <dl className="facts">
        <div>
          <dt>Job</dt>
          <dd>
            <span className={`job-state job-state--${job.state}`} data-testid="job-state">
              {job.state}
            </span>{' '}
            <span className="muted mono" title="Job id">
              {job.jid.slice(0, 8)}
            </span>
          </dd>
        </div>
        <div>
          <dt>Restarts</dt>
          <dd className={job.restarts > 0 ? 'text-danger strong' : undefined} data-testid="job-restarts">
            {job.restarts}
          </dd>
        </div>
        <div>
          <dt>Running for</dt>
          <dd>{formatDuration(job.durationMs + Math.max(0, now - job.fetchedAt))}</dd>
        </div>
        <div>
          <dt>Vertices</dt>
          <dd>{job.vertices.length}</dd>
        </div>
      </dl>
      {job.latestException ? <LatestException exception={job.latestException} now={now} /> : null}
    </section>
  );
}

function LatestException({ exception, now }: { exception: JobException; now: number }) {
  return (
    <div className="callout callout--danger" data-testid="latest-exception">
      <strong className="callout__title">
        Latest exception <Age at={exception.timestamp} now={now} />
        {exception.taskName ? <span className="muted"> in {exception.taskName}</span> : null}
      </strong>
      <p className="mono break">{exception.message}</p>
      {exception.stacktrace ? (
        <details>
          <summary>Stack trace</summary>
          <pre className="stacktrace">{exception.stacktrace}</pre>
        </details>
      ) : null}
    </div>
  );
}

function SubtasksPanel({ name, vertexId, onClose }: { name: string; vertexId: string; onClose: () => void }) {
  const q = useVertex(name, vertexId);
  return (
    <section className="card subtasks" aria-labelledby="subtasks-title" data-testid="subtasks-panel">
      <div className="card__head">
        <h2 id="subtasks-title" className="card__title">
          {q.data ? `Subtasks of ${q.data.name}` : 'Subtasks'}
        </h2>
        <button type="button" className="button button--small" onClick={onClose}>
          Close
        </button>
      </div>
      {q.isPending ? (
        <Loading />
      ) : q.isError ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : (
        <div className="table-scroll">
          <table className="table" data-testid="subtasks-table">
            <thead>
              <tr>
                <th scope="col" className="num">
                  #
                </th>
                <th scope="col">State</th>
                <th scope="col" className="num">
                  Attempt
                </th>
                <th scope="col">TaskManager</th>
                <th scope="col">Endpoint</th>
                <th scope="col" className="num">
                  Duration
                </th>
                <th scope="col" className="num">
                  Records in
                </th>
                <th scope="col" className="num">
                  Records out
                </th>
              </tr>
            </thead>
            <tbody>
              {q.data.subtasks.map((s) => (
                <tr key={s.index} data-testid="subtask-row" data-state={s.state}>
                  <td className="num">{s.index}</td>
                  <td>
                    <span className="state-chip">
                      <svg width="10" height="10" aria-hidden="true">
                        <rect className={`cell cell--${s.state}`} width="10" height="10" rx="2" />
                      </svg>
                      {s.state}
                    </span>
                  </td>
                  <td className="num">{s.attempt}</td>
                  <td className="mono">{s.taskManagerId}</td>
                  <td className="mono">{s.endpoint}</td>
                  <td className="num">{formatDuration(s.durationMs)}</td>
                  <td className="num">{formatCompact(s.recordsIn)}</td>
                  <td className="num">{formatCompact(s.recordsOut)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function ExceptionHistory({ name, restarts }: { name: string; restarts: number }) {
  const q = useExceptions(name, restarts > 0);
  const now = useNow();
  if (restarts === 0) return null;
  return (
    <details className="card exceptions" data-testid="exception-history">
      <summary className="card__title">Exception history ({plural(restarts, 'restart')} so far)</summary>
      {q.isPending ? (
        <Loading />
      ) : q.isError ? (
        <ErrorState error={q.error} />
      ) : q.data.entries.length === 0 ? (
        <Empty title="No exceptions recorded" />
      ) : (
        <table className="table table--compact">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Task</th>
              <th scope="col">Exception</th>
            </tr>
          </thead>
          <tbody>
            {q.data.entries.map((e, i) => (
              <tr key={i}>
                <td>
                  <Age at={e.timestamp} now={now} />
                </td>
                <td>{e.taskName ?? '—'}</td>
                <td className="mono break">{e.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </details>
  );
}

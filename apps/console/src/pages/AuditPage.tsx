import { useAudit } from '../api/queries';
import { Empty, ErrorState, Loading } from '../components/States';
import { Age, Timestamp } from '../components/Time';
import { useNow } from '../hooks/useNow';
import { usePageTitle } from '../hooks/usePageTitle';

/** Parameters as a short line: the typed confirmations are left out (they repeat the target). */
export function formatParams(params: Record<string, unknown>): string {
  return Object.entries(params)
    .filter(([k]) => k !== 'confirm')
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
}

export default function AuditPage() {
  usePageTitle('Audit');
  const q = useAudit();
  const now = useNow();
  const entries = q.data?.pages.flatMap((p) => p.entries) ?? [];
  return (
    <div className="page audit">
      <div className="page__head">
        <div>
          <h1 className="page__title">Audit</h1>
          <p className="page__subtitle">Every action taken through the console: who, what, when and the outcome.</p>
        </div>
        <button type="button" className="button" onClick={() => void q.refetch()} disabled={q.isFetching}>
          {q.isFetching && !q.isFetchingNextPage ? 'Refreshing…' : 'Refresh'}
        </button>
      </div>
      {q.isPending ? (
        <Loading label="Reading the audit log…" />
      ) : q.isError ? (
        <ErrorState title="Could not read the audit log" error={q.error} onRetry={() => void q.refetch()} />
      ) : entries.length === 0 ? (
        <Empty title="Nothing recorded yet">
          Actions (start, stop, update, snapshots, keys, sign-ins) appear here.
        </Empty>
      ) : (
        <>
          <div className="table-scroll">
            <table className="table" data-testid="audit-table">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Who</th>
                  <th scope="col">Action</th>
                  <th scope="col">Target</th>
                  <th scope="col">Outcome</th>
                  <th scope="col">Details</th>
                </tr>
              </thead>
              <tbody>
                {entries.map((e) => (
                  <tr key={e.id} data-testid="audit-row" data-outcome={e.outcome}>
                    <td>
                      <Age at={e.at} now={now} />
                      <div className="small muted">
                        <Timestamp at={e.at} />
                      </div>
                    </td>
                    <td>
                      {e.user}
                      {e.role ? <span className="muted small"> ({e.role})</span> : null}
                    </td>
                    <td className="mono">{e.action}</td>
                    <td className="mono break">{e.target || '—'}</td>
                    <td>
                      <span className={`outcome outcome--${e.outcome}`}>{e.outcome}</span>
                    </td>
                    <td className="break small">
                      {formatParams(e.params) ? <div className="mono">{formatParams(e.params)}</div> : null}
                      {e.operationId ? <div className="muted">operation {e.operationId}</div> : null}
                      {e.error ? <div className="text-danger">{e.error}</div> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {q.hasNextPage ? (
            <button
              type="button"
              className="button"
              onClick={() => void q.fetchNextPage()}
              disabled={q.isFetchingNextPage}
              data-testid="audit-more"
            >
              {q.isFetchingNextPage ? 'Loading…' : 'Older entries'}
            </button>
          ) : (
            <p className="muted small">The beginning of the log.</p>
          )}
        </>
      )}
    </div>
  );
}

import type { PreflightRequest, PreflightResponse } from '@mfc/contracts';
import { useQuery } from '@tanstack/react-query';
import { preflight } from '../api/mutations';
import { ErrorState, Loading } from '../components/States';
import { formatCount } from '../format/format';
import { useDebounced } from '../hooks/useDebounced';

/**
 * The BFF's pre-flight answer for a start or update as the dialog's inputs change (debounced: it is a
 * POST and counts against the mutation rate limit).
 */
export function usePreflight(name: string, request: PreflightRequest | undefined) {
  const key = useDebounced(request ? JSON.stringify(request) : '', 500);
  return useQuery({
    queryKey: ['preflight', name, key],
    queryFn: ({ signal }) => preflight(name, JSON.parse(key) as PreflightRequest, signal),
    enabled: key !== '',
    staleTime: 0,
    gcTime: 30_000,
    retry: false,
  });
}

export function isBlocked(p: PreflightResponse | undefined): boolean {
  return p !== undefined && (!p.ok || p.items.some((i) => i.severity === 'blocking'));
}

const SEVERITY_LABEL = { blocking: 'Blocks', warning: 'Warning', info: 'Note' } as const;

export function PreflightPanel({ query }: { query: ReturnType<typeof usePreflight> }) {
  if (query.isPending && query.fetchStatus === 'idle') return null;
  return (
    <section className="preflight" aria-label="Pre-flight check" aria-live="polite" data-testid="preflight">
      <h3 className="preflight__title">Pre-flight check</h3>
      {query.isPending ? (
        <Loading label="Checking…" />
      ) : query.isError ? (
        <ErrorState title="The pre-flight check failed" error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <PreflightResult p={query.data} />
      )}
    </section>
  );
}

function PreflightResult({ p }: { p: PreflightResponse }) {
  const blocked = isBlocked(p);
  return (
    <>
      <p
        className={blocked ? 'text-danger strong' : 'text-ok strong'}
        data-testid="preflight-verdict"
        data-ok={!blocked}
      >
        {blocked ? 'This will fail: fix the blocking items first.' : 'No blocking issue found.'}
      </p>
      {p.items.length > 0 ? (
        <ul className="preflight__items">
          {p.items.map((i) => (
            <li
              key={`${i.code}-${i.message}`}
              className={`preflight__item preflight__item--${i.severity}`}
              data-testid="preflight-item"
              data-severity={i.severity}
              data-code={i.code}
            >
              <span className="preflight__severity">{SEVERITY_LABEL[i.severity]}</span>
              <span>{i.message}</span>
            </li>
          ))}
        </ul>
      ) : null}
      <dl className="facts facts--wrap facts--small">
        {p.restore?.snapshotName ? (
          <div>
            <dt>Restores</dt>
            <dd className="mono">{p.restore.snapshotName}</dd>
          </div>
        ) : null}
        {p.restore?.keyState ? (
          <div>
            <dt>Its key</dt>
            <dd className={p.restore.keyState === 'Enabled' ? undefined : 'text-danger strong'}>
              {p.restore.keyState}
            </dd>
          </div>
        ) : null}
        {p.droppedUids && p.droppedUids.length > 0 ? (
          <div>
            <dt>State dropped for</dt>
            <dd className="mono">{p.droppedUids.join(', ')}</dd>
          </div>
        ) : null}
        {p.kpus ? (
          <div>
            <dt>KPUs</dt>
            <dd>
              {p.kpus.current} → {p.kpus.next} <span className="muted">(limit {p.kpus.limit})</span>
            </dd>
          </div>
        ) : null}
        <div>
          <dt>Snapshot quota</dt>
          <dd>
            {formatCount(p.snapshotQuota.used)} / {formatCount(p.snapshotQuota.limit)}
          </dd>
        </div>
      </dl>
    </>
  );
}

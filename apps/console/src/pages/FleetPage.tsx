import { APPLICATION_STATUSES, type AlarmSummary, type FleetApplication } from '@mfc/contracts';
import { useWindowVirtualizer } from '@tanstack/react-virtual';
import { memo, useDeferredValue, useId, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useAlarmSummaries, useFleet } from '../api/queries';
import { useWatch } from '../api/watch';
import { AttentionFlag, SignalTag } from '../components/AttentionFlag';
import { Empty, ErrorState, Loading } from '../components/States';
import { StatusBadge } from '../components/StatusBadge';
import { adviceBadge } from '../format/advice';
import { formatAge, formatRuntime, plural } from '../format/format';
import { SIGNAL_LABELS, UNREAD_LABELS } from '../format/signals';
import { useNow } from '../hooks/useNow';
import { usePageTitle } from '../hooks/usePageTitle';
import { Link, useSearchParam } from '../router';
import { appPath } from '../routes';
import { AlarmCell } from './fleet/AlarmCell';
import { filterFleet, parseSort, SORT_LABELS, SORTS, summarize } from './fleet/filter';
import '../styles/fleet.css';
import '../styles/alarms.css';
import '../styles/advice.css';

const ROW_HEIGHT = 60;

export default function FleetPage() {
  usePageTitle('Fleet');
  const fleet = useFleet();
  const [q, setQ] = useSearchParam('q');
  const [status, setStatus] = useSearchParam('status');
  const [sortParam, setSort] = useSearchParam('sort', 'attention');
  const sort = parseSort(sortParam);
  // Typing stays responsive with 1,000 rows: the list filters on the deferred value.
  const deferredQ = useDeferredValue(q);
  const apps = fleet.data?.applications;
  const rows = useMemo(() => filterFleet(apps ?? [], { q: deferredQ, status, sort }), [apps, deferredQ, status, sort]);
  const summary = useMemo(() => summarize(apps ?? []), [apps]);
  const searchId = useId();
  const statusId = useId();
  const sortId = useId();

  return (
    <div className="page fleet">
      <div className="page__head">
        <div>
          <h1 className="page__title">Fleet</h1>
          {apps ? (
            <p className="page__subtitle" data-testid="fleet-summary">
              {plural(summary.total, 'application')} · {summary.running} running
              {summary.transitioning > 0 ? ` · ${summary.transitioning} changing` : ''}
              {summary.attention > 0 ? (
                <>
                  {' · '}
                  <button type="button" className="link-button attention-count" onClick={() => setStatus('attention')}>
                    {summary.attention} need{summary.attention === 1 ? 's' : ''} attention
                  </button>
                </>
              ) : null}
            </p>
          ) : null}
        </div>
      </div>

      <div className="toolbar" role="search" aria-label="Filter applications">
        <div className="field field--inline">
          <label htmlFor={searchId}>Search</label>
          <input
            id={searchId}
            type="search"
            className="input"
            placeholder="Application name"
            value={q}
            onChange={(e) => setQ(e.target.value)}
            data-testid="fleet-search"
          />
        </div>
        <div className="field field--inline">
          <label htmlFor={statusId}>Status</label>
          <select
            id={statusId}
            className="select"
            value={status}
            onChange={(e) => setStatus(e.target.value)}
            data-testid="fleet-status-filter"
          >
            <option value="">All statuses</option>
            <option value="attention">Needs attention</option>
            {APPLICATION_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <div className="field field--inline">
          <label htmlFor={sortId}>Sort</label>
          <select
            id={sortId}
            className="select"
            value={sort}
            onChange={(e) => setSort(e.target.value)}
            data-testid="fleet-sort"
          >
            {SORTS.map((s) => (
              <option key={s} value={s}>
                {SORT_LABELS[s]}
              </option>
            ))}
          </select>
        </div>
        {apps && (q || status) ? (
          <span className="muted toolbar__count" aria-live="polite">
            {rows.length} of {apps.length} shown
          </span>
        ) : null}
      </div>

      {fleet.isPending ? (
        <Loading label="Loading the fleet…" />
      ) : fleet.isError ? (
        <ErrorState title="Could not load the fleet" error={fleet.error} onRetry={() => void fleet.refetch()} />
      ) : apps!.length === 0 ? (
        <Empty title="No applications in this account and region">
          Create one with the AWS CLI or SDK (<code>create-application</code>); it appears here within seconds.
        </Empty>
      ) : rows.length === 0 ? (
        <Empty title="No application matches">
          <button
            type="button"
            className="link-button"
            onClick={() => {
              setQ('');
              setStatus('');
            }}
          >
            Clear the search and filter
          </button>
        </Empty>
      ) : (
        <FleetTable rows={rows} total={apps!.length} generatedAt={fleet.data!.generatedAt} />
      )}
    </div>
  );
}

function FleetTable({ rows, total, generatedAt }: { rows: FleetApplication[]; total: number; generatedAt: number }) {
  const listRef = useRef<HTMLDivElement>(null);
  const [scrollMargin, setScrollMargin] = useState(0);
  useLayoutEffect(() => {
    setScrollMargin(listRef.current?.offsetTop ?? 0);
  }, []);
  const virtualizer = useWindowVirtualizer({
    count: rows.length,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    scrollMargin,
    // Rows follow the scroll in React's own batch, not in a synchronous render inside each scroll event.
    useFlushSync: false,
  });
  const items = virtualizer.getVirtualItems();
  const now = useNow(5_000);
  // One summary for the whole fleet; each row looks its application up.
  const alarms = useAlarmSummaries().data?.applications;

  // Watch the RUNNING applications on screen: the BFF then reports their subtasks live.
  const visibleRunning = items
    .map((i) => rows[i.index])
    .filter((a): a is FleetApplication => a !== undefined && a.status === 'RUNNING')
    .map((a) => a.name);
  useWatch(visibleRunning, 0);

  return (
    <div
      className="fleet-table"
      role="table"
      aria-label="Applications"
      aria-rowcount={rows.length + 1}
      data-testid="fleet-table"
      data-total={total}
    >
      <div role="rowgroup" className="fleet-table__head">
        <div role="row" className="fleet-row fleet-row--head" aria-rowindex={1}>
          <span role="columnheader">Application</span>
          <span role="columnheader">Status</span>
          <span role="columnheader">Runtime</span>
          <span role="columnheader" className="num">
            Version
          </span>
          <span role="columnheader" className="num">
            KPUs
          </span>
          <span role="columnheader">Job health</span>
          <span role="columnheader">Alarms</span>
          <span role="columnheader">Attention</span>
        </div>
      </div>
      <div role="rowgroup" ref={listRef} className="fleet-table__body" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((item) => {
          const app = rows[item.index]!;
          return (
            <FleetRow
              key={app.name}
              app={app}
              now={now}
              generatedAt={generatedAt}
              alarms={alarms?.[app.name]}
              index={item.index}
              top={item.start - virtualizer.options.scrollMargin}
            />
          );
        })}
      </div>
    </div>
  );
}

export const FleetRow = memo(function FleetRow({
  app,
  now,
  generatedAt,
  alarms,
  index,
  top,
}: {
  app: FleetApplication;
  now: number;
  generatedAt: number;
  /** The CloudWatch alarms on the application (absent: none, or not read yet). */
  alarms?: AlarmSummary | undefined;
  index: number;
  top: number;
}) {
  const h = app.jobHealth;
  const restarts = h.restartsLast5m ?? 0;
  const [first, ...more] = app.attention.signals;
  const jobPending = h.unread?.some((u) => u.facts === 'job' && u.pending);
  const metricsUnread = h.unread?.find((u) => u.facts === 'metrics');
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      className={`fleet-row${app.attention.flag ? ' fleet-row--attention' : ''}`}
      style={{ transform: `translateY(${top}px)` }}
      data-testid="fleet-row"
      data-app={app.name}
      data-status={app.status}
      data-attention={app.attention.flag}
    >
      <span role="cell" className="fleet-row__name">
        <Link to={appPath(app.name)} className="app-link" data-testid="fleet-app-link">
          {app.name}
        </Link>
        <span className="fleet-row__sub muted">
          {app.encryption?.keyType === 'CUSTOMER_MANAGED_KEY' ? (
            <span className="tag tag--key" title={`Customer managed key ${app.encryption.keyId ?? ''}`}>
              CMK
            </span>
          ) : null}
          {app.detailsPending ? (
            <span data-testid="fleet-details-pending">reading details…</span>
          ) : app.lastOperation ? (
            <span className={app.lastOperation.status === 'FAILED' ? 'text-danger' : undefined}>
              {app.lastOperation.operation.replace('Application', '')} {app.lastOperation.status.toLowerCase()}{' '}
              {formatAge(app.lastOperation.endTime ?? app.lastOperation.startTime, now)}
            </span>
          ) : (
            <span>no operations yet</span>
          )}
        </span>
      </span>
      <span role="cell">
        <StatusBadge status={app.status} />
      </span>
      <span role="cell">{formatRuntime(app.runtime)}</span>
      <span role="cell" className="num">
        v{app.versionId}
      </span>
      <span role="cell" className="num">
        {app.kpus ?? (app.detailsPending ? '…' : '—')}
      </span>
      <span role="cell" className="health" data-testid="job-health">
        {app.status !== 'RUNNING' && h.source === 'none' ? (
          <span className="muted">no job</span>
        ) : (
          <>
            {h.subtasksTotal !== undefined ? (
              <span
                className={h.subtasksRunning === h.subtasksTotal ? 'health__ok' : 'health__warn'}
                title="Subtasks RUNNING / total"
                data-testid="job-health-subtasks"
              >
                {h.subtasksRunning}/{h.subtasksTotal} running
              </span>
            ) : null}
            {h.restartsLast5m !== undefined ? (
              <span
                className={restarts > 0 ? 'health__bad' : 'muted'}
                title="Full restarts in the last 5 minutes"
                data-testid="job-health-restarts"
              >
                {plural(restarts, 'restart')}/5 min
              </span>
            ) : null}
            {h.lastCheckpointAgeMs !== undefined ? (
              <span className="muted" title="Age of the last completed checkpoint">
                checkpoint {formatAge(generatedAt - h.lastCheckpointAgeMs, now)}
              </span>
            ) : null}
            {(h.failedCheckpointsLast5m ?? 0) > 0 ? (
              <span className="health__warn" title="Failed checkpoints in the last 5 minutes">
                {plural(h.failedCheckpointsLast5m!, 'failed checkpoint')}
              </span>
            ) : null}
            {/* What the BFF could not read is said, so a quiet row is never a guess. */}
            {jobPending ? (
              <span className="muted" data-testid="job-health-pending">
                reading job…
              </span>
            ) : null}
            {metricsUnread ? (
              <span className="muted" title={metricsUnread.reason} data-testid="job-health-unread">
                no {UNREAD_LABELS.metrics}
              </span>
            ) : null}
          </>
        )}
      </span>
      <span role="cell">
        <AlarmCell summary={alarms} />
      </span>
      <span role="cell" className="fleet-row__attention">
        {app.attention.flag ? (
          <>
            <AttentionFlag attention={app.attention} compact />
            <span className="fleet-row__signals">
              {first ? (
                <span className="fleet-row__tags">
                  <SignalTag signal={first} />
                  {more.length > 0 ? (
                    <span className="muted" title={more.map((s) => SIGNAL_LABELS[s.signal]).join(', ')}>
                      +{more.length}
                    </span>
                  ) : null}
                </span>
              ) : null}
              <span className="fleet-row__reason" title={app.attention.reasons.join('\n')}>
                {app.attention.reasons[0]}
              </span>
            </span>
          </>
        ) : (
          <span className="muted">—</span>
        )}
        <AdviceBadge app={app} />
      </span>
    </div>
  );
});

/** The advisor's count for a RUNNING application with findings: a link to its Advice section. */
function AdviceBadge({ app }: { app: FleetApplication }) {
  const badge = app.status === 'RUNNING' ? adviceBadge(app.advice) : undefined;
  if (!badge) return null;
  return (
    <Link
      to={`${appPath(app.name)}#advice`}
      className="advice-badge"
      title={badge.title}
      aria-label={`${badge.text} for ${app.name}: ${badge.title}`}
      data-testid="fleet-advice"
      data-findings={app.advice!.findings}
    >
      {badge.text}
    </Link>
  );
}

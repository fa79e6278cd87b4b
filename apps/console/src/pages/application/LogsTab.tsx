import { lazy, Suspense, useEffect, useId, useState } from 'react';
import { useLogs } from '../../api/queries';
import { Empty, ErrorState, Loading } from '../../components/States';
import { formatTime } from '../../format/format';
import { useDebounced } from '../../hooks/useDebounced';
import { navigate, useSearchParam } from '../../router';
import type { TabProps } from './ApplicationPage';
import '../../styles/insights.css';

// Insights brings its editor, table and timeline only when chosen.
const InsightsPanel = lazy(() => import('./insights/InsightsPanel'));

const MODES = [
  { id: 'lines', label: 'Log lines' },
  { id: 'insights', label: 'Insights' },
] as const;

const PRESETS = [
  { label: 'All', filter: '' },
  { label: 'State changes', filter: 'switched from' },
  { label: 'Failures', filter: 'to FAILED' },
  { label: 'Exceptions', filter: 'Exception' },
];

/**
 * The log API pages forward from the oldest line; what an operator wants is the newest. The tab follows
 * the pages to the end (at most this many, of 1,000 lines each) and shows the newest first.
 */
export const MAX_LOG_PAGES = 10;
const PAGE_SHOWN = 300;

/** Highlights "switched from X to Y" so the state change reads at a glance. */
export function splitTransition(
  message: string,
): { before: string; from: string; to: string; after: string } | undefined {
  const m = /^(.*?switched from (?:state )?)([A-Z_]+)( to )([A-Z_]+)(.*)$/.exec(message);
  if (!m) return undefined;
  return { before: m[1]!, from: m[2]!, to: m[4]!, after: m[5]! };
}

/** The log as lines with a filter, or Logs Insights queries over it: the mode is in the URL (`view`). */
export default function LogsTab({ app }: TabProps) {
  const [view] = useSearchParam('view', 'lines');
  const mode = view === 'insights' ? 'insights' : 'lines';
  return (
    <div className="logs-tab">
      <fieldset className="segmented logs-mode">
        <legend className="visually-hidden">Log view</legend>
        {MODES.map((m) => (
          <label key={m.id} className={`segmented__item${m.id === mode ? ' segmented__item--on' : ''}`}>
            <input
              type="radio"
              name="logs-mode"
              value={m.id}
              checked={m.id === mode}
              onChange={() => {
                // Each mode's own parameters (its range, filter, query) do not carry over.
                const params = new URLSearchParams();
                if (m.id !== 'lines') params.set('view', m.id);
                const q = params.toString();
                navigate(`${window.location.pathname}${q ? `?${q}` : ''}`, { replace: true });
              }}
              data-testid={`logs-mode-${m.id}`}
            />
            {m.label}
          </label>
        ))}
      </fieldset>
      {mode === 'insights' ? (
        <Suspense fallback={<Loading label="Loading Logs Insights…" />}>
          <InsightsPanel app={app} />
        </Suspense>
      ) : (
        <LogLines app={app} />
      )}
    </div>
  );
}

function LogLines({ app }: TabProps) {
  const [filterParam, setFilterParam] = useSearchParam('filter');
  const [text, setText] = useState(filterParam);
  const filter = useDebounced(text, 350);
  useEffect(() => {
    setFilterParam(filter);
  }, [filter, setFilterParam]);
  const q = useLogs(app.name, filterParam);
  const [shown, setShown] = useState(PAGE_SHOWN);
  const id = useId();
  const pages = q.data?.pages.length ?? 0;
  useEffect(() => {
    if (q.hasNextPage && !q.isFetchingNextPage && !q.isError && pages < MAX_LOG_PAGES) void q.fetchNextPage();
  }, [q, pages]);
  const all = q.data?.pages.flatMap((p) => p.lines) ?? [];
  const lines = all.slice(-shown).reverse();
  const following = q.hasNextPage && pages < MAX_LOG_PAGES;
  return (
    <div className="logs">
      <div className="toolbar">
        <div className="field field--inline">
          <label htmlFor={id}>Filter</label>
          <input
            id={id}
            type="search"
            className="input input--wide"
            placeholder="A phrase, e.g. switched from"
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              setShown(PAGE_SHOWN);
            }}
            data-testid="logs-filter"
          />
        </div>
        <div className="chips" role="group" aria-label="Common filters">
          {PRESETS.map((p) => (
            <button
              key={p.label}
              type="button"
              className="chip"
              aria-pressed={filterParam === p.filter}
              onClick={() => {
                setText(p.filter);
                setFilterParam(p.filter);
                setShown(PAGE_SHOWN);
              }}
            >
              {p.label}
            </button>
          ))}
        </div>
        <button type="button" className="button button--small" onClick={() => void q.refetch()} disabled={q.isFetching}>
          {q.isFetching ? 'Reading…' : 'Refresh'}
        </button>
      </div>
      {q.isPending ? (
        <Loading label="Reading the log…" />
      ) : q.isError ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : all.length === 0 ? (
        <Empty title={filterParam ? `No line contains “${filterParam}”` : 'The log is empty'} />
      ) : (
        <>
          <p className="muted small" aria-live="polite">
            Newest first: showing {lines.length} of {all.length} lines
            {following ? ', reading newer lines…' : ''}
            {!following && q.hasNextPage ? ` (only the oldest ${all.length} were read: narrow the filter)` : ''}
          </p>
          <div
            className="log"
            role="log"
            aria-label={`Log of ${app.name}, newest first`}
            data-testid="log-lines"
            tabIndex={0}
          >
            {lines.map((l, i) => {
              const t = splitTransition(l.message);
              return (
                <div
                  key={all.length - i}
                  className={`log__line log__line--${l.level}`}
                  data-testid="log-line"
                  data-level={l.level}
                >
                  <span className="log__time">{formatTime(l.timestamp)}</span>
                  <span className={`log__level log__level--${l.level}`}>{l.level}</span>
                  <span className="log__msg">
                    {t ? (
                      <>
                        {t.before}
                        <mark className={`log__state log__state--${t.from}`}>{t.from}</mark> to{' '}
                        <mark className={`log__state log__state--${t.to}`}>{t.to}</mark>
                        {t.after}
                      </>
                    ) : (
                      l.message
                    )}
                  </span>
                </div>
              );
            })}
          </div>
          {lines.length < all.length ? (
            <button
              type="button"
              className="button"
              onClick={() => setShown((n) => n + PAGE_SHOWN)}
              data-testid="logs-more"
            >
              Show {Math.min(PAGE_SHOWN, all.length - lines.length)} older lines
            </button>
          ) : null}
        </>
      )}
    </div>
  );
}

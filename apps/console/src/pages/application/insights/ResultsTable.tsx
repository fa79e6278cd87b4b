import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useDeferredValue, useId, useMemo, useRef, useState } from 'react';
import { STATE_ORDER } from '../../../job/states';
import { formatCount } from '../../../format/format';
import { formatInsightsTime, parseInsightsTime } from './timeline';

const ROW_HEIGHT = 31;
/** Up to this many rows are simply rendered; beyond, only those in view. */
export const VIRTUAL_FROM = 200;
const STATES = new Set<string>(STATE_ORDER);

const MESSAGE = '"message":"';

/**
 * A value as an operator reads it: times in local time, Flink states with their colour, and a value
 * parsed from the start of the service's JSON document (the guidance's `task`) without the document's
 * other members in front of Flink's text (elided, in the title).
 */
const Cell = memo(function Cell({ value }: { value: string }) {
  const m = value.startsWith('{"') && !value.endsWith('}') ? value.lastIndexOf(MESSAGE) : -1;
  if (m !== -1)
    return (
      <>
        <span className="insights-elided" title={value}>
          {'{…}'}
        </span>{' '}
        {value.slice(m + MESSAGE.length).replace(/\\(["\\/])/g, '$1')}
      </>
    );
  if (STATES.has(value))
    return (
      <span className="insights-state">
        <svg width="10" height="10" aria-hidden="true">
          <rect className={`cell cell--${value}`} width="10" height="10" rx="2" />
        </svg>
        {value}
      </span>
    );
  if (parseInsightsTime(value) !== undefined)
    return (
      <time className="insights-time" dateTime={`${value.replace(' ', 'T')}Z`} title={`${value} UTC`}>
        {formatInsightsTime(value)}
      </time>
    );
  return <>{value}</>;
});

/**
 * The results, columns in the query's order. A query may return 10,000 rows: only those in view are
 * rendered (the scroll box keeps the header in place).
 */
export function ResultsTable({ fields, rows }: { fields: readonly string[]; rows: readonly Record<string, string>[] }) {
  const [filter, setFilter] = useState('');
  const needle = useDeferredValue(filter.trim().toLowerCase());
  const shown = useMemo(
    () => (needle ? rows.filter((r) => fields.some((f) => r[f]?.toLowerCase().includes(needle))) : rows),
    [rows, fields, needle],
  );
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtual = shown.length > VIRTUAL_FROM;
  const virtualizer = useVirtualizer({
    count: virtual ? shown.length : 0,
    enabled: virtual,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    initialRect: { width: 1000, height: 520 },
    useFlushSync: false,
  });
  const items = virtual
    ? virtualizer.getVirtualItems()
    : shown.map((_, index) => ({ index, key: index, start: 0, end: 0 }));
  const padTop = virtual ? (items[0]?.start ?? 0) : 0;
  const padBottom = virtual ? virtualizer.getTotalSize() - (items[items.length - 1]?.end ?? 0) : 0;
  const id = useId();

  return (
    <section className="insights-results" aria-labelledby={`${id}-title`}>
      <div className="toolbar toolbar--spread insights-results__bar">
        <h3 id={`${id}-title`} className="insights-results__title">
          Results
        </h3>
        <div className="field field--inline">
          <label htmlFor={`${id}-filter`}>Find in results</label>
          <input
            id={`${id}-filter`}
            type="search"
            className="input"
            placeholder="e.g. FAILED"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
            data-testid="insights-filter"
          />
        </div>
        <span className="muted small toolbar__count" aria-live="polite" data-testid="insights-count">
          {shown.length === rows.length
            ? `${formatCount(rows.length)} rows`
            : `${formatCount(shown.length)} of ${formatCount(rows.length)} rows`}
        </span>
      </div>
      <div
        ref={scrollRef}
        className="insights-table"
        role="region"
        aria-label="Query results"
        tabIndex={0}
        data-testid="insights-table"
      >
        <table className="table table--compact" aria-rowcount={shown.length + 1}>
          <thead>
            <tr aria-rowindex={1}>
              {fields.map((f) => (
                <th key={f} scope="col">
                  {f}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {padTop > 0 ? <tr aria-hidden="true" style={{ height: padTop }} /> : null}
            {items.map((item) => {
              const row = shown[item.index]!;
              return (
                <tr
                  key={item.key}
                  ref={virtual ? virtualizer.measureElement : undefined}
                  data-index={item.index}
                  aria-rowindex={item.index + 2}
                  data-testid="insights-row"
                >
                  {fields.map((f) => (
                    <td key={f} data-field={f}>
                      <Cell value={row[f] ?? ''} />
                    </td>
                  ))}
                </tr>
              );
            })}
            {padBottom > 0 ? <tr aria-hidden="true" style={{ height: padBottom }} /> : null}
          </tbody>
        </table>
        {shown.length === 0 ? <p className="muted insights-table__none">No row contains “{filter}”.</p> : null}
      </div>
    </section>
  );
}

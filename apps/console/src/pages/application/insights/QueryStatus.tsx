import type { InsightsResults, InsightsStatus } from '@mfc/contracts';
import { formatBytes, formatCount, formatTime } from '../../../format/format';

const WORDS: Record<InsightsStatus, string> = {
  Scheduled: 'Scheduled…',
  Running: 'Running…',
  Complete: 'Complete',
  Failed: 'The query failed',
  Cancelled: 'Stopped',
  Timeout: 'Timed out (a query runs at most 60 minutes)',
  Unknown: 'Status unknown',
};

export const isActive = (s: InsightsStatus | undefined) => s === 'Scheduled' || s === 'Running';

/** Where the query is, and how much of the log it read: the statistics GetQueryResults reports. */
export function QueryStatus({
  status,
  results,
  range,
}: {
  status: InsightsStatus;
  results: InsightsResults | undefined;
  range: { from: number; to: number };
}) {
  const stats = results?.statistics;
  const tone = status === 'Complete' ? 'ok' : isActive(status) ? 'active' : 'bad';
  return (
    <div
      className={`insights-status insights-status--${tone}`}
      role="status"
      aria-live="polite"
      data-testid="insights-status"
      data-status={status}
    >
      {isActive(status) ? <span className="spinner" aria-hidden="true" /> : null}
      <strong className="insights-status__word">{WORDS[status]}</strong>
      {stats ? (
        <span className="insights-status__stats">
          {formatCount(results!.rows.length)} {results!.rows.length === 1 ? 'row' : 'rows'} ·{' '}
          {formatCount(stats.recordsMatched)} records matched of {formatCount(stats.recordsScanned)} scanned ·{' '}
          {formatBytes(stats.bytesScanned)} scanned
        </span>
      ) : null}
      <span className="insights-status__range muted">
        {formatTime(range.from)} – {formatTime(range.to)}
      </span>
    </div>
  );
}

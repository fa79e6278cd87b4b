import type { OperationView } from '@mfc/contracts';
import { useOperations } from '../../api/queries';
import { Empty, ErrorState, Loading } from '../../components/States';
import { Age } from '../../components/Time';
import { formatDuration, formatTime, humanizeOperation } from '../../format/format';
import { useNow } from '../../hooks/useNow';
import type { TabProps } from './ApplicationPage';

/** Where the processing downtime falls inside an operation, as fractions of its duration (for the bar). */
export function downtimeSpan(op: OperationView, now: number): { left: number; width: number } | undefined {
  if (!op.downtime) return undefined;
  const end = op.endTime ?? now;
  const total = end - op.startTime;
  if (total <= 0) return undefined;
  const from = Math.max(op.downtime.start, op.startTime);
  const to = Math.min(op.downtime.end ?? end, end);
  if (to <= from) return undefined;
  return { left: (from - op.startTime) / total, width: (to - from) / total };
}

export default function OperationsTab({ app }: TabProps) {
  const q = useOperations(app.name);
  const now = useNow(1_000);
  if (q.isPending) return <Loading label="Listing operations…" />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  const ops = [...q.data.operations].sort((a, b) => b.startTime - a.startTime);
  if (ops.length === 0)
    return <Empty title="No operations yet">Start or update the application to see them here.</Empty>;
  const byId = new Map(ops.map((o) => [o.id, o]));
  const longest = Math.max(...ops.map((o) => (o.endTime ?? now) - o.startTime), 1);
  return (
    <ol className="timeline" aria-label="Operations, newest first" data-testid="operations-timeline">
      {ops.map((op) => {
        const duration = (op.endTime ?? now) - op.startTime;
        const down = downtimeSpan(op, now);
        const rollback = op.rollbackOperationId ? byId.get(op.rollbackOperationId) : undefined;
        return (
          <li
            key={op.id}
            id={`op-${op.id}`}
            className={`timeline__item timeline__item--${op.status}`}
            data-testid="operation-row"
            data-operation-id={op.id}
            data-status={op.status}
          >
            <span className="timeline__marker" aria-hidden="true" />
            <div className="timeline__body">
              <div className="timeline__head">
                <strong>{humanizeOperation(op.operation)}</strong>
                <span className={`op-status op-status--${op.status}`}>{op.status}</span>
                {op.versionFrom !== undefined && op.versionTo !== undefined && op.versionFrom !== op.versionTo ? (
                  <span className="tag tag--neutral" data-testid="operation-version">
                    v{op.versionFrom} → v{op.versionTo}
                  </span>
                ) : null}
                <span className="muted">
                  <Age at={op.startTime} now={now} /> · {formatDuration(duration)}
                  {op.status === 'IN_PROGRESS' ? ' so far' : ''}
                </span>
                <span className="muted mono small">{op.id}</span>
              </div>
              <div
                className="duration-bar"
                title={`${formatTime(op.startTime)} → ${op.endTime ? formatTime(op.endTime) : 'now'}`}
              >
                <div
                  className="duration-bar__fill"
                  style={{ width: `${Math.max(2, (duration / longest) * 100)}%` }}
                  data-testid="operation-duration"
                >
                  {down ? (
                    <div
                      className="duration-bar__downtime"
                      style={{ left: `${down.left * 100}%`, width: `${Math.max(down.width * 100, 1.5)}%` }}
                      data-testid="operation-downtime"
                      title={`Processing stopped for ${formatDuration((op.downtime!.end ?? now) - op.downtime!.start)}`}
                    />
                  ) : null}
                </div>
              </div>
              {op.downtime ? (
                <p className="small muted">
                  Processing downtime: {formatDuration((op.downtime.end ?? now) - op.downtime.start)}
                  {op.downtime.end === undefined ? ' (still down)' : ''}
                </p>
              ) : null}
              {op.errorString ? (
                <p className="failure" data-testid="operation-error">
                  {op.errorString}
                </p>
              ) : null}
              {op.rollbackOperationId ? (
                <p className="small">
                  Rolled back by{' '}
                  {rollback ? (
                    <a href={`#op-${rollback.id}`}>
                      {humanizeOperation(rollback.operation)} {rollback.id} ({rollback.status})
                    </a>
                  ) : (
                    <span className="mono">{op.rollbackOperationId}</span>
                  )}
                </p>
              ) : null}
            </div>
          </li>
        );
      })}
    </ol>
  );
}

import type { OperationPhase, OperationView } from '@mfc/contracts';
import { formatDuration, humanizeOperation } from '../format/format';

export const PHASE_LABELS: Record<OperationPhase, string> = {
  provisioning: 'Provisioning',
  snapshot: 'Taking snapshot',
  stopping: 'Stopping job',
  restoring: 'Restoring state',
  initializing: 'Initializing job',
  running: 'Running',
};

/** The operation in progress: its phases as steps and a progress bar through them. */
export function OperationProgress({ operation, now }: { operation: OperationView; now: number }) {
  const phases = operation.phases ?? [];
  const progress = Math.round((operation.progress ?? 0) * 100);
  const active = phases.find((p) => p.state === 'active');
  const activeIndex = active ? phases.indexOf(active) + 1 : phases.filter((p) => p.state === 'done').length;
  const text = active
    ? `${PHASE_LABELS[active.name]} (step ${activeIndex} of ${phases.length})`
    : `${progress}% complete`;
  return (
    <section className="operation" aria-label="Operation in progress" data-testid="current-operation">
      <div className="operation__head">
        <strong>{humanizeOperation(operation.operation)}</strong>
        <span className="muted">
          {operation.id} · running for {formatDuration(now - operation.startTime)}
        </span>
        <span className="operation__percent">{progress}%</span>
      </div>
      <div
        className="progress"
        role="progressbar"
        aria-label={`${humanizeOperation(operation.operation)} progress`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={progress}
        aria-valuetext={text}
        data-testid="operation-progress"
      >
        <div className="progress__bar" style={{ width: `${progress}%` }} />
      </div>
      {phases.length > 0 ? (
        <ol className="phases" aria-label="Phases">
          {phases.map((p) => (
            <li key={p.name} className={`phase phase--${p.state}`} data-phase={p.name} data-state={p.state}>
              <span className="phase__marker" aria-hidden="true" />
              <span>{PHASE_LABELS[p.name]}</span>
              <span className="visually-hidden">
                {p.state === 'done' ? ' (done)' : p.state === 'active' ? ' (in progress)' : ' (pending)'}
              </span>
            </li>
          ))}
        </ol>
      ) : null}
    </section>
  );
}

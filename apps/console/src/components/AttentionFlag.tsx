import type { Attention } from '@mfc/contracts';

/**
 * "Needs attention": the BFF's verdict that something is wrong behind a status that looks fine (a RUNNING
 * application whose job restarts, failing checkpoints, a failed last operation). Reasons are the text.
 */
export function AttentionFlag({ attention, compact = false }: { attention: Attention; compact?: boolean }) {
  if (!attention.flag) return null;
  const reasons = attention.reasons.join(' ');
  return (
    <span
      className={`attention${compact ? ' attention--compact' : ''}`}
      data-testid="attention-flag"
      title={reasons}
      aria-label={`Needs attention: ${reasons}`}
      role="img"
    >
      <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" className="attention__icon">
        <path d="M8 1.5 15 14H1L8 1.5Z" fill="currentColor" />
        <path d="M8 6v4" stroke="var(--attention-ink)" strokeWidth="1.6" strokeLinecap="round" />
        <circle cx="8" cy="12" r="0.9" fill="var(--attention-ink)" />
      </svg>
      {compact ? null : <span>Needs attention</span>}
    </span>
  );
}

/** The reasons, for the application header: one line each, next to what the operator can do about it. */
export function AttentionReasons({ attention }: { attention: Attention }) {
  if (!attention.flag) return null;
  return (
    <div className="attention-reasons" data-testid="attention-reasons">
      <strong className="attention-reasons__title">Needs attention</strong>
      <ul className="attention-reasons__list">
        {attention.reasons.map((r) => (
          <li key={r}>{r}</li>
        ))}
      </ul>
    </div>
  );
}

import type { Attention, AttentionSignal, UnreadFacts } from '@mfc/contracts';
import { SIGNAL_LABELS, UNREAD_LABELS } from '../format/signals';
import { Link } from '../router';
import { appPath, TAB_LABELS } from '../routes';

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

/** Which signal raised a flag, in a word or two. */
export function SignalTag({ signal }: { signal: AttentionSignal }) {
  return (
    <span className="tag signal-tag" data-testid="attention-signal" data-signal={signal.signal}>
      {SIGNAL_LABELS[signal.signal]}
    </span>
  );
}

/**
 * The signals, for the application header: one line each, what raised it, what it says and the tab that
 * shows the evidence. Facts the BFF could not read are said too, so a quiet header is never a guess.
 */
export function AttentionReasons({
  attention,
  name,
  unread = [],
}: {
  attention: Attention;
  name: string;
  unread?: UnreadFacts[];
}) {
  // A failed dashboard read is a signal of its own; whatever else is missing (metrics) is said below.
  const jobUnreadable = attention.signals.some((s) => s.signal === 'job-unreadable');
  const untold = unread.filter((u) => u.facts === 'metrics' || u.pending || !jobUnreadable);
  if (!attention.flag && untold.length === 0) return null;
  return (
    <>
      {attention.flag ? (
        <div className="attention-reasons" data-testid="attention-reasons">
          <strong className="attention-reasons__title">Needs attention</strong>
          <ul className="attention-reasons__list">
            {attention.signals.map((s) => (
              <li key={s.signal} className="attention-reasons__item">
                <SignalTag signal={s} />
                <span className="attention-reasons__message">
                  {s.message}{' '}
                  {s.tab ? (
                    <Link
                      to={appPath(name, s.tab)}
                      className="attention-reasons__evidence"
                      data-testid="attention-evidence"
                    >
                      {TAB_LABELS[s.tab]} →
                    </Link>
                  ) : null}
                </span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {untold.length > 0 ? (
        <p className="health-unread muted" data-testid="health-unread">
          {untold.map((u) => `Judged without ${UNREAD_LABELS[u.facts]}: ${u.reason}`).join(' ')}
        </p>
      ) : null}
    </>
  );
}

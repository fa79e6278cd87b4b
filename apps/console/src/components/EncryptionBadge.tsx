import type { ApplicationView, KeyRef } from '@mfc/contracts';
import { shortKey } from '../format/format';

/** How a key is named for an operator: its alias when it has one, else its id. */
export function keyName(key: KeyRef | undefined): string {
  if (!key) return '—';
  if (key.keyType === 'AWS_OWNED_KEY') return 'AWS owned key';
  return key.aliases?.[0] ?? (key.keyId?.startsWith('alias/') ? key.keyId : shortKey(key.keyArn ?? key.keyId));
}

/** The key protecting the application's state, with its state when it is not Enabled and a pending change. */
export function EncryptionBadge({ encryption }: { encryption: ApplicationView['encryption'] }) {
  const c = encryption.configured;
  const cmk = c.keyType === 'CUSTOMER_MANAGED_KEY';
  const bad = cmk && c.keyState !== undefined && c.keyState !== 'Enabled';
  return (
    <span className="encryption-badge" data-testid="encryption-badge" data-key-type={c.keyType}>
      <span className={`tag ${cmk ? 'tag--key' : 'tag--neutral'}`}>
        <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
          <rect x="3" y="7" width="10" height="7" rx="1.5" fill="currentColor" />
          <path d="M5.5 7V5a2.5 2.5 0 0 1 5 0v2" stroke="currentColor" strokeWidth="1.6" fill="none" />
        </svg>
        {cmk ? 'Customer managed key' : 'AWS owned key'}
      </span>
      {cmk ? <span className="mono">{keyName(c)}</span> : null}
      {bad ? <span className="tag tag--danger">key {c.keyState}</span> : null}
      {encryption.pendingRestart ? (
        <span className="tag tag--warning" title="The configured key takes effect at the next start">
          pending restart
        </span>
      ) : null}
    </span>
  );
}

import { useId, type ReactNode } from 'react';

interface ActionButtonProps {
  action: string;
  label: ReactNode;
  allowed: boolean;
  /** Why the action is not available now; shown on hover and focus, and read as the button's description. */
  reason?: string | undefined;
  onClick: () => void;
  variant?: 'default' | 'primary' | 'danger';
}

/**
 * A button that stays focusable when the action is not allowed (aria-disabled rather than disabled), so a
 * keyboard user can reach it and read why.
 */
export function ActionButton({ action, label, allowed, reason, onClick, variant = 'default' }: ActionButtonProps) {
  const tipId = useId();
  return (
    <span className="action">
      <button
        type="button"
        className={`button button--${variant}`}
        data-testid={`action-${action}`}
        aria-disabled={!allowed}
        aria-describedby={!allowed && reason ? tipId : undefined}
        onClick={() => {
          if (allowed) onClick();
        }}
      >
        {label}
      </button>
      {!allowed && reason ? (
        <span role="tooltip" id={tipId} className="tooltip" data-testid={`action-${action}-reason`}>
          {reason}
        </span>
      ) : null}
    </span>
  );
}

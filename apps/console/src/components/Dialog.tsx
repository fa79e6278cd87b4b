import { useEffect, useId, useRef, type ReactNode } from 'react';

interface DialogProps {
  title: ReactNode;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  size?: 'normal' | 'wide';
  testId?: string;
  /** Submitting the dialog's form (Enter in a field, or a submit button). */
  onSubmit?: () => void;
}

/**
 * A modal dialog on the native <dialog> element: the page behind is inert, Tab stays inside, Escape
 * closes (the `cancel` event), and focus goes back to what opened it. Mount it to open it.
 */
export function Dialog({
  title,
  onClose,
  children,
  footer,
  size = 'normal',
  testId = 'dialog',
  onSubmit,
}: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const closeRef = useRef(onClose);
  closeRef.current = onClose;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) {
      if (typeof dialog.showModal === 'function') dialog.showModal();
      else dialog.setAttribute('open', '');
    }
    // Focus what the operator acts on first: a marked field, else the first field of the body, else the
    // confirm button; the header's close button only as a last resort.
    const first =
      dialog.querySelector<HTMLElement>('[data-autofocus]') ??
      dialog.querySelector<HTMLElement>('.dialog__body input, .dialog__body select, .dialog__body textarea') ??
      dialog.querySelector<HTMLElement>('.dialog__footer [type="submit"]:not(:disabled)') ??
      dialog.querySelector<HTMLElement>('button');
    first?.focus();
    return () => {
      if (dialog.open && typeof dialog.close === 'function') dialog.close();
      opener?.focus();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      className={`dialog dialog--${size}`}
      aria-labelledby={titleId}
      aria-modal="true"
      data-testid={testId}
      onCancel={(e) => {
        e.preventDefault();
        closeRef.current();
      }}
    >
      <form
        className="dialog__form"
        onSubmit={(e) => {
          e.preventDefault();
          onSubmit?.();
        }}
      >
        <header className="dialog__header">
          <h2 id={titleId} className="dialog__title">
            {title}
          </h2>
          <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
            <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
              <path d="M4 4l8 8M12 4l-8 8" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
            </svg>
          </button>
        </header>
        <div className="dialog__body">{children}</div>
        {footer ? <footer className="dialog__footer">{footer}</footer> : null}
      </form>
    </dialog>
  );
}

/** The footer most dialogs have: Cancel, and the submit button the tests and the keyboard reach as confirm. */
export function SubmitFooter({
  onCancel,
  label,
  disabled,
  tone = 'primary',
  autoFocus = false,
}: {
  onCancel: () => void;
  label: ReactNode;
  disabled: boolean;
  tone?: 'primary' | 'danger';
  autoFocus?: boolean;
}) {
  return (
    <>
      <button type="button" className="button" onClick={onCancel}>
        Cancel
      </button>
      <button
        type="submit"
        className={`button button--${tone}`}
        disabled={disabled}
        data-testid="confirm-button"
        {...(autoFocus ? { 'data-autofocus': true } : {})}
      >
        {label}
      </button>
    </>
  );
}

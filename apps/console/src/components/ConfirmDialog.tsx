import { useId, useState, type ReactNode } from 'react';
import { Dialog, SubmitFooter } from './Dialog';
import { InlineError } from './States';

/** A destructive action goes ahead only when the name is typed exactly (case and all, no trimming). */
export function isConfirmationValid(typed: string, expected: string): boolean {
  return expected.length > 0 && typed === expected;
}

export function TypedConfirmation({
  expected,
  value,
  onChange,
  what = 'the application name',
}: {
  expected: string;
  value: string;
  onChange: (v: string) => void;
  what?: string;
}) {
  const id = useId();
  return (
    <div className="field typed-confirmation">
      <label htmlFor={id}>
        To confirm, type {what} <code className="typed-confirmation__expected">{expected}</code>
      </label>
      <input
        id={id}
        className="input"
        data-testid="confirm-input"
        data-autofocus
        autoComplete="off"
        autoCapitalize="off"
        spellCheck={false}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={value.length > 0 && !isConfirmationValid(value, expected)}
      />
    </div>
  );
}

interface ConfirmDialogProps {
  title: string;
  /** What will happen, in full: the operator reads this before typing the name. */
  children: ReactNode;
  /** The text to type; the application name (or snapshot / key id). */
  expected: string;
  expectedWhat?: string;
  confirmLabel: string;
  onConfirm: (typed: string) => void;
  onClose: () => void;
  busy?: boolean;
  error?: unknown;
  /** A blocking pre-flight finding or a missing prerequisite: confirm stays disabled. */
  blocked?: boolean;
}

export function ConfirmDialog({
  title,
  children,
  expected,
  expectedWhat,
  confirmLabel,
  onConfirm,
  onClose,
  busy = false,
  error,
  blocked = false,
}: ConfirmDialogProps) {
  const [typed, setTyped] = useState('');
  const ok = isConfirmationValid(typed, expected) && !busy && !blocked;
  return (
    <Dialog
      title={title}
      onClose={onClose}
      testId="confirm-dialog"
      onSubmit={() => ok && onConfirm(typed)}
      footer={<SubmitFooter onCancel={onClose} label={busy ? 'Working…' : confirmLabel} disabled={!ok} tone="danger" />}
    >
      <div className="confirm__what" data-testid="confirm-description">
        {children}
      </div>
      <TypedConfirmation
        expected={expected}
        value={typed}
        onChange={setTyped}
        {...(expectedWhat ? { what: expectedWhat } : {})}
      />
      <InlineError error={error} />
    </Dialog>
  );
}

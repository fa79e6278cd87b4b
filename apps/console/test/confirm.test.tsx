import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ConfirmDialog, isConfirmationValid } from '../src/components/ConfirmDialog';

describe('isConfirmationValid', () => {
  it('accepts only the exact name', () => {
    expect(isConfirmationValid('orders-enricher', 'orders-enricher')).toBe(true);
    expect(isConfirmationValid('Orders-enricher', 'orders-enricher')).toBe(false);
    expect(isConfirmationValid('orders-enricher ', 'orders-enricher')).toBe(false);
    expect(isConfirmationValid('orders', 'orders-enricher')).toBe(false);
    expect(isConfirmationValid('', '')).toBe(false);
  });
});

describe('ConfirmDialog', () => {
  it('enables the destructive button only when the name is typed exactly, and sends what was typed', () => {
    const onConfirm = vi.fn();
    const onClose = vi.fn();
    render(
      <ConfirmDialog
        title="Force stop orders-enricher"
        expected="orders-enricher"
        confirmLabel="Force stop"
        onConfirm={onConfirm}
        onClose={onClose}
      >
        <p>No snapshot will be taken.</p>
      </ConfirmDialog>,
    );
    const input = screen.getByTestId('confirm-input');
    const button = screen.getByTestId('confirm-button') as HTMLButtonElement;
    expect(screen.getByTestId('confirm-description').textContent).toContain('No snapshot will be taken');
    expect(button.disabled).toBe(true);
    fireEvent.change(input, { target: { value: 'orders-enriche' } });
    expect(button.disabled).toBe(true);
    fireEvent.change(input, { target: { value: 'ORDERS-ENRICHER' } });
    expect(button.disabled).toBe(true);
    fireEvent.click(button);
    expect(onConfirm).not.toHaveBeenCalled();
    fireEvent.change(input, { target: { value: 'orders-enricher' } });
    expect(button.disabled).toBe(false);
    fireEvent.click(button);
    expect(onConfirm).toHaveBeenCalledWith('orders-enricher');
  });

  it('stays disabled while blocked or busy, and closes on Escape (cancel)', () => {
    const onClose = vi.fn();
    const { rerender } = render(
      <ConfirmDialog
        title="Roll back"
        expected="a"
        confirmLabel="Roll back"
        onConfirm={() => {}}
        onClose={onClose}
        blocked
      >
        <p>x</p>
      </ConfirmDialog>,
    );
    fireEvent.change(screen.getByTestId('confirm-input'), { target: { value: 'a' } });
    expect((screen.getByTestId('confirm-button') as HTMLButtonElement).disabled).toBe(true);
    rerender(
      <ConfirmDialog
        title="Roll back"
        expected="a"
        confirmLabel="Roll back"
        onConfirm={() => {}}
        onClose={onClose}
        busy
      >
        <p>x</p>
      </ConfirmDialog>,
    );
    expect((screen.getByTestId('confirm-button') as HTMLButtonElement).disabled).toBe(true);
    fireEvent(screen.getByTestId('confirm-dialog'), new Event('cancel', { cancelable: true }));
    expect(onClose).toHaveBeenCalled();
  });

  it('is a labelled dialog with focus in the confirmation field', () => {
    render(
      <ConfirmDialog title="Delete x" expected="x" confirmLabel="Delete" onConfirm={() => {}} onClose={() => {}}>
        <p>gone</p>
      </ConfirmDialog>,
    );
    const dialog = screen.getByTestId('confirm-dialog');
    expect(dialog.getAttribute('aria-labelledby')).toBeTruthy();
    expect(document.getElementById(dialog.getAttribute('aria-labelledby')!)!.textContent).toBe('Delete x');
    expect(document.activeElement).toBe(screen.getByTestId('confirm-input'));
  });
});

import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { OperationProgress } from '../src/components/OperationProgress';
import { StatusBadge } from '../src/components/StatusBadge';

describe('OperationProgress', () => {
  it('shows the phases and a progress bar with a text value', () => {
    render(
      <OperationProgress
        now={12_000}
        operation={{
          id: 'op1',
          operation: 'UpdateApplication',
          status: 'IN_PROGRESS',
          startTime: 2_000,
          progress: 0.5,
          phases: [
            { name: 'provisioning', state: 'done' },
            { name: 'snapshot', state: 'done' },
            { name: 'restoring', state: 'active' },
            { name: 'running', state: 'pending' },
          ],
        }}
      />,
    );
    const bar = screen.getByRole('progressbar');
    expect(bar.getAttribute('aria-valuenow')).toBe('50');
    expect(bar.getAttribute('aria-valuetext')).toBe('Restoring state (step 3 of 4)');
    expect(screen.getByTestId('current-operation').textContent).toContain('running for 10 s');
    const phases = screen.getAllByRole('listitem').map((li) => li.getAttribute('data-state'));
    expect(phases).toEqual(['done', 'done', 'active', 'pending']);
  });
});

describe('StatusBadge', () => {
  it('says the status in words and exposes it for tests', () => {
    render(<StatusBadge status="ROLLING_BACK" />);
    const badge = screen.getByTestId('status-badge');
    expect(badge.textContent).toBe('ROLLING_BACK');
    expect(badge.getAttribute('data-status')).toBe('ROLLING_BACK');
    expect(badge.className).toContain('badge--busy');
  });
});

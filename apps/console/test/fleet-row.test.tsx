import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FleetRow } from '../src/pages/FleetPage';
import { attention, fleetApp } from './fixtures';

const row = (app: ReturnType<typeof fleetApp>) =>
  render(<FleetRow app={app} now={100_000} generatedAt={100_000} index={0} top={0} />);

describe('a fleet row', () => {
  it('says its details are being read while the BFF has not read them (a cold start over a big fleet)', () => {
    row(
      fleetApp('cold-001', {
        status: 'READY',
        kpus: null,
        parallelism: null,
        encryption: undefined,
        lastOperation: undefined,
        detailsPending: true,
      }),
    );
    expect(screen.getByTestId('fleet-details-pending').textContent).toBe('reading details…');
    expect(screen.getByTestId('fleet-row').getAttribute('data-status')).toBe('READY');
    expect(screen.getAllByRole('cell').map((c) => c.textContent)).toContain('…');
    expect(screen.queryByText('no operations yet')).toBeNull();
  });

  it('shows KPUs, the key and the newest operation once read', () => {
    row(fleetApp('warm', { kpus: 3, encryption: { keyType: 'CUSTOMER_MANAGED_KEY', keyId: 'k-1' } }));
    expect(screen.queryByTestId('fleet-details-pending')).toBeNull();
    expect(screen.getByText('CMK')).toBeTruthy();
    expect(screen.getAllByRole('cell').map((c) => c.textContent)).toContain('3');
  });

  it('says which signal raised the flag, how many more did, and the first message', () => {
    const a = attention(
      ['job-state', 'The job is RESTARTING while the application is RUNNING.', { tab: 'job' }],
      ['subtasks-failed', '1 subtask FAILED and 5 CANCELED of 6.', { tab: 'job' }],
      ['new-exceptions', 'The job threw 12 exceptions in the last 5 minutes; the latest: NPE', { tab: 'job' }],
    );
    row(fleetApp('orders-enricher', { attention: a }));
    expect(screen.getByTestId('fleet-row').getAttribute('data-attention')).toBe('true');
    expect(screen.getByTestId('attention-signal').textContent).toBe('Job state');
    expect(screen.getByTestId('attention-signal').getAttribute('data-signal')).toBe('job-state');
    const more = screen.getByText('+2');
    expect(more.getAttribute('title')).toBe('Failed subtasks, Exceptions');
    expect(screen.getByText('The job is RESTARTING while the application is RUNNING.')).toBeTruthy();
    expect(screen.getByTestId('attention-flag').getAttribute('aria-label')).toBe(
      `Needs attention: ${a.reasons.join(' ')}`,
    );
  });

  it('shows a single signal without a count, and no signal at all for a healthy row', () => {
    const { unmount } = row(
      fleetApp('metrics-exporter', {
        attention: attention([
          'checkpoints-stale',
          'No checkpoint has completed since the job started 16 minutes ago.',
        ]),
      }),
    );
    expect(screen.getByTestId('attention-signal').textContent).toBe('Checkpoints stale');
    expect(screen.queryByText(/^\+\d+$/)).toBeNull();
    unmount();
    row(fleetApp('clickstream-sessionizer'));
    expect(screen.queryByTestId('attention-signal')).toBeNull();
    expect(screen.getByTestId('fleet-row').getAttribute('data-attention')).toBe('false');
  });

  it('says when the job is still being read, or the metrics are missing, rather than looking healthy', () => {
    row(
      fleetApp('cold-002', {
        jobHealth: {
          source: 'none',
          unread: [
            { facts: 'metrics', reason: 'CloudWatch has no fullRestarts datapoints in the window.' },
            { facts: 'job', reason: 'Not read yet', pending: true },
          ],
        },
      }),
    );
    expect(screen.getByTestId('job-health-pending').textContent).toBe('reading job…');
    const unread = screen.getByTestId('job-health-unread');
    expect(unread.textContent).toBe('no CloudWatch metrics');
    expect(unread.getAttribute('title')).toBe('CloudWatch has no fullRestarts datapoints in the window.');
  });
});
